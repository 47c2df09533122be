using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Cancellation.CancelableRequestAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Cancellation;

/// <summary>
/// DRV005: a cancelable request completed without <c>WdfRequestUnmarkCancelable</c>, or although the unmark may have
/// returned <c>STATUS_CANCELLED</c> and its cancel routine completes it; a cancel routine that does not complete its
/// request. The WDK's documented patterns (the echo sample's timer, the SPB test tool, the notifier) stay silent.
/// </summary>
public class Drv005CancelableRequestTests
{
    [Fact]
    public Task CompletedWhileStillMarkedCancelable() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#1:WdfRequestMarkCancelable(Request, Canceled)|};
                {|#0:WdfRequestComplete(Request, STATUS_SUCCESS)|};
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """,
        Verify.Diagnostic("DRV005").WithLocation(0).WithLocation(1)
            .WithArguments("'Request' is completed by WdfRequestComplete while it may still be marked cancelable (WdfRequestMarkCancelable at line 5)"));

    [Fact]
    public Task CompletedAlthoughTheUnmarkMayHaveReturnedStatusCancelled() => Verify.VerifyAnalyzerAsync("""
        class Context { public WDFREQUEST Waiter; }

        class Driver
        {
            Context Ctx = new();

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var status = WdfRequestMarkCancelableEx(Request, Canceled);
                if (NT_SUCCESS(status))
                {
                    Ctx.Waiter = Request;
                }
                else
                {
                    WdfRequestComplete(Request, status);
                }
            }

            void Notify()
            {
                WDFREQUEST request = Ctx.Waiter;
                Ctx.Waiter = WDF_NO_HANDLE;
                var status = {|#1:WdfRequestUnmarkCancelable(request)|};
                {|#0:WdfRequestComplete(request, NT_SUCCESS(status) ? STATUS_SUCCESS : status)|};
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """,
        Verify.Diagnostic("DRV005").WithLocation(0).WithLocation(1)
            .WithArguments("'request' is completed by WdfRequestComplete although WdfRequestUnmarkCancelable at line 24 may have returned STATUS_CANCELLED, when its cancel routine completes it"));

    [Fact]
    public Task CancelRoutineThatDoesNotCompleteItsRequest() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            int Canceled;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) => WdfRequestMarkCancelable(Request, OnCancel);

            void {|#0:OnCancel|}(WDFREQUEST Request)
            {
                Canceled++;
            }
        }
        """,
        Verify.Diagnostic("DRV005").WithLocation(0)
            .WithArguments("Cancel routine 'OnCancel' returns without completing its request 'Request' on some path"));

    [Fact]
    public Task CancelRoutineLambdaThatCompletesOnlySometimes() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            bool Ready;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) =>
                WdfRequestMarkCancelable(Request, {|#0:r =>|} { if (Ready) WdfRequestComplete(r, STATUS_CANCELLED); });
        }
        """,
        Verify.Diagnostic("DRV005").WithLocation(0)
            .WithArguments("this cancel routine returns without completing its request 'r' on some path"));

    /// <summary>The echo sample's timer: unmark, and complete only when that did not return STATUS_CANCELLED.</summary>
    [Fact]
    public Task Silent_EchoTimerCompletesOnlyWhenNotCancelled() => Verify.VerifyAnalyzerAsync("""
        class QueueContext { public WDFREQUEST CurrentRequest; public NTSTATUS CurrentStatus; }

        class Driver
        {
            QueueContext Queue = new();

            void EvtIoRead(WDFQUEUE Q, WDFREQUEST Request, nuint Length)
            {
                WdfRequestMarkCancelable(Request, EchoEvtRequestCancel);
                Queue.CurrentRequest = Request;
            }

            void EchoEvtRequestCancel(WDFREQUEST Request)
            {
                WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
                Queue.CurrentRequest = default;
            }

            void EchoEvtTimerFunc(WDFTIMER Timer)
            {
                WDFREQUEST Request = Queue.CurrentRequest;
                if (Request != default)
                {
                    NTSTATUS Status = WdfRequestUnmarkCancelable(Request);
                    if (Status != STATUS_CANCELLED)
                    {
                        Queue.CurrentRequest = default;
                        WdfRequestComplete(Request, Queue.CurrentStatus);
                    }
                }
            }
        }
        """);

    /// <summary>The notifier: the unmark tested in the condition; NT_SUCCESS of the mark decides who completes on failure.</summary>
    [Fact]
    public Task Silent_NotifierUnmarksInTheConditionAndCompletesAFailedMark() => Verify.VerifyAnalyzerAsync("""
        class Context { public WDFREQUEST Waiter; }

        class Driver
        {
            Context Ctx = new();

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                if (Ctx.Waiter != WDF_NO_HANDLE)
                {
                    status = STATUS_DEVICE_BUSY;
                }
                else
                {
                    status = WdfRequestMarkCancelableEx(Request, Canceled);
                    if (NT_SUCCESS(status))
                    {
                        Ctx.Waiter = Request;
                    }
                }

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }
            }

            void Timer()
            {
                var waiter = Ctx.Waiter;
                Ctx.Waiter = WDF_NO_HANDLE;
                if (waiter != WDF_NO_HANDLE && WdfRequestUnmarkCancelable(waiter) != STATUS_CANCELLED)
                {
                    WdfRequestComplete(waiter, STATUS_SUCCESS);
                }
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """);

    /// <summary>
    /// The SPB test tool: the cancel routine only cancels the sent SPB request, whose completion routine completes the
    /// client request whatever the unmark returned.
    /// </summary>
    [Fact]
    public Task Silent_CancelRoutineCancelsTheSentRequestAndTheRoutineCompletesEitherWay() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT { public WDFREQUEST SpbRequest; public WDFREQUEST ClientRequest; public WDFIOTARGET Target; }

        static class Driver
        {
            static DEVICE_CONTEXT Device = new();

            public static void Send(WDFREQUEST ClientRequest)
            {
                Device.ClientRequest = ClientRequest;
                var status = WdfRequestMarkCancelableEx(ClientRequest, OnCancel);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(ClientRequest, status);
                    return;
                }

                WdfRequestSetCompletionRoutine(Device.SpbRequest, OnCompletion, ClientRequest);
                WdfRequestSend(Device.SpbRequest, Device.Target, WDF_NO_SEND_OPTIONS);
            }

            static void OnCancel(WDFREQUEST FxRequest) => WdfRequestCancelSentRequest(Device.SpbRequest);

            static void OnCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var client = (WDFREQUEST)Context!;
                WdfRequestUnmarkCancelable(client);
                WdfRequestComplete(client, Params.IoStatus.Status);
            }
        }
        """);

    /// <summary>A request never marked cancelable, unmarked defensively and completed: nothing to report.</summary>
    [Fact]
    public Task Silent_UnmarkOfARequestWhoseCancelRoutineIsUnknown() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Done(WDFREQUEST Request)
            {
                WdfRequestUnmarkCancelable(Request);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    /// <summary>
    /// The WDK's bluetooth/serialhcibus shape: the cancel routine and the write completion routine agree through the
    /// context's RequestCompletePath flags. Each sets its bit; the cancel routine completes only when the other side had not
    /// run, and the completion routine, after an unmark that returned STATUS_CANCELLED, completes only when the cancel
    /// routine had already run and seen its bit (so did not complete). Neither side is a finding.
    /// </summary>
    [Fact]
    public Task Silent_CancelAndCompletionRoutinesAgreeThroughAFlag() => Verify.VerifyAnalyzerAsync(FlagProtocol(
        cancelRoutine: CancelRoutineTestingTheFlag,
        completion: """
                WDFREQUEST original = Ctx.Original;
                int path = Ctx.CompletePath;
                Ctx.CompletePath |= PATH_COMPLETION;
                if (path != PATH_NONE)
                {
                    return;
                }

                if (STATUS_CANCELLED == WdfRequestUnmarkCancelable(original))
                {
                    path = Ctx.CompletePath;
                    if (path == PATH_COMPLETION)
                    {
                        Ctx.CompletePath = PATH_NONE;
                    }

                    if ((path & PATH_CANCELLATION) != 0)
                    {
                        path = PATH_NONE;
                    }
                }

                if (path == PATH_NONE)
                {
                    WdfRequestComplete(original, STATUS_SUCCESS);
                }
        """));

    /// <summary>The completion routine sets the flag but completes after STATUS_CANCELLED without testing it: both complete.</summary>
    [Fact]
    public Task CompletionThatSetsTheFlagButDoesNotTestIt() => Verify.VerifyAnalyzerAsync(FlagProtocol(
        cancelRoutine: CancelRoutineTestingTheFlag,
        completion: """
                WDFREQUEST original = Ctx.Original;
                Ctx.CompletePath |= PATH_COMPLETION;
                var status = {|#1:WdfRequestUnmarkCancelable(original)|};
                {|#0:WdfRequestComplete(original, STATUS_SUCCESS)|};
        """),
        Verify.Diagnostic("DRV005").WithLocation(0).WithLocation(1)
            .WithArguments("'original' is completed by WdfRequestComplete although WdfRequestUnmarkCancelable at line 29 may have returned STATUS_CANCELLED, when its cancel routine completes it"));

    /// <summary>The completion routine keeps its half of the protocol, but the cancel routine completes whatever the flag says.</summary>
    [Fact]
    public Task CancelRoutineThatIgnoresTheFlag() => Verify.VerifyAnalyzerAsync(FlagProtocol(
        cancelRoutine: """
                Ctx.CompletePath |= PATH_CANCELLATION;
                WdfRequestComplete(Request, STATUS_CANCELLED);
        """,
        completion: """
                WDFREQUEST original = Ctx.Original;
                int path = Ctx.CompletePath;
                Ctx.CompletePath |= PATH_COMPLETION;
                if ({|#1:WdfRequestUnmarkCancelable(original)|} == STATUS_CANCELLED)
                {
                    path = Ctx.CompletePath;
                    if ((path & PATH_CANCELLATION) != 0)
                    {
                        path = PATH_NONE;
                    }
                }

                if (path == PATH_NONE)
                {
                    {|#0:WdfRequestComplete(original, STATUS_SUCCESS)|};
                }
        """),
        Verify.Diagnostic("DRV005").WithLocation(0).WithLocation(1)
            .WithArguments("'original' is completed by WdfRequestComplete although WdfRequestUnmarkCancelable at line 26 may have returned STATUS_CANCELLED, when its cancel routine completes it"));

    /// <summary>The serialhcibus cancel routine: sets its bit, completes only when the other side had not run.</summary>
    private const string CancelRoutineTestingTheFlag = """
                int path = Ctx.CompletePath;
                Ctx.CompletePath |= PATH_CANCELLATION;
                if (path == PATH_NONE)
                {
                    WdfRequestComplete(Request, STATUS_CANCELLED);
                }
        """;

    /// <summary>A queue callback marks the request and keeps it in a context; a cancel routine and a completion routine share a flag member.</summary>
    private static string FlagProtocol(string cancelRoutine, string completion) => $$"""
        class WriteContext { public WDFREQUEST Original; public int CompletePath; }

        class Driver
        {
            const int PATH_NONE = 0, PATH_CANCELLATION = 1, PATH_COMPLETION = 2;
            WriteContext Ctx = new();

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Ctx.CompletePath = PATH_NONE;
                Ctx.Original = Request;
                WdfRequestMarkCancelable(Request, OnCancel);
            }

            void OnCancel(WDFREQUEST Request)
            {
        {{cancelRoutine}}
            }

            void OnWriteCompleted(WDFREQUEST Sent, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
        {{completion}}
            }
        }
        """;
}
