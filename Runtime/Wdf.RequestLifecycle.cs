using DriverBuffers.Framework;
using DriverBuffers.Requests;
using DriverBuffers.Verifier;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// A request's place in the I/O system: its IRP and requestor, cancellation (DRV005), and the stop handshake of
/// power-managed queues.
/// </summary>
public static partial class Wdf
{
    /// <summary>The WDM IRP behind a request the framework received (NULL for a driver-created request).</summary>
    public static IRP WdfRequestWdmGetIrp(WDFREQUEST Request) =>
        UseRequest(Request, nameof(WdfRequestWdmGetIrp))?.Irp?.Irp!;

    /// <summary><c>UserMode</c> for an application's request, <c>KernelMode</c> for one from another driver.</summary>
    public static KPROCESSOR_MODE WdfRequestGetRequestorMode(WDFREQUEST Request) =>
        UseRequest(Request, nameof(WdfRequestGetRequestorMode))?.Irp?.Irp.RequestorMode ?? KernelMode;

    /// <summary>
    /// Lets the request be canceled: when the application cancels it, <paramref name="EvtRequestCancel"/> runs and
    /// must complete it. On a request that is already canceled the routine runs at once (use
    /// <see cref="WdfRequestMarkCancelableEx"/> to be told instead). STATUS_INVALID_DEVICE_REQUEST for a
    /// driver-created request.
    /// </summary>
    public static void WdfRequestMarkCancelable(WDFREQUEST Request, EVT_WDF_REQUEST_CANCEL EvtRequestCancel)
    {
        var request = UseRequest(Request, nameof(WdfRequestMarkCancelable));
        if (request is not null && RequiredParameter.Present(EvtRequestCancel, nameof(WdfRequestMarkCancelable), nameof(EvtRequestCancel)))
        {
            RequestCancellation.MarkCancelable(request, EvtRequestCancel, ex: false, nameof(WdfRequestMarkCancelable));
        }
    }

    /// <summary>As <see cref="WdfRequestMarkCancelable"/>, but returns STATUS_CANCELLED (and does not run the routine) if the request is already canceled.</summary>
    public static NTSTATUS WdfRequestMarkCancelableEx(WDFREQUEST Request, EVT_WDF_REQUEST_CANCEL EvtRequestCancel)
    {
        var request = UseRequest(Request, nameof(WdfRequestMarkCancelableEx));
        if (request is null || !RequiredParameter.Present(EvtRequestCancel, nameof(WdfRequestMarkCancelableEx), nameof(EvtRequestCancel)))
        {
            return request is null ? FailureFor(Request) : STATUS_INVALID_PARAMETER;
        }
        return RequestCancellation.MarkCancelable(request, EvtRequestCancel, ex: true, nameof(WdfRequestMarkCancelableEx));
    }

    /// <summary>
    /// Takes the cancel routine away before completing the request. STATUS_CANCELLED when the cancel routine has run
    /// or is running: it owns the request then, and the caller must not complete it (DRV005).
    /// STATUS_INVALID_DEVICE_REQUEST if the request was not marked cancelable.
    /// </summary>
    public static NTSTATUS WdfRequestUnmarkCancelable(WDFREQUEST Request)
    {
        var request = UseRequest(Request, nameof(WdfRequestUnmarkCancelable));
        return request is null ? FailureFor(Request) : RequestCancellation.UnmarkCancelable(request);
    }

    /// <summary>Whether the request was canceled (by the application, a purge, or <see cref="WdfRequestCancelSentRequest"/>).</summary>
    public static bool WdfRequestIsCanceled(WDFREQUEST Request) =>
        UseRequest(Request, nameof(WdfRequestIsCanceled))?.IsCanceled ?? false;

    /// <summary>Cancels a request the driver sent to an I/O target: the target completes it with STATUS_CANCELLED. FALSE if it was not pending there.</summary>
    public static bool WdfRequestCancelSentRequest(WDFREQUEST Request)
    {
        var request = UseRequest(Request, nameof(WdfRequestCancelSentRequest));
        if (request is null)
        {
            return false;
        }
        Targets.TargetOperation? operation;
        lock (request.Runtime.Sync)
        {
            operation = request.State == SendState.Pending ? request.PendingOperation : null;
            if (operation is not null)
            {
                request.CanceledByDriver = true;
            }
        }
        return operation?.Cancel() ?? false;
    }

    /// <summary>
    /// Answers <c>EvtIoStop</c>: with <paramref name="Requeue"/> the request goes back to the head of its queue (unmark it
    /// cancelable first, DRV005), else the driver keeps it and gets it back in <c>EvtIoResume</c>.
    /// </summary>
    public static void WdfRequestStopAcknowledge(WDFREQUEST Request, bool Requeue)
    {
        const string ddi = nameof(WdfRequestStopAcknowledge);
        var request = UseRequest(Request, ddi);
        if (request is null)
        {
            return;
        }
        if (request.StopState != StopState.StopRequested || request.Queue is not { } queue)
        {
            request.Runtime.Verifier.Report(Rules.InvalidRequestState, ddi, request.HandleName,
                "the request is not being stopped (acknowledge only in answer to EvtIoStop)");
            return;
        }
        if (!Requeue)
        {
            lock (request.Runtime.Sync) { request.StopState = StopState.Acknowledged; }
            return;
        }
        if (request.CancelState == CancelState.Cancelable)
        {
            request.Runtime.Verifier.Report(Rules.CancelableRequestMisuse, ddi, request.HandleName,
                "a request requeued while still marked cancelable could be canceled in the queue and by its cancel routine; unmark it first");
            return;
        }
        queue.Requeue(request);
    }

    /// <summary>Puts a driver-owned request back at the head of the queue that presented it.</summary>
    public static NTSTATUS WdfRequestRequeue(WDFREQUEST Request)
    {
        var request = UseRequest(Request, nameof(WdfRequestRequeue));
        if (request is null)
        {
            return FailureFor(Request);
        }
        if (request.Origin != RequestOrigin.Queue || request.Queue is not { } queue || request.Position != QueuePosition.DriverOwned)
        {
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        queue.Requeue(request);
        return STATUS_SUCCESS;
    }
}
