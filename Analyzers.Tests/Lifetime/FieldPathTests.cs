using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// Requests and buffers kept in fields of another object (a device context reached through a local or a parameter):
/// the engine follows these paths (<c>ctx.Original</c>, <c>ctx.Memory</c>), where the flow analysis before it
/// followed only fields of <c>this</c> and statics, and through typed contexts (<c>GetDeviceContext(device).Original</c>,
/// <c>WdfObjectGetTypedContext&lt;T&gt;(device).Original</c>: one root per context type). The first three are findings it
/// used to miss.
/// </summary>
public class FieldPathTests
{
    [Fact]
    public Task RequestKeptInAContextAndCompletedAgainThroughIt_IsFlagged() => Verify.VerifyAnalyzerAsync("""
        class DeviceContext { public WDFREQUEST Original; }

        class Driver
        {
            DeviceContext Context = new();

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var ctx = Context;
                ctx.Original = Request;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV002:WdfRequestComplete(ctx.Original, STATUS_SUCCESS)|};
            }
        }
        """);

    [Fact]
    public Task MemoryKeptInAContextAndUsedAfterCompletion_IsFlagged() => Verify.VerifyAnalyzerAsync("""
        class DeviceContext { public WDFMEMORY Memory; }

        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length, DeviceContext ctx)
            {
                WdfRequestRetrieveOutputMemory(Request, out ctx.Memory);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                WdfMemoryCopyFromBuffer({|DRV001:ctx.Memory|}, 0, NULL, 0);
            }
        }
        """);

    [Fact]
    public Task RequestKeptInATypedContextAndCompletedAgainThroughIt_IsFlagged() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT { public WDFREQUEST Original; }

        class Driver
        {
            static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var device = WdfIoQueueGetDevice(Queue);
                GetDeviceContext(device).Original = Request;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV002:WdfRequestComplete(WdfObjectGetTypedContext<DEVICE_CONTEXT>(device).Original, STATUS_SUCCESS)|};
            }
        }
        """);

    [Fact]
    public Task ContextReassigned_ForgetsWhatItsFieldsHeld_Silent() => Verify.VerifyAnalyzerAsync("""
        class DeviceContext { public WDFREQUEST Original; }

        class Driver
        {
            DeviceContext First = new();
            DeviceContext Second = new();

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var ctx = First;
                ctx.Original = Request;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                ctx = Second;
                WdfRequestComplete(ctx.Original, STATUS_SUCCESS);
            }
        }
        """);

    [Fact]
    public Task ContextFieldOverwritten_HoldsTheNewRequest_Silent() => Verify.VerifyAnalyzerAsync("""
        class DeviceContext { public WDFREQUEST Original; }

        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length, DeviceContext ctx, WDFREQUEST next)
            {
                ctx.Original = Request;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                ctx.Original = next;
                WdfRequestComplete(ctx.Original, STATUS_SUCCESS);
            }
        }
        """);
}
