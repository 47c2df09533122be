namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>The correct forms of reference 000's scenarios 3 and 5, which the reuse rules must leave silent.</summary>
internal static class Samples
{
    /// <summary>Scenario 3: a driver-created request reuses the original request's memory; the routine reuses, then completes the original.</summary>
    public const string Scenario3Correct = """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var newRequest);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
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

            void ReadComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var original = (WDFREQUEST)Context!;
                var status = Params.IoStatus.Status;
                var information = Params.IoStatus.Information;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuseParams);
                WdfObjectDelete(Request);
                WdfRequestCompleteWithInformation(original, status, information);
            }
        }
        """;

    /// <summary>Scenario 5: one driver-created request reused for every send; reuse, format, set the routine, send.</summary>
    public const string Scenario5Correct = """
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Poller;
            WDFMEMORY Buffer;
            int Remaining = 3;

            void Start(WDFDEVICE Device)
            {
                Target = WdfDeviceGetIoTarget(Device);
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x6C6C6F50, 16, out Buffer, out _);
                if (!NT_SUCCESS(WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out Poller))) return;
                SendNext();
            }

            void SendNext()
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Poller, reuseParams);
                WdfIoTargetFormatRequestForRead(Target, Poller, Buffer, null, null);
                WdfRequestSetCompletionRoutine(Poller, PollComplete, WDF_NO_CONTEXT);
                if (!WdfRequestSend(Poller, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(Poller);
                }
            }

            void PollComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                if (--Remaining > 0 && NT_SUCCESS(Params.IoStatus.Status))
                {
                    SendNext();
                }
                else
                {
                    WdfObjectDelete(Request);
                }
            }
        }
        """;
}
