using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// DRV002 on a request forwarded to the driver's own manual queue and then taken from it by a helper the same function
/// calls with that queue (the WDK's bluetooth/serialhcibus: <c>ReadRequestComplete</c> retrieves the oldest request of the
/// queue, which is the one just forwarded when a packet waits, completes it, and returns the status it completed it with).
/// The correct patterns (forward and return; the caller completes only when the forward failed) stay silent.
/// </summary>
public class Drv002QueuedRequestTests
{
    [Fact]
    public Task HelperTakesTheForwardedRequestFromTheQueueAndTheCallerCompletesItAgain() => Verify.VerifyAnalyzerAsync(Driver("""
                var status = WdfRequestForwardToIoQueue(Request, Ctx.ReadQueue);
                if (NT_SUCCESS(status))
                {
                    status = {|#1:CompleteWaitingRead(Ctx.ReadQueue, 8)|};
                }

                if (!NT_SUCCESS(status))
                {
                    {|#0:WdfRequestComplete(Request, status)|};
                }
        """),
        Verify.Diagnostic("DRV002").WithLocation(0).WithLocation(1)
            .WithArguments("Request", "Request", "WdfRequestComplete", "12", "CompleteWaitingRead on some paths"));

    [Fact]
    public Task Silent_ForwardedRequestLeftToTheHelper() => Verify.VerifyAnalyzerAsync(Driver("""
                var status = WdfRequestForwardToIoQueue(Request, Ctx.ReadQueue);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                CompleteWaitingRead(Ctx.ReadQueue, 8);
        """));

    [Fact]
    public Task Silent_CallerCompletesOnlyWhenTheForwardFailed() => Verify.VerifyAnalyzerAsync(Driver("""
                var status = WdfRequestForwardToIoQueue(Request, Ctx.ReadQueue);
                if (NT_SUCCESS(status))
                {
                    var completed = CompleteWaitingRead(Ctx.ReadQueue, 8);
                }
                else
                {
                    WdfRequestComplete(Request, status);
                }
        """));

    [Fact]
    public Task Silent_HelperGivenAnotherQueue() => Verify.VerifyAnalyzerAsync(Driver("""
                var status = WdfRequestForwardToIoQueue(Request, Ctx.ReadQueue);
                if (NT_SUCCESS(status))
                {
                    status = CompleteWaitingRead(Ctx.OtherQueue, 8);
                }

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }
        """));

    /// <summary>A read callback (its body given) and the helper that completes the oldest waiting read with a packet.</summary>
    private static string Driver(string readBody) => $$"""
        class DeviceContext { public WDFQUEUE ReadQueue; public WDFQUEUE OtherQueue; }

        class Driver
        {
            DeviceContext Ctx = new();

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
        {{readBody}}
            }

            NTSTATUS CompleteWaitingRead(WDFQUEUE ReadQueue, nuint PacketLength)
            {
                var status = WdfIoQueueRetrieveNextRequest(ReadQueue, out WDFREQUEST waiting);
                if (!NT_SUCCESS(status))
                {
                    return STATUS_PENDING;
                }

                status = WdfRequestRetrieveOutputBuffer(waiting, PacketLength, out PVOID buffer, out nuint size);
                WdfRequestComplete(waiting, status);
                return status;
            }
        }
        """;
}
