using DriverBuffers.Verifier;

namespace DriverBuffers.Requests;

/// <summary>
/// Completing a queue request (<c>WdfRequestComplete*</c>, send-and-forget, the framework itself): exactly
/// once even when two threads race (the loser gets DRV002), after the checks KMDF Verifier makes
/// (DRV010 a driver-created request still holds its memory, DRV023 information larger than the buffer).
/// Completion ends the request (DRV003 for later calls), its memory objects and every buffer pointer and
/// MDL from it (DRV001), and completes the IRP back to the application.
/// </summary>
internal static class RequestCompleter
{
    public static void Complete(WdfRequestObject request, NTSTATUS status, nuint? information, string completedBy)
    {
        var runtime = request.Runtime;
        nuint finalInformation;
        lock (runtime.Sync)
        {
            if (request.CompletedBy is { } earlier)
            {
                if (request.CancelState == CancelState.CancelRoutineCalled)
                {
                    runtime.Verifier.Report(Rules.CancelableRequestMisuse, completedBy, request.HandleName,
                        $"the request was canceled and already completed by {earlier}: its cancel routine owns a canceled " +
                        "request (WdfRequestUnmarkCancelable returns STATUS_CANCELLED); complete it in one place only");
                    return;
                }
                runtime.Verifier.Report(Rules.DoubleCompletion, completedBy, request.HandleName,
                    $"the request was already completed by {earlier}");
                return;
            }
            if (request.CancelState == CancelState.Cancelable)
            {
                request.CancelState = CancelState.NotCancelable;
                request.CancelRoutine = null;
                runtime.Verifier.Report(Rules.CancelableRequestMisuse, completedBy, request.HandleName,
                    "the request is still marked cancelable, so its cancel routine could complete it too; " +
                    "call WdfRequestUnmarkCancelable first and complete only if it does not return STATUS_CANCELLED");
            }
            if (request.State == SendState.Pending)
            {
                runtime.Verifier.Report(Rules.InvalidRequestState, completedBy, request.HandleName,
                    $"the request is still pending at {request.Target?.HandleName}; complete it in its completion routine");
            }
            CheckNoDriverCreatedRequestHoldsMemory(request, completedBy);
            finalInformation = information ?? request.Information;
            CheckInformationFitsBuffer(request, status, finalInformation, completedBy);
            request.CompletedBy = completedBy;
            request.Information = finalInformation;
            request.Status = status;
        }
        request.Device?.Forget(request);
        request.EndTree(new EndReason(Rules.RequestAccessAfterCompletion,
            $"{request.HandleName} was completed by {completedBy}"));
        request.UnpinBuffers();
        var irp = request.Irp!;
        irp.Irp.IoStatus.Status = status;
        irp.Complete(status, finalInformation, completedBy);
        request.Queue?.OnRequestLeft(request);
    }

    private static void CheckNoDriverCreatedRequestHoldsMemory(WdfRequestObject request, string ddi)
    {
        foreach (var memory in new[] { request.InputMemory, request.OutputMemory })
        {
            if (memory is null)
            {
                continue;
            }
            foreach (var holder in memory.HeldBy)
            {
                if (holder != request)
                {
                    request.Runtime.Verifier.Report(Rules.MissingReuseBeforeCompletion, ddi, request.HandleName,
                        $"{holder.HandleName} was formatted with {memory.HandleName}, which belongs to this request, and still holds " +
                        $"the I/O target's reference on it; call WdfRequestReuse (or WdfObjectDelete) on {holder.HandleName} first");
                }
            }
        }
    }

    /// <summary>
    /// DRV023 as KMDF Verifier checks it (FxRequest::Vf_VerifyCompleteInternal): only a successful completion, of a read,
    /// a write, or a device-control request from user mode with an output buffer, may not report more bytes than the
    /// buffer holds. A failure status (STATUS_BUFFER_TOO_SMALL with the size needed, for example) is not checked: the I/O
    /// manager copies nothing back for an error.
    /// </summary>
    private static void CheckInformationFitsBuffer(WdfRequestObject request, NTSTATUS status, nuint information, string ddi)
    {
        if (!Wdm.NT_SUCCESS(status))
        {
            return;
        }
        var irp = request.Irp!;
        nuint? capacity = request.Type switch
        {
            WDF_REQUEST_TYPE.WdfRequestTypeRead => irp.OutputLength,
            WDF_REQUEST_TYPE.WdfRequestTypeWrite => irp.InputLength,
            WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl when irp.Submission.RequestorMode == KPROCESSOR_MODE.UserMode
                && irp.OutputLength != 0 => irp.OutputLength,
            _ => null,
        };
        if (information > capacity)
        {
            request.Runtime.Verifier.Report(Rules.InformationTooLarge, ddi, request.HandleName,
                $"the completion reports {information} byte(s) with a success status but the request's buffer holds {capacity}");
        }
    }
}
