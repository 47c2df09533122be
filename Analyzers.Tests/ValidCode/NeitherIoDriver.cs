// Neither I/O (reference 001): the user buffer is probed and locked in EvtIoInCallerContext, then the request is queued.
namespace ValidCode.NeitherIo;

public sealed class RequestData
{
    public WDFMEMORY Input;
}

public sealed class NeitherIoDriver
{
    private readonly System.Collections.Generic.Dictionary<WDFREQUEST, RequestData> _contexts = new();
    private uint _sum;

    public void EvtIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, sizeof(uint), out PVOID userBuffer, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfRequestProbeAndLockUserBufferForRead(Request, userBuffer, length, out WDFMEMORY locked);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        _contexts[Request] = new RequestData { Input = locked };
        status = WdfDeviceEnqueueRequest(Device, Request);
        if (!NT_SUCCESS(status))
        {
            _contexts.Remove(Request);
            WdfRequestComplete(Request, status);
        }
    }

    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        if (!_contexts.TryGetValue(Request, out RequestData? data))
        {
            WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
            return;
        }

        _contexts.Remove(Request);
        PVOID input = WdfMemoryGetBuffer(data.Input, out nuint size);
        if (size >= sizeof(uint))
        {
            _sum += input.Read<uint>(0);
        }

        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
    }
}
