using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>
/// In the completion routine of a driver-created request, the memory its parameters name
/// (<c>Params.Parameters.Read.Buffer</c>) is what the request was formatted with: the original's (the sample driver's
/// retry), so formatting with it again still holds the original's memory when the original is completed.
/// </summary>
public class RoutineParamsMemoryTests
{
    [Fact]
    public Task Drv010_TheRetryFormatsWithTheParamsMemoryAndTheOriginalIsCompleted() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static int retries = 1;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (!NT_SUCCESS(WdfRequestRetrieveOutputMemory(Request, out var memory)) ||
                    !NT_SUCCESS(WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var forward)))
                {
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                    return;
                }

                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfIoTargetFormatRequestForRead(target, forward, memory, null, null);
                WdfRequestSetCompletionRoutine(forward, OnReadForwarded, Request);
                if (!WdfRequestSend(forward, target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(forward);
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                }
            }

            static void OnReadForwarded(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var original = (WDFREQUEST)Context!;
                if (Params.IoStatus.Status == STATUS_DEVICE_BUSY && retries-- > 0)
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(Request, reuse);
                    WdfIoTargetFormatRequestForRead(Target, Request, Params.Parameters.Read.Buffer, null, null);
                    WdfRequestSetCompletionRoutine(Request, OnReadForwarded, original);
                    if (WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                    {
                        return;
                    }
                }

                {|DRV010:WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information)|};
                WdfObjectDelete(Request);
            }
        }
        """);
}
