using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Buggy;

/// <summary>
/// Run-time twin of DRV030: a read handler builds its reply (a 4-byte header) in a scratch buffer and copies
/// the whole buffer to the application. <c>Twins.Buggy</c> allocates it with a deprecated allocator;
/// <c>Twins.Fixed</c> is the same file after the DRV030 code fix.
/// </summary>
public static class ReplyDriver
{
    private const uint Tag = 0x796C7052; // "Rply" in pool dumps

    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, Length, out PVOID output, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        PVOID reply = ExAllocatePoolWithTag(NonPagedPoolNx, length, Tag);
        if (reply == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        reply.Write<uint>(0, 1); // header: reply version 1; the rest is "reserved"
        RtlCopyMemory(output, reply, length);
        ExFreePoolWithTag(reply, Tag);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, length);
    }
}
