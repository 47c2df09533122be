// Requests parked in a manual queue or in a field, completed later from another callback.
namespace ValidCode.ManualQueue;

public sealed class ManualQueueDriver
{
    private WDFQUEUE _manualQueue;
    private WDFREQUEST _pendingRead;
    private uint _lastValue;

    public ManualQueueDriver(WDFQUEUE manualQueue)
    {
        _manualQueue = manualQueue;
    }

    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestForwardToIoQueue(Request, _manualQueue);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }
    }

    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, sizeof(uint), out PVOID input, out nuint inputLength);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        _lastValue = input.Read<uint>(0);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
        DeliverPending();
    }

    public void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        if (_pendingRead != default(WDFREQUEST))
        {
            WdfRequestComplete(Request, STATUS_DEVICE_BUSY);
            return;
        }

        _pendingRead = Request;
    }

    private void DeliverPending()
    {
        while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(_manualQueue, out WDFREQUEST request)))
        {
            NTSTATUS status = WdfRequestRetrieveOutputBuffer(request, sizeof(uint), out PVOID output, out nuint outputLength);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(request, status);
                continue;
            }

            output.Write<uint>(0, _lastValue);
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, sizeof(uint));
        }
    }
}
