using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Fixed;

/// <summary>The corrected DRV036 twin: the error path leaves through the cleanup label; the block is stamped only while it is alive.</summary>
public static class UseAfterFreeDriver
{
    private const uint Tag = 0x66417355; // "UsAf" in pool dumps
    private const uint HeaderSize = 8;

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        nuint length = 0;
        PVOID stage = ExAllocatePool2(POOL_FLAG_NON_PAGED, HeaderSize, Tag);
        if (stage == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        status = WdfRequestRetrieveInputBuffer(Request, HeaderSize, out PVOID input, out length);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        stage.Write<uint>(0, 0x55AA55AA);

    Exit:
        ExFreePoolWithTag(stage, Tag);
        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? length : 0);
    }
}
