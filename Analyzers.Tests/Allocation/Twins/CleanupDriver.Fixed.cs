using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Fixed;

/// <summary>
/// Run-time twin of DRV034 (freed twice): a write handler with a C-style cleanup label. <c>Twins.Buggy</c>
/// frees the copy on the error path and again at the label; <c>Twins.Fixed</c> sets it to NULL after the
/// first free (written by hand: a double free has no mechanical fix).
/// </summary>
public static class CleanupDriver
{
    private const uint Tag = 0x6E6C6343; // "Ccln" in pool dumps
    private const uint HeaderSize = 8;

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        nuint length = 0;
        PVOID copy = ExAllocatePool2(POOL_FLAG_PAGED, Length, Tag);
        if (copy == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto Exit;
        }

        status = WdfRequestRetrieveInputBuffer(Request, HeaderSize, out PVOID input, out length);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(copy, Tag);
            copy = NULL;
            goto Exit;
        }

        RtlCopyMemory(copy, input, length);

    Exit:
        if (copy != NULL)
        {
            ExFreePoolWithTag(copy, Tag);
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? length : 0);
    }
}
