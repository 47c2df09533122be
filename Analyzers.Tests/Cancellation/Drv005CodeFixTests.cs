using System.Threading.Tasks;
using Xunit;
using VerifyFix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Cancellation.CancelableRequestAnalyzer,
    DriverBuffers.CodeFixes.Cancellation.UnmarkBeforeCompletingCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Cancellation;

/// <summary>DRV005's fix: unmark and test the status before completing (trivia kept, Fix All, no new finding).</summary>
public class Drv005CodeFixTests
{
    [Fact]
    public Task StillMarked_UnmarksAndCompletesOnlyWhenNotCancelled() => VerifyFix.VerifyCodeFixAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestMarkCancelable(Request, Canceled);
                // done at once
                {|DRV005:WdfRequestComplete(Request, STATUS_SUCCESS)|}; // the answer
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """, """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestMarkCancelable(Request, Canceled);
                // done at once
                if (WdfRequestUnmarkCancelable(Request) != STATUS_CANCELLED)
                {
                    WdfRequestComplete(Request, STATUS_SUCCESS); // the answer
                }
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """);

    [Fact]
    public Task MayBeCancelled_TestsTheUnmarksStatus_FixAll() => VerifyFix.VerifyCodeFixAsync("""
        class Context { public WDFREQUEST A; public WDFREQUEST B; }

        class Driver
        {
            Context Ctx = new();

            void Arm(WDFREQUEST Request, bool first)
            {
                WdfRequestMarkCancelable(Request, Canceled);
                if (first)
                {
                    Ctx.A = Request;
                }
                else
                {
                    Ctx.B = Request;
                }
            }

            void Notify()
            {
                WDFREQUEST a = Ctx.A;
                var status = WdfRequestUnmarkCancelable(a);
                {|DRV005:WdfRequestComplete(a, STATUS_SUCCESS)|};

                WDFREQUEST b = Ctx.B;
                var other = WdfRequestUnmarkCancelable(b);
                switch (other.Value)
                {
                    default:
                        {|DRV005:WdfRequestComplete(b, STATUS_SUCCESS)|};
                        break;
                }
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """, """
        class Context { public WDFREQUEST A; public WDFREQUEST B; }

        class Driver
        {
            Context Ctx = new();

            void Arm(WDFREQUEST Request, bool first)
            {
                WdfRequestMarkCancelable(Request, Canceled);
                if (first)
                {
                    Ctx.A = Request;
                }
                else
                {
                    Ctx.B = Request;
                }
            }

            void Notify()
            {
                WDFREQUEST a = Ctx.A;
                var status = WdfRequestUnmarkCancelable(a);
                if (status != STATUS_CANCELLED)
                {
                    WdfRequestComplete(a, STATUS_SUCCESS);
                }

                WDFREQUEST b = Ctx.B;
                var other = WdfRequestUnmarkCancelable(b);
                switch (other.Value)
                {
                    default:
                        if (other != STATUS_CANCELLED)
                        {
                            WdfRequestComplete(b, STATUS_SUCCESS);
                        }
                        break;
                }
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """);
}
