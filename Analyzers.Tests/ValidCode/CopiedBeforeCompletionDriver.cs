// Values copied out of a request before it completes (status, length, data in driver memory) are used afterwards.
namespace ValidCode.CopiedBeforeCompletion;

public sealed class CopiedBeforeCompletionDriver
{
    private const uint Tag = 0x6C6F6F43; // 'Cool'
    private readonly byte[] _history = new byte[64];
    private nuint _lastLength;
    private NTSTATUS _lastStatus;

    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 4, out PVOID input, out nuint inputLength);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            _lastStatus = status;
            return;
        }

        nuint kept = inputLength < 64 ? inputLength : 64;
        PVOID copy = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
        if (copy == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        RtlCopyMemory(copy, input, kept);
        input.CopyTo(_history.AsSpan(0, (int)kept), 0);
        WdfRequestCompleteWithInformation(Request, status, kept);

        _lastStatus = status;
        _lastLength = kept;
        if (kept >= 4)
        {
            uint first = copy.Read<uint>(0);
            _history[0] = (byte)first;
        }

        ExFreePoolWithTag(copy, Tag);
    }
}
