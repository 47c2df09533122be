using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Buggy;

/// <summary>
/// Run-time twin of DRV034 (wrong tag): a write handler keeps a private copy of the data while it works on it.
/// <c>Twins.Buggy</c> frees the copy with the other tag of the driver; <c>Twins.Fixed</c> is the same file
/// after the DRV034 code fix.
/// </summary>
public static class CopyDriver
{
    private const uint ReadTag = 0x64616552; // "Read" in pool dumps
    private const uint WriteTag = 0x74697257; // "Writ" in pool dumps

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, Length, out PVOID input, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        PVOID copy = ExAllocatePool2(POOL_FLAG_PAGED, length, WriteTag);
        if (copy == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        RtlCopyMemory(copy, input, length);
        ExFreePoolWithTag(copy, ReadTag);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, length);
    }
}
