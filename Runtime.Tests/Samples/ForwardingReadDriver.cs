using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

/// <summary>
/// Reference 000, scenario 2, translated mechanically from the C sample: EvtIoRead forwards the request to
/// the default I/O target with its own output memory; the completion routine completes it.
/// </summary>
internal static class ForwardingReadDriver
{
    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
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

        status = WdfIoTargetFormatRequestForRead(ioTarget,
                                                 Request,
                                                 memory,
                                                 NULL,
                                                 NULL);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        WdfRequestSetCompletionRoutine(Request,
                                       RequestCompletionRoutine,
                                       WDF_NO_CONTEXT);

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

    public static void RequestCompletionRoutine(WDFREQUEST Request,
                                                WDFIOTARGET Target,
                                                WDF_REQUEST_COMPLETION_PARAMS CompletionParams,
                                                object? Context)
    {
        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Context);

        WdfRequestComplete(Request, CompletionParams.IoStatus.Status);

        return;
    }
}
