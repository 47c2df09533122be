using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// Issue 11: a status or flag that carries what happened to the request to a later test, in the shapes of shipped WDK
/// samples. A constant status's <c>NT_SUCCESS</c> is decided (OSR USB FX2's <c>goto Exit</c>); a flag set only after a
/// successful forward (<c>requestPending</c>), set on the cases a callback answers itself (<c>fSync</c>), or an
/// <c>out bool</c> set by a forwarding helper (<c>completeRequest</c>) is followed to the hand-off's outcome.
/// </summary>
public class Drv004CarriedOutcomeTests
{
    /// <summary>
    /// bluetooth/serialhcibus FdoIoQuDeviceControl, IOCTL_BTHX_READ_HCI: the request is forwarded to a manual queue, and on
    /// success the status is overwritten by the helper that tries to answer it at once; the shared exit completes only
    /// on failure or when a case asked for it. Where the status is a success, the request was forwarded.
    /// </summary>
    [Fact]
    public Task Silent_ForwardStatusOverwrittenOnItsSuccessPath() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFQUEUE ReadQueue;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS Status = STATUS_SUCCESS;
                bool CompleteRequest = FALSE;
                switch (IoControlCode)
                {
                    case 1:
                        Status = WdfRequestForwardToIoQueue(Request, ReadQueue);
                        if (NT_SUCCESS(Status))
                        {
                            Status = TryAnswer(ReadQueue);
                        }
                        break;
                    case 2:
                        CompleteRequest = TRUE;
                        if (OutputBufferLength >= 4)
                        {
                            WdfRequestCompleteWithInformation(Request, Status, 4);
                            return;
                        }
                        else
                        {
                            Status = STATUS_INVALID_PARAMETER;
                        }
                        break;
                    default:
                        Status = STATUS_NOT_SUPPORTED;
                        break;
                }

                if (!NT_SUCCESS(Status) || CompleteRequest)
                {
                    WdfRequestComplete(Request, Status);
                }
            }

            static NTSTATUS TryAnswer(WDFQUEUE queue) => STATUS_PENDING;
        }
        """);

    /// <summary>
    /// bluetooth/serialhcibus's shape with a case that asks the shared exit to complete with a success status
    /// (<c>CompleteRequest = TRUE</c>, the status left at STATUS_SUCCESS): the exit completes where the status is a failure
    /// or the flag is set, so every path that did not forward the request completes it. The exit's false edge needs
    /// NT_SUCCESS(Status) and !CompleteRequest at once: the switch's three paths are kept apart (JoinedPaths) and each test
    /// keeps those on which it can hold, the forwarding one alone.
    /// </summary>
    [Fact]
    public Task Silent_SuccessFlagSetOnACaseThatCompletesAtTheSharedExit() => Verify.VerifyAnalyzerAsync(SuccessFlag("""
                    case 2:
                        CompleteRequest = TRUE;
                        WdfRequestSetInformation(Request, 4);
                        break;
        """));

    /// <summary>The same shape where a case neither forwards, nor fails, nor sets the flag: the request is left behind.</summary>
    [Fact]
    public Task Drv004_SuccessCaseThatSetsNoFlag() => Verify.VerifyAnalyzerAsync(SuccessFlag("""
                    case 2:
                        WdfRequestSetInformation(Request, 4);
                        break;
        """, "{|DRV004:EvtIoDeviceControl|}"));

    /// <summary>
    /// The same shape where the flag is cleared after the switch, on every path: the case that set it now reaches the exit
    /// with a success status and the flag clear, owning the request (what was known of the flag on each path is gone).
    /// </summary>
    [Fact]
    public Task Drv004_SuccessFlagClearedAfterTheSwitch() => Verify.VerifyAnalyzerAsync(SuccessFlag("""
                    case 2:
                        CompleteRequest = TRUE;
                        break;
        """, "{|DRV004:EvtIoDeviceControl|}", afterSwitch: "CompleteRequest = FALSE;"));

    /// <summary>
    /// SPB test tool's fSync with the status of a sending helper tested at the same exit (<c>if (fSync ||
    /// !NT_SUCCESS(status))</c>): one case is answered here, one is sent by a helper that returns a failure where the send
    /// failed, the default fails. Where neither holds, the helper sent the request.
    /// </summary>
    [Fact]
    public Task Silent_FSyncOrTheFailedStatusOfASendingHelper() => Verify.VerifyAnalyzerAsync(FSyncOrStatus("""
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    return STATUS_UNSUCCESSFUL;
                }

                return STATUS_SUCCESS;
        """));

    /// <summary>The same exit, with a helper that returns a success where it sent nothing: that path leaves the request.</summary>
    [Fact]
    public Task Drv004_FSyncOrTheStatusOfAHelperThatReturnsSuccessWithoutSending() => Verify.VerifyAnalyzerAsync(FSyncOrStatus("""
                if (Busy)
                {
                    return STATUS_SUCCESS;
                }

                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    return STATUS_UNSUCCESSFUL;
                }

                return STATUS_SUCCESS;
        """, "{|DRV004:EvtIoDeviceControl|}"));

    private static string FSyncOrStatus(string sendBody, string callback = "EvtIoDeviceControl") => SwitchThenSharedExit(
        callback,
        members: "WDFIOTARGET Target; bool Busy;",
        locals: "bool fSync = FALSE; NTSTATUS status = STATUS_SUCCESS;",
        cases: """
                    case 1:
                        fSync = TRUE;
                        WdfRequestSetInformation(Request, 0);
                        break;
                    case 2:
                        status = Send(Request);
                        break;
                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
        """,
        exit: "if (fSync || !NT_SUCCESS(status)) { WdfRequestComplete(Request, status); }",
        helpers: $$"""
            NTSTATUS Send(WDFREQUEST Request)
            {
                WdfRequestFormatRequestUsingCurrentType(Request);
        {{sendBody}}
            }
        """);

    private static string SuccessFlag(string secondCase, string callback = "EvtIoDeviceControl", string afterSwitch = "") => SwitchThenSharedExit(
        callback,
        members: "WDFQUEUE ReadQueue;",
        locals: "NTSTATUS Status = STATUS_SUCCESS; bool CompleteRequest = FALSE;",
        cases: $$"""
                    case 1:
                        Status = WdfRequestForwardToIoQueue(Request, ReadQueue);
                        break;
        {{secondCase}}
                    default:
                        Status = STATUS_NOT_SUPPORTED;
                        break;
        """,
        exit: afterSwitch + " if (!NT_SUCCESS(Status) || CompleteRequest) { WdfRequestComplete(Request, Status); }");

    /// <summary>An IOCTL callback whose cases set a status and flags, then one exit that completes under them.</summary>
    private static string SwitchThenSharedExit(string callback, string members, string locals, string cases, string exit, string helpers = "") => $$"""
        class Driver
        {
            {{members}}

            void {{callback}}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                {{locals}}
                switch (IoControlCode)
                {
        {{cases}}
                }

                {{exit}}
            }

        {{helpers}}
        }
        """;

    /// <summary>The same shape where the overwritten status says nothing about the request: the success path that did not forward it is still found.</summary>
    [Fact]
    public Task Flagged_StatusOverwrittenOnAPathThatDidNotForward() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFQUEUE ReadQueue;

            void {|DRV004:EvtIoDeviceControl|}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS Status = WdfRequestForwardToIoQueue(Request, ReadQueue);
                if (!NT_SUCCESS(Status))
                {
                    Status = TryAnswer(ReadQueue);
                }

                if (!NT_SUCCESS(Status))
                {
                    WdfRequestComplete(Request, Status);
                }
            }

            static NTSTATUS TryAnswer(WDFQUEUE queue) => STATUS_PENDING;
        }
        """);

    /// <summary>OSR USB FX2 OsrFxEvtIoRead: every failure jumps to a shared exit that completes only on failure.</summary>
    [Fact]
    public Task Silent_ConstantFailureStatusCarriedToASharedExit() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Pipe;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status;
                if (Length > 64)
                {
                    status = STATUS_INVALID_PARAMETER;
                    goto Exit;
                }

                status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                status = WdfIoTargetFormatRequestForRead(Pipe, Request, memory, null, null);
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                WdfRequestSetCompletionRoutine(Request, Done, Pipe);
                if (WdfRequestSend(Request, Pipe, WDF_NO_SEND_OPTIONS) == FALSE)
                {
                    status = WdfRequestGetStatus(Request);
                    goto Exit;
                }

            Exit:
                if (!NT_SUCCESS(status))
                {
                    WdfRequestCompleteWithInformation(Request, status, 0);
                }
            }

            static void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) =>
                WdfRequestComplete(Request, Params.IoStatus.Status);
        }
        """);

    /// <summary>The same shape with a success constant: that path reaches the exit owning the request and leaves it.</summary>
    [Fact]
    public Task Drv004_ConstantSuccessStatusCarriedToAnExitThatCompletesOnlyOnFailure() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status;
                if (Length == 0)
                {
                    status = STATUS_SUCCESS;
                    goto Exit;
                }

                status = STATUS_INVALID_PARAMETER;

            Exit:
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }
            }
        }
        """);

    /// <summary>OSR USB FX2 OsrFxEvtIoDeviceControl: requestPending = TRUE only where WdfRequestForwardToIoQueue succeeded.</summary>
    [Fact]
    public Task Silent_RequestPendingSetOnlyAfterASuccessfulForward() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFQUEUE InterruptMsgQueue;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                bool requestPending = FALSE;
                switch (IoControlCode)
                {
                    case 1:
                        status = STATUS_SUCCESS;
                        break;
                    case 2:
                        status = WdfRequestForwardToIoQueue(Request, InterruptMsgQueue);
                        if (NT_SUCCESS(status))
                        {
                            requestPending = TRUE;
                        }

                        break;
                    case 3:
                        status = STATUS_NOT_IMPLEMENTED;
                        break;
                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }

                if (requestPending == FALSE)
                {
                    WdfRequestComplete(Request, status);
                }
            }
        }
        """);

    /// <summary>The flag set on a case that forgot to forward: that path leaves the request pending forever.</summary>
    [Fact]
    public Task Drv004_RequestPendingSetOnACaseThatDoesNotForward() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFQUEUE InterruptMsgQueue;

            void {|DRV004:EvtIoDeviceControl|}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                bool requestPending = FALSE;
                switch (IoControlCode)
                {
                    case 1:
                        status = WdfRequestForwardToIoQueue(Request, InterruptMsgQueue);
                        if (NT_SUCCESS(status))
                        {
                            requestPending = TRUE;
                        }

                        break;
                    case 2:
                        requestPending = TRUE;
                        break;
                }

                if (requestPending == FALSE)
                {
                    WdfRequestComplete(Request, status);
                }
            }
        }
        """);

    /// <summary>SPB test tool OnIoDeviceControl: fSync on the cases answered here; helpers send or complete the others.</summary>
    [Fact]
    public Task Silent_FSyncSetOnTheCasesTheCallbackAnswersItself() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                bool fSync = FALSE;
                NTSTATUS status = STATUS_SUCCESS;
                switch (IoControlCode)
                {
                    case 1:
                        fSync = TRUE;
                        status = STATUS_SUCCESS;
                        break;
                    case 2:
                        Send(Request);
                        break;
                    case 3:
                        Fail(Request);
                        break;
                    default:
                        fSync = TRUE;
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }

                if (fSync)
                {
                    WdfRequestComplete(Request, status);
                }
            }

            void Send(WDFREQUEST Request)
            {
                WdfRequestFormatRequestUsingCurrentType(Request);
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            static void Fail(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
        }
        """);

    /// <summary>The flag set on a case that a helper already completed: completed twice.</summary>
    [Fact]
    public Task Drv002_FSyncSetOnACaseAHelperCompletes() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                bool fSync = FALSE;
                switch (IoControlCode)
                {
                    case 1:
                        fSync = TRUE;
                        break;
                    default:
                        fSync = TRUE;
                        Fail(Request);
                        break;
                }

                if (fSync)
                {
                    {|DRV002:WdfRequestComplete(Request, STATUS_SUCCESS)|};
                }
            }

            static void Fail(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
        }
        """);

    /// <summary>VHidMini2 EvtIoDeviceControl: ReadReport sets its out bool FALSE only where it forwarded the request.</summary>
    [Fact]
    public Task Silent_OutBoolSetByAForwardingHelper() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFQUEUE ManualQueue;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                bool completeRequest = TRUE;
                switch (IoControlCode)
                {
                    case 1:
                        status = ReadReport(Request, out completeRequest);
                        break;
                    default:
                        status = STATUS_NOT_IMPLEMENTED;
                        break;
                }

                if (completeRequest)
                {
                    WdfRequestComplete(Request, status);
                }
            }

            NTSTATUS ReadReport(WDFREQUEST Request, out bool CompleteRequest)
            {
                NTSTATUS status = WdfRequestForwardToIoQueue(Request, ManualQueue);
                if (!NT_SUCCESS(status))
                {
                    CompleteRequest = TRUE;
                }
                else
                {
                    CompleteRequest = FALSE;
                }

                return status;
            }
        }
        """);

    /// <summary>A helper that says "completed by me" the wrong way round: the caller completes a forwarded request.</summary>
    [Fact]
    public Task Drv004_OutBoolSetTrueWhereTheHelperForwarded() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFQUEUE ManualQueue;

            void {|DRV004:EvtIoDeviceControl|}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = ReadReport(Request, out var completeRequest);
                if (completeRequest)
                {
                    WdfRequestComplete(Request, status);
                }
            }

            NTSTATUS ReadReport(WDFREQUEST Request, out bool CompleteRequest)
            {
                NTSTATUS status = WdfRequestForwardToIoQueue(Request, ManualQueue);
                if (NT_SUCCESS(status))
                {
                    CompleteRequest = TRUE;
                }
                else
                {
                    CompleteRequest = FALSE;
                }

                return status;
            }
        }
        """);

    /// <summary>
    /// The exerciser's hidden KMDF notifier (a false DRV004 the runtime showed): the request marked cancelable and kept in
    /// the device context under the spin lock is kept; every other path completes it at the shared test of the status.
    /// </summary>
    [Fact]
    public Task Silent_MarkedCancelableAndKeptUnderASpinLock() => Verify.VerifyAnalyzerAsync("""
        class NotifierContext { public WDFSPINLOCK Lock; public WDFREQUEST Waiter; }

        class Driver
        {
            NotifierContext Context = new();

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var context = Context;
                NTSTATUS status;
                if (IoControlCode != 1)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
                    return;
                }

                WdfSpinLockAcquire(context.Lock);
                if (context.Waiter != WDF_NO_HANDLE)
                {
                    status = STATUS_DEVICE_BUSY;
                }
                else
                {
                    status = WdfRequestMarkCancelableEx(Request, Canceled);
                    if (NT_SUCCESS(status))
                    {
                        context.Waiter = Request;
                    }
                }
                WdfSpinLockRelease(context.Lock);

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }
            }

            static void Canceled(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
        }
        """);

    /// <summary>
    /// The cancel-safe queue sample's polling thread: each request taken from the queue is completed once, in the
    /// <c>finally</c>, whether the inner loop breaks or the thread returns from inside the <c>try</c>.
    /// </summary>
    [Fact]
    public Task Silent_ReturnThroughAFinallyInsideALoopCompletesOnce() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            bool ShouldStop;

            void PollingThread(WDFQUEUE Queue)
            {
                NTSTATUS status = STATUS_PENDING;
                for (;;)
                {
                    if (ShouldStop)
                    {
                        return;
                    }

                    if (!NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Queue, out var request)))
                    {
                        return;
                    }

                    try
                    {
                        for (;;)
                        {
                            status = Poll();
                            if (status != STATUS_PENDING)
                            {
                                break;
                            }

                            if (ShouldStop)
                            {
                                status = STATUS_CANCELLED;
                                return;
                            }
                        }
                    }
                    finally
                    {
                        WdfRequestComplete(request, status);
                    }
                }
            }

            NTSTATUS Poll() => ShouldStop ? STATUS_SUCCESS : STATUS_PENDING;
        }
        """);

    /// <summary>The same loop completing inside the <c>try</c> too: the <c>finally</c> completes it again.</summary>
    [Fact]
    public Task Drv002_CompletedInTheTryAndAgainInTheFinallyInsideALoop() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            bool ShouldStop;

            void PollingThread(WDFQUEUE Queue)
            {
                for (;;)
                {
                    if (!NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Queue, out var request)))
                    {
                        return;
                    }

                    try
                    {
                        if (ShouldStop)
                        {
                            WdfRequestComplete(request, STATUS_CANCELLED);
                            return;
                        }
                    }
                    finally
                    {
                        {|DRV002:WdfRequestComplete(request, STATUS_SUCCESS)|};
                    }
                }
            }
        }
        """);

    /// <summary>A validating helper completes the request exactly when it fails: the callback returns on failure without completing.</summary>
    [Fact]
    public Task StatusReturnedByAHelperThatCompletesOnFailure_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = Validate(Request, Length);
                if (!NT_SUCCESS(status))
                {
                    return;
                }

                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
            }

            static NTSTATUS Validate(WDFREQUEST request, nuint length)
            {
                if (length < 4)
                {
                    WdfRequestComplete(request, STATUS_INVALID_PARAMETER);
                    return STATUS_INVALID_PARAMETER;
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>The same helper, and a callback that returns on success: the request is left uncompleted there.</summary>
    [Fact]
    public Task StatusReturnedByAHelperThatCompletesOnFailure_ReturnOnTheWrongSide() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoWrite|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = Validate(Request, Length);
                if (NT_SUCCESS(status))
                {
                    return;
                }
            }

            static NTSTATUS Validate(WDFREQUEST request, nuint length)
            {
                if (length < 4)
                {
                    WdfRequestComplete(request, STATUS_INVALID_PARAMETER);
                    return STATUS_INVALID_PARAMETER;
                }

                return STATUS_SUCCESS;
            }
        }
        """);
}
