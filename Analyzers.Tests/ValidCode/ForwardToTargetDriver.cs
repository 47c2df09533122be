// Scenario 2 of reference 000: forward the request to the I/O target; complete it in the completion routine.
namespace ValidCode.ForwardToTarget;

public sealed class ForwardToTargetDriver
{
    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;
        WDFIOTARGET ioTarget;
        bool ret;

        ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        status = WdfIoTargetFormatRequestForRead(ioTarget, Request, memory, NULL, NULL);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        WdfRequestSetCompletionRoutine(Request, RequestCompletionRoutine, WDF_NO_CONTEXT);
        ret = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);
        if (!ret)
        {
            status = WdfRequestGetStatus(Request);
            goto End;
        }

        return;

    End:
        WdfRequestComplete(Request, status);
        return;
    }

    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
        if (!WdfRequestSend(Request, ioTarget, options))
        {
            WdfRequestComplete(Request, WdfRequestGetStatus(Request));
        }
    }

    public void RequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WdfRequestCompleteWithInformation(Request, CompletionParams.IoStatus.Status, CompletionParams.IoStatus.Information);
    }
}
