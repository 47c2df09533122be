using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Buggy;

/// <summary>
/// Run-time twin of DRV033: a read handler fills a scratch buffer from <c>ExAllocatePool2</c> and copies it to
/// the application. <c>Twins.Buggy</c> passes a pool type where the flags go (the allocation always fails);
/// <c>Twins.Fixed</c> is the same file after the DRV033 code fix.
/// </summary>
public static class ScratchDriver
{
    private const uint Tag = 0x68637253; // "Srch" in pool dumps

    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, Length, out PVOID output, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        PVOID scratch = ExAllocatePool2(NonPagedPoolNx, length, Tag);
        if (scratch == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        RtlFillMemory(scratch, length, 0x5A);
        RtlCopyMemory(output, scratch, length);
        ExFreePoolWithTag(scratch, Tag);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, length);
    }
}
