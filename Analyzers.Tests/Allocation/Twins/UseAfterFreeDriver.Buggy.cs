using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Buggy;

/// <summary>
/// Run-time twin of DRV036 (use after free): a write handler that frees its staging block on the error path and
/// forgets to leave, then stamps the block. <c>Twins.Buggy</c> writes freed pool; <c>Twins.Fixed</c> leaves through
/// the cleanup label (written by hand: DRV036 has no mechanical fix).
/// </summary>
public static class UseAfterFreeDriver
{
    private const uint Tag = 0x66417355; // "UsAf" in pool dumps
    private const uint HeaderSize = 8;

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        PVOID stage = ExAllocatePool2(POOL_FLAG_NON_PAGED, HeaderSize, Tag);
        if (stage == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        status = WdfRequestRetrieveInputBuffer(Request, HeaderSize, out PVOID input, out nuint length);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(stage, Tag);
        }

        stage.Write<uint>(0, 0x55AA55AA);
        if (NT_SUCCESS(status))
        {
            ExFreePoolWithTag(stage, Tag);
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? length : 0);
    }
}
