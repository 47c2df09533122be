namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>
/// The correct form of reference 000's scenario 5 with a request kept in a field, which the reuse rules must leave
/// silent. The correct scenario 3 is the fixed twin driver <c>Twins/Fixed/ReadThroughDriver.cs</c>.
/// </summary>
internal static class Samples
{
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
