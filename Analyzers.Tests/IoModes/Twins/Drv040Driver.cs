using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV040 twin (reference 000, scenario 4): a write sent to the lower target with a preallocated buffer.
/// This file is compiled and run by <see cref="Drv040TwinTests"/> and analyzed as text by the same tests.
/// </summary>
public static class Drv040Driver
{
    private const uint Tag = 0x30344452; // 'RD40'

    /// <summary>Bug: the buffer is freed right after the asynchronous send, while the target may still use it.</summary>
    public static void SendAndFree(WDFIOTARGET target)
    {
        PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
        if (buffer == NULL) { return; }
        WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 16, out WDFMEMORY memory);
        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST request);
        WdfIoTargetFormatRequestForWrite(target, request, memory, NULL, NULL);
        WdfRequestSetCompletionRoutine(request, (r, t, p, c) => WdfObjectDelete(r), WDF_NO_CONTEXT);
        WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
        ExFreePoolWithTag(buffer, Tag);
    }

    /// <summary>Correct: the completion routine frees the buffer once the target is done with it.</summary>
    public static void SendAndFreeOnCompletion(WDFIOTARGET target)
    {
        PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
        if (buffer == NULL) { return; }
        WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 16, out WDFMEMORY memory);
        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST request);
        WdfIoTargetFormatRequestForWrite(target, request, memory, NULL, NULL);
        WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
        {
            WdfObjectDelete(r);
            WdfObjectDelete(memory);
            ExFreePoolWithTag(buffer, Tag);
        }, WDF_NO_CONTEXT);
        if (!WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS))
        {
            WdfObjectDelete(request);
            WdfObjectDelete(memory);
            ExFreePoolWithTag(buffer, Tag);
        }
    }

    /// <summary>Correct: sent synchronously, so the request is done before the buffer is freed.</summary>
    public static void SendSynchronouslyAndFree(WDFIOTARGET target)
    {
        PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
        if (buffer == NULL) { return; }
        WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 16, out WDFMEMORY memory);
        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST request);
        WdfIoTargetFormatRequestForWrite(target, request, memory, NULL, NULL);
        WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
        WdfRequestSend(request, target, options);
        WdfObjectDelete(request);
        WdfObjectDelete(memory);
        ExFreePoolWithTag(buffer, Tag);
    }
}
