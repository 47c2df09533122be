using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>DRV003: a request DDI called on a request after it was completed.</summary>
public class Drv003RequestDdiAfterCompletionTests
{
    [Fact]
    public Task GetStatusAfterCompletion_Message() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#1:WdfRequestComplete(Request, STATUS_SUCCESS)|};
                NTSTATUS status = {|#0:WdfRequestGetStatus(Request)|};
            }
        }
        """,
        Verify.Diagnostic("DRV003").WithLocation(0).WithLocation(1)
            .WithArguments("WdfRequestGetStatus", "Request", "5", "WdfRequestComplete"));

    [Fact]
    public Task RetrieveAndSetInformationAfterCompletionOnSomePaths() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (Length > 4096)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                }

                {|DRV003:WdfRequestSetInformation(Request, 0)|};
                var queue = {|DRV003:WdfRequestGetIoQueue(Request)|};
            }
        }
        """,
        Verify.Diagnostic("DRV004").WithSpan(3, 10, 3, 19).WithSpan(11, 13, 11, 50).WithMessage(null));

    [Fact]
    public Task ForwardAndSendAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestComplete(Request, STATUS_SUCCESS);
                NTSTATUS status = {|DRV003:WdfRequestForwardToIoQueue(Request, Queue)|};
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                {|DRV003:WdfIoTargetFormatRequestForRead(target, Request, WDF_NO_HANDLE, null, null)|};
            }
        }
        """);

    [Fact]
    public Task HelperCallingDdiAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV003:Log(Request)|};
            }

            static void Log(WDFREQUEST request)
            {
                NTSTATUS status = WdfRequestGetStatus(request);
            }
        }
        """);

    // ---- silent ----

    /// <summary>
    /// bluetooth/serialhcibus CR_WriteDeviceIO: the request from bthport was referenced (WdfObjectReference) before the
    /// write was sent; the completion routine completes it, deletes its own request, and then releases that reference.
    /// WdfObjectDereference after completion is what the reference is for.
    /// </summary>
    [Fact]
    public Task DereferenceOfAReferencedRequestAfterCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class WriteContext { public WDFREQUEST RequestFromBthport; }

        class Driver
        {
            static void CR_WriteDeviceIO(WDFREQUEST _Request, WDFIOTARGET _Target, WDF_REQUEST_COMPLETION_PARAMS _Params, object? _Context)
            {
                var TransferContext = (WriteContext)_Context!;
                WDFREQUEST RequestFromBthport = TransferContext.RequestFromBthport;
                WdfRequestCompleteWithInformation(RequestFromBthport, _Params.IoStatus.Status, 0);
                WdfObjectDelete(_Request);
                WdfObjectDereference(RequestFromBthport);
            }

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfObjectReference(Request);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                WdfObjectDereference(Request);
            }
        }
        """);

    [Fact]
    public Task DdisBeforeCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestSetInformation(Request, Length);
                nuint information = WdfRequestGetInformation(Request);
                NTSTATUS status = WdfRequestGetStatus(Request);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, information);
                if (information > 0 && NT_SUCCESS(status))
                {
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task StatusAfterFailedSend_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
                if (!WdfRequestSend(Request, target, options))
                {
                    NTSTATUS status = WdfRequestGetStatus(Request);
                    WdfRequestComplete(Request, status);
                }
            }
        }
        """);
}
