using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers.Requests;

/// <summary>
/// Request cancellation as KMDF does it. The application (or a purge) cancels a request: waiting in a queue it
/// is completed with STATUS_CANCELLED; pending at a target the target completes it with STATUS_CANCELLED; owned
/// by the driver and marked cancelable its cancel routine runs, on the canceling thread, and must complete it
/// (DRV005 if nobody ever does). <c>WdfRequestUnmarkCancelable</c> tells the driver when the cancel routine has
/// the request (STATUS_CANCELLED); completing a request still marked cancelable, or one its cancel routine
/// completed, is DRV005.
/// </summary>
internal static class RequestCancellation
{
    /// <summary>The IRP behind <paramref name="request"/> was canceled (its cancel handler).</summary>
    public static void OnIrpCanceled(WdfRequestObject request)
    {
        Queues.WdfQueueObject? waitingIn = null;
        Targets.TargetOperation? atTarget = null;
        EVT_WDF_REQUEST_CANCEL? routine = null;
        lock (request.Runtime.Sync)
        {
            if (request.CompletedBy is not null)
            {
                return;
            }
            if (request.Position == QueuePosition.Waiting)
            {
                waitingIn = request.Queue;
            }
            else if (request.State == SendState.Pending)
            {
                atTarget = request.PendingOperation;
            }
            else if (request.CancelState == CancelState.Cancelable)
            {
                request.CancelState = CancelState.CancelRoutineCalled;
                routine = request.CancelRoutine;
            }
        }
        waitingIn?.CancelWaiting(request);
        atTarget?.Cancel();
        if (routine is not null)
        {
            RunCancelRoutine(request, routine);
        }
    }

    /// <summary>A purge cancels a driver-owned request if the driver marked it cancelable.</summary>
    public static void CancelIfCancelable(WdfRequestObject request)
    {
        EVT_WDF_REQUEST_CANCEL? routine = null;
        lock (request.Runtime.Sync)
        {
            if (request.CompletedBy is null && request.CancelState == CancelState.Cancelable)
            {
                request.CancelState = CancelState.CancelRoutineCalled;
                request.CanceledByDriver = true;
                routine = request.CancelRoutine;
            }
        }
        if (routine is not null)
        {
            RunCancelRoutine(request, routine);
        }
    }

    /// <summary><c>WdfRequestMarkCancelable(Ex)</c>.</summary>
    public static NTSTATUS MarkCancelable(WdfRequestObject request, EVT_WDF_REQUEST_CANCEL routine, bool ex, string ddi)
    {
        if (request.Origin != RequestOrigin.Queue || request.Irp is null)
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        bool runNow = false;
        lock (request.Runtime.Sync)
        {
            if (request.CancelState == CancelState.CancelRoutineCalled)
            {
                request.Runtime.Verifier.Report(Rules.CancelableRequestMisuse, ddi, request.HandleName,
                    "the request's cancel routine was already called; it belongs to the cancel routine now");
                return Wdm.STATUS_CANCELLED;
            }
            if (request.Irp.Irp.Cancel)
            {
                if (ex)
                {
                    return Wdm.STATUS_CANCELLED;
                }
                request.CancelState = CancelState.CancelRoutineCalled;
                request.CancelRoutine = routine;
                runNow = true;
            }
            else
            {
                request.CancelState = CancelState.Cancelable;
                request.CancelRoutine = routine;
            }
        }
        if (runNow)
        {
            RunCancelRoutine(request, routine);
        }
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary><c>WdfRequestUnmarkCancelable</c>.</summary>
    public static NTSTATUS UnmarkCancelable(WdfRequestObject request)
    {
        lock (request.Runtime.Sync)
        {
            switch (request.CancelState)
            {
                case CancelState.Cancelable:
                    request.CancelState = CancelState.NotCancelable;
                    request.CancelRoutine = null;
                    return Wdm.STATUS_SUCCESS;
                case CancelState.CancelRoutineCalled:
                    return Wdm.STATUS_CANCELLED;
                default:
                    return Wdm.STATUS_INVALID_DEVICE_REQUEST;
            }
        }
    }

    private static void RunCancelRoutine(WdfRequestObject request, EVT_WDF_REQUEST_CANCEL routine)
    {
        request.CancelRoutineThatRan = routine.Method;
        using (IoManager.ApplicationScope.For(request.Irp?.Result))
        {
            // KMDF runs a queue request's cancel routine under its queue's callback lock, if the queue has one.
            CallbackLock.Run(request.Queue?.SyncLock, request.Runtime, ThreadIrql.Current, "EvtRequestCancel", () => routine(new WDFREQUEST(request)));
        }
        lock (request.Runtime.Sync)
        {
            if (request.CompletedBy is null)
            {
                request.CancelRoutineLeftItIncomplete = true;
            }
        }
    }
}
