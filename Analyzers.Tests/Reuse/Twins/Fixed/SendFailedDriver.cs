using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Fixed;

/// <summary>
/// Writes the application's data through a driver-created request. When the send fails it completes the
/// original at once, while the created request still holds the I/O target's reference on the
/// original's memory (DRV010 on the send-failed path).
/// </summary>
public sealed class SendFailedDriver
{
    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out WDFMEMORY memory);
        if (!NT_SUCCESS(status) || !NT_SUCCESS(WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest)))
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        WdfIoTargetFormatRequestForWrite(target, newRequest, memory, null, null);
        WdfRequestSetCompletionRoutine(newRequest, WriteComplete, Request);
        if (!WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS))
        {
            var status1 = WdfRequestGetStatus(newRequest);
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(newRequest, reuseParams);
            WdfRequestComplete(Request, status1);
        }
    }

    private void WriteComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        var status = Params.IoStatus.Status;
        var information = Params.IoStatus.Information;
        WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        WdfRequestReuse(Request, reuse);
        WdfObjectDelete(Request);
        WdfRequestCompleteWithInformation((WDFREQUEST)Context!, status, information);
    }
}
