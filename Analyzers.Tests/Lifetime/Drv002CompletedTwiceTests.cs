using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>DRV002: a request completed twice on some path.</summary>
public class Drv002CompletedTwiceTests
{
    [Fact]
    public Task CompletedTwiceInSequence_MessageAndAdditionalLocation() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#1:WdfRequestComplete(Request, STATUS_SUCCESS)|};
                {|#0:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0)|};
            }
        }
        """,
        Verify.Diagnostic("DRV002").WithLocation(0).WithLocation(1)
            .WithArguments("Request", "Request", "WdfRequestCompleteWithInformation", "5", "WdfRequestComplete"));

    [Fact]
    public Task ErrorPathFallsThroughToSecondCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }

                {|DRV002:WdfRequestCompleteWithPriorityBoost(Request, status, 2)|};
            }
        }
        """);

    [Fact]
    public Task AliasCompletedTwice() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WDFREQUEST same = Request;
                WdfRequestComplete(same, STATUS_SUCCESS);
                {|DRV002:WdfRequestComplete(Request, STATUS_SUCCESS)|};
            }
        }
        """);

    [Fact]
    public Task SwitchFallsToCommonCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                switch (IoControlCode)
                {
                    case 1:
                        status = STATUS_INVALID_PARAMETER;
                        break;
                    case 2:
                        WdfRequestComplete(Request, STATUS_NOT_SUPPORTED);
                        break;
                }

                {|DRV002:WdfRequestComplete(Request, status)|};
            }
        }
        """);

    [Fact]
    public Task CompletedInTryAndInFinally() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                try
                {
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                }
                finally
                {
                    {|DRV002:WdfRequestComplete(Request, STATUS_UNSUCCESSFUL)|};
                }
            }
        }
        """);

    [Fact]
    public Task EarlyReturnMissing() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (Length == 0)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                }

                WdfRequestRetrieveOutputBuffer(Request, 1, out PVOID buffer, out nuint size);
                {|DRV002:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, size)|};
            }
        }
        """,
        Verify.Diagnostic("DRV003").WithSpan(10, 9, 10, 85).WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));

    // ---- silent ----

    [Fact]
    public Task EarlyReturnAfterCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (Length == 0)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                    return;
                }

                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    [Fact]
    public Task ExclusiveBranches_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                switch (IoControlCode)
                {
                    case 1:
                        WdfRequestComplete(Request, STATUS_SUCCESS);
                        return;
                    case 2:
                        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
                        break;
                    default:
                        WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task LoopOverNewRequests_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Cancel(WDFQUEUE Queue)
            {
                while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Queue, out WDFREQUEST request)))
                {
                    WdfRequestComplete(request, STATUS_CANCELLED);
                }
            }
        }
        """);

    [Fact]
    public Task CompletedAtEndOfTryAndInCatch_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                try
                {
                    Process(Length);
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                }
                catch (InvalidOperationException)
                {
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                }
            }

            static void Process(nuint length)
            {
                if (length == 0) throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task StatementAfterCompletionInTryMayThrow_Flagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                try
                {
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                    Process(Length);
                }
                catch (InvalidOperationException)
                {
                    {|DRV002:WdfRequestComplete(Request, STATUS_UNSUCCESSFUL)|};
                }
            }

            static void Process(nuint length)
            {
                if (length == 0) throw new InvalidOperationException();
            }
        }
        """);
}
