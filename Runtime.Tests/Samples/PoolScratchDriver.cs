using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

/// <summary>A write handler using a scratch pool buffer: ExAllocatePool2 / RtlCopyMemory / ExFreePoolWithTag.</summary>
internal static class PoolScratchDriver
{
    public const uint SCRATCH_TAG = 0x68637253; // 'Srch'

    public static bool ForgetToFree { get; set; }

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        PVOID input;
        PVOID scratch = NULL;
        uint sum = 0;

        status = WdfRequestRetrieveInputBuffer(Request, Length, out input, NULL);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }
        scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, Length, SCRATCH_TAG);
        if (scratch == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto End;
        }
        RtlCopyMemory(scratch, input, Length);
        for (nuint i = 0; i < Length; i++)
        {
            sum += scratch.Read<byte>(i);
        }
        status = sum % 2 == 0 ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;

    End:
        if (scratch != NULL && !ForgetToFree)
        {
            ExFreePoolWithTag(scratch, SCRATCH_TAG);
        }
        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? Length : 0);
    }
}
