using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Flagged;

/// <summary>
/// Reference 000, scenario 3: reads through a driver-created request into the memory of the application's
/// request. Its completion routine completes the original while the created request still holds the
/// I/O target's reference on that memory (DRV010).
/// </summary>
public sealed class ReadThroughDriver
{
    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(newRequest);
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(newRequest, ReadComplete, Request);
        if (!WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(newRequest);
            WdfObjectDelete(newRequest);
            WdfRequestComplete(Request, status);
        }
    }

    private void ReadComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        // Pass the lower driver's result on to the application.
        WdfRequestCompleteWithInformation((WDFREQUEST)Context!, WdfRequestGetStatus(Request), Params.IoStatus.Information);
        WdfObjectDelete(Request);
    }
}
