using DriverBuffers.Framework;
using DriverBuffers.Synchronization;
using DriverBuffers.Memory;
using DriverBuffers.Requests;
using DriverBuffers.Verifier;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// Request buffers, completion, creation, reuse and sending. Every call on a completed request is DRV003
/// (completing it again DRV002); with the verifier off such calls return STATUS_INTERNAL_ERROR, as KMDF.
/// Buffers, memory objects and MDLs retrieved from a request end when it completes (DRV001).
/// </summary>
public static partial class Wdf
{
    /// <summary>The request's input buffer as a memory object (the same object on every call).</summary>
    public static NTSTATUS WdfRequestRetrieveInputMemory(WDFREQUEST Request, out WDFMEMORY Memory) =>
        RetrieveMemory(Request, input: true, out Memory, nameof(WdfRequestRetrieveInputMemory));

    /// <summary>The request's output buffer as a memory object (the same object on every call).</summary>
    public static NTSTATUS WdfRequestRetrieveOutputMemory(WDFREQUEST Request, out WDFMEMORY Memory) =>
        RetrieveMemory(Request, input: false, out Memory, nameof(WdfRequestRetrieveOutputMemory));

    /// <summary>
    /// The request's input buffer (buffered or direct I/O). STATUS_BUFFER_TOO_SMALL when it is empty or shorter
    /// than <paramref name="MinimumRequiredLength"/>, STATUS_INVALID_DEVICE_REQUEST for a request without input
    /// (a read) or using neither I/O.
    /// </summary>
    public static NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID Buffer, out nuint Length) =>
        RetrieveBuffer(Request, input: true, MinimumRequiredLength, out Buffer, out Length, nameof(WdfRequestRetrieveInputBuffer));

    /// <summary><see cref="WdfRequestRetrieveInputBuffer(WDFREQUEST, nuint, out PVOID, out nuint)"/> with C's <c>NULL</c> for the length.</summary>
    public static NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID Buffer, PVOID Length) =>
        RetrieveBuffer(Request, input: true, MinimumRequiredLength, out Buffer, out _, nameof(WdfRequestRetrieveInputBuffer), Length);

    /// <summary>
    /// The request's output buffer (buffered or direct I/O). STATUS_BUFFER_TOO_SMALL when it is empty or shorter
    /// than <paramref name="MinimumRequiredSize"/>, STATUS_INVALID_DEVICE_REQUEST for a request without output
    /// (a write) or using neither I/O.
    /// </summary>
    public static NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredSize,
        out PVOID Buffer, out nuint Length) =>
        RetrieveBuffer(Request, input: false, MinimumRequiredSize, out Buffer, out Length, nameof(WdfRequestRetrieveOutputBuffer));

    /// <summary><see cref="WdfRequestRetrieveOutputBuffer(WDFREQUEST, nuint, out PVOID, out nuint)"/> with C's <c>NULL</c> for the length.</summary>
    public static NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredSize,
        out PVOID Buffer, PVOID Length) =>
        RetrieveBuffer(Request, input: false, MinimumRequiredSize, out Buffer, out _, nameof(WdfRequestRetrieveOutputBuffer), Length);

    /// <summary>The MDL of the request's input buffer (direct I/O's MDL, or one built for the system buffer).</summary>
    public static NTSTATUS WdfRequestRetrieveInputWdmMdl(WDFREQUEST Request, out PMDL Mdl) =>
        RetrieveMdl(Request, input: true, out Mdl, nameof(WdfRequestRetrieveInputWdmMdl));

    /// <summary>The MDL of the request's output buffer (direct I/O's MDL, or one built for the system buffer).</summary>
    public static NTSTATUS WdfRequestRetrieveOutputWdmMdl(WDFREQUEST Request, out PMDL Mdl) =>
        RetrieveMdl(Request, input: false, out Mdl, nameof(WdfRequestRetrieveOutputWdmMdl));

    /// <summary>
    /// The raw user address of a neither-I/O request's input buffer; only in <c>EvtIoInCallerContext</c>
    /// (else STATUS_INVALID_DEVICE_REQUEST). Touching it before probing is DRV042.
    /// </summary>
    public static NTSTATUS WdfRequestRetrieveUnsafeUserInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID InputBuffer, out nuint Length) =>
        RetrieveUnsafe(Request, input: true, MinimumRequiredLength, out InputBuffer, out Length, nameof(WdfRequestRetrieveUnsafeUserInputBuffer));

    public static NTSTATUS WdfRequestRetrieveUnsafeUserInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID InputBuffer, PVOID Length) =>
        RetrieveUnsafe(Request, input: true, MinimumRequiredLength, out InputBuffer, out _, nameof(WdfRequestRetrieveUnsafeUserInputBuffer), Length);

    /// <summary>
    /// The raw user address of a neither-I/O request's output buffer; only in <c>EvtIoInCallerContext</c>
    /// (else STATUS_INVALID_DEVICE_REQUEST). Touching it before probing is DRV042.
    /// </summary>
    public static NTSTATUS WdfRequestRetrieveUnsafeUserOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID OutputBuffer, out nuint Length) =>
        RetrieveUnsafe(Request, input: false, MinimumRequiredLength, out OutputBuffer, out Length, nameof(WdfRequestRetrieveUnsafeUserOutputBuffer));

    public static NTSTATUS WdfRequestRetrieveUnsafeUserOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID OutputBuffer, PVOID Length) =>
        RetrieveUnsafe(Request, input: false, MinimumRequiredLength, out OutputBuffer, out _, nameof(WdfRequestRetrieveUnsafeUserOutputBuffer), Length);

    /// <summary>
    /// Probes a user buffer for reading, locks it and returns a memory object over its system mapping (a child
    /// of the request). Only in <c>EvtIoInCallerContext</c>; STATUS_ACCESS_VIOLATION for a bad user range.
    /// </summary>
    public static NTSTATUS WdfRequestProbeAndLockUserBufferForRead(WDFREQUEST Request, PVOID Buffer, nuint Length,
        out WDFMEMORY MemoryObject) =>
        ProbeAndLock(Request, Buffer, Length, out MemoryObject, nameof(WdfRequestProbeAndLockUserBufferForRead));

    /// <summary>Probes a user buffer for writing; otherwise as <see cref="WdfRequestProbeAndLockUserBufferForRead"/>.</summary>
    public static NTSTATUS WdfRequestProbeAndLockUserBufferForWrite(WDFREQUEST Request, PVOID Buffer, nuint Length,
        out WDFMEMORY MemoryObject) =>
        ProbeAndLock(Request, Buffer, Length, out MemoryObject, nameof(WdfRequestProbeAndLockUserBufferForWrite));

    /// <summary>Completes a request delivered by a queue (DRV002 twice, DRV010, DRV013 for a driver-created request).</summary>
    public static void WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status) =>
        CompleteFromDriver(Request, Status, null, nameof(WdfRequestComplete));

    /// <summary>Completes a request with its information (bytes transferred); more than the buffer holds is DRV023.</summary>
    public static void WdfRequestCompleteWithInformation(WDFREQUEST Request, NTSTATUS Status, nuint Information) =>
        CompleteFromDriver(Request, Status, Information, nameof(WdfRequestCompleteWithInformation));

    /// <summary>Completes a request with a priority boost (the boost has no effect in the simulation).</summary>
    public static void WdfRequestCompleteWithPriorityBoost(WDFREQUEST Request, NTSTATUS Status, sbyte PriorityBoost) =>
        CompleteFromDriver(Request, Status, null, nameof(WdfRequestCompleteWithPriorityBoost));

    /// <summary>Creates a request the driver sends to I/O targets, reuses, and finally deletes with <c>WdfObjectDelete</c>.</summary>
    public static NTSTATUS WdfRequestCreate(WDF_OBJECT_ATTRIBUTES? RequestAttributes, WDFIOTARGET IoTarget,
        out WDFREQUEST Request)
    {
        Request = default;
        var target = HandleValidation.UseOptional(IoTarget.Object, nameof(WdfRequestCreate), IoTarget.ToString(), out bool targetValid);
        var runtime = RuntimeFor(RequestAttributes, nameof(WdfRequestCreate), out bool parentValid);
        if (!targetValid || !parentValid)
        {
            return STATUS_INVALID_PARAMETER;
        }
        if (RequestAttributes?.ParentObject.Object is null && target is not null)
        {
            runtime = target.Runtime;
        }
        var request = new WdfRequestObject(runtime, RequestOrigin.DriverCreated, irp: null) { Target = target };
        request.ApplyAttributes(RequestAttributes, runtime.Driver);
        Request = new WDFREQUEST(request);
        return STATUS_SUCCESS;
    }

    /// <summary>
    /// Reinitialises a request for another trip: releases the I/O target's references on its memory, forgets
    /// its format and completion routine, sets its status. Reusing a request still pending at its target
    /// is a violation (STATUS_INVALID_DEVICE_STATE with the verifier off).
    /// </summary>
    public static NTSTATUS WdfRequestReuse(WDFREQUEST Request, WDF_REQUEST_REUSE_PARAMS ReuseParams)
    {
        var request = UseRequest(Request, nameof(WdfRequestReuse));
        if (request is null)
        {
            return FailureFor(Request);
        }
        return RequiredParameter.Present(ReuseParams, nameof(WdfRequestReuse), nameof(ReuseParams))
            ? RequestSender.Reuse(request, ReuseParams, nameof(WdfRequestReuse))
            : STATUS_INVALID_PARAMETER;
    }

    /// <summary>Sets the routine the framework calls when an I/O target completes the request.</summary>
    public static void WdfRequestSetCompletionRoutine(WDFREQUEST Request, EVT_WDF_REQUEST_COMPLETION_ROUTINE? CompletionRoutine,
        object? CompletionContext)
    {
        var request = UseRequest(Request, nameof(WdfRequestSetCompletionRoutine));
        if (request is null)
        {
            return;
        }
        lock (request.Runtime.Sync)
        {
            request.CompletionRoutine = CompletionRoutine;
            request.CompletionContext = CompletionContext;
        }
    }

    /// <summary>
    /// Sends a request to an I/O target: asynchronously (the completion routine runs when the target completes
    /// it), synchronously (<c>WDF_REQUEST_SEND_OPTION_SYNCHRONOUS</c>: returns after completion, no completion
    /// routine), or send-and-forget (a queue request the framework completes for the driver). FALSE when the
    /// send fails: <see cref="WdfRequestGetStatus"/> gives why. Sending a driver-created request again without
    /// <c>WdfRequestReuse</c> is DRV011.
    /// </summary>
    public static bool WdfRequestSend(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_SEND_OPTIONS? Options)
    {
        var request = UseRequest(Request, nameof(WdfRequestSend));
        var target = HandleValidation.Use(Target.Object, nameof(WdfRequestSend), Target.ToString());
        return request is not null && target is not null && RequestSender.Send(request, target, Options, nameof(WdfRequestSend));
    }

    /// <summary>The request's status: STATUS_PENDING while at a target, the target's status after, the failure after a failed send.</summary>
    public static NTSTATUS WdfRequestGetStatus(WDFREQUEST Request) =>
        UseRequest(Request, nameof(WdfRequestGetStatus))?.Status ?? FailureFor(Request);

    /// <summary>The queue that delivered the request (null handle for a driver-created request).</summary>
    public static WDFQUEUE WdfRequestGetIoQueue(WDFREQUEST Request) =>
        new(UseRequest(Request, nameof(WdfRequestGetIoQueue))?.Queue);

    /// <summary>
    /// Moves a request the driver owns to another queue, which dispatches it at once (or keeps it, if
    /// manual). STATUS_INVALID_DEVICE_REQUEST for the queue it is already in or a driver-created request.
    /// </summary>
    public static NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST Request, WDFQUEUE DestinationQueue)
    {
        var request = UseRequest(Request, nameof(WdfRequestForwardToIoQueue));
        var queue = HandleValidation.Use(DestinationQueue.Object, nameof(WdfRequestForwardToIoQueue), DestinationQueue.ToString());
        if (request is null || queue is null)
        {
            return request is null ? FailureFor(Request) : STATUS_INVALID_HANDLE;
        }
        if (request.Origin != RequestOrigin.Queue || request.Queue == queue || (request.Device is { } device && queue.Device != device))
        {
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        if (request.State == SendState.Pending)
        {
            return STATUS_INVALID_DEVICE_STATE;
        }
        request.Queue?.OnRequestLeft(request);
        queue.Enqueue(request);
        return STATUS_SUCCESS;
    }

    /// <summary>The information (bytes transferred) the request will complete with.</summary>
    public static nuint WdfRequestGetInformation(WDFREQUEST Request) =>
        UseRequest(Request, nameof(WdfRequestGetInformation))?.Information ?? 0;

    /// <summary>Sets the information (bytes transferred) the request will complete with.</summary>
    public static void WdfRequestSetInformation(WDFREQUEST Request, nuint Information)
    {
        var request = UseRequest(Request, nameof(WdfRequestSetInformation));
        if (request is not null)
        {
            lock (request.Runtime.Sync) { request.Information = Information; }
        }
    }

    /// <summary>Copies the parameters of the request's last completion by an I/O target.</summary>
    public static void WdfRequestGetCompletionParams(WDFREQUEST Request, WDF_REQUEST_COMPLETION_PARAMS Params)
    {
        var source = UseRequest(Request, nameof(WdfRequestGetCompletionParams))?.CompletionParams;
        if (source is null || !RequiredParameter.Present(Params, nameof(WdfRequestGetCompletionParams), nameof(Params)))
        {
            return;
        }
        Params.Type = source.Type;
        Params.IoStatus.Status = source.IoStatus.Status;
        Params.IoStatus.Information = source.IoStatus.Information;
        CopyTransfer(source.Parameters.Read, Params.Parameters.Read);
        CopyTransfer(source.Parameters.Write, Params.Parameters.Write);
        Params.Parameters.Ioctl.IoControlCode = source.Parameters.Ioctl.IoControlCode;
        CopyTransfer(source.Parameters.Ioctl.Input, Params.Parameters.Ioctl.Input);
        CopyTransfer(source.Parameters.Ioctl.Output, Params.Parameters.Ioctl.Output);
    }

    /// <summary>Fills the request's type and lengths (C's <c>WDF_REQUEST_PARAMETERS</c>).</summary>
    public static void WdfRequestGetParameters(WDFREQUEST Request, WDF_REQUEST_PARAMETERS Parameters)
    {
        var request = UseRequest(Request, nameof(WdfRequestGetParameters));
        if (request is null || !RequiredParameter.Present(Parameters, nameof(WdfRequestGetParameters), nameof(Parameters)))
        {
            return;
        }
        Parameters.Type = request.Type;
        var p = Parameters.Parameters;
        if (request.Irp is { } irp)
        {
            var s = irp.Submission;
            p.Read.Length = irp.OutputLength;
            p.Read.DeviceOffset = s.DeviceOffset;
            p.Write.Length = irp.InputLength;
            p.Write.DeviceOffset = s.DeviceOffset;
            p.DeviceIoControl.OutputBufferLength = irp.OutputLength;
            p.DeviceIoControl.InputBufferLength = irp.InputLength;
            p.DeviceIoControl.IoControlCode = s.IoControlCode;
            p.DeviceIoControl.Type3InputBuffer = irp.Irp.TopLocation.Parameters.DeviceIoControl.Type3InputBuffer;
            Parameters.MinorFunction = irp.Submission.MinorFunction;
        }
        else if (request.Format is { } format)
        {
            p.Read.Length = format.Output?.Length ?? 0;
            p.Write.Length = format.Input?.Length ?? 0;
            p.Read.DeviceOffset = p.Write.DeviceOffset = format.DeviceOffset;
            p.DeviceIoControl.OutputBufferLength = format.Output?.Length ?? 0;
            p.DeviceIoControl.InputBufferLength = format.Input?.Length ?? 0;
            p.DeviceIoControl.IoControlCode = format.IoControlCode;
        }
    }

    /// <summary>Formats a queue request to be passed down unchanged (its own type and buffers).</summary>
    public static void WdfRequestFormatRequestUsingCurrentType(WDFREQUEST Request)
    {
        var request = UseRequest(Request, nameof(WdfRequestFormatRequestUsingCurrentType));
        if (request is null || request.Origin != RequestOrigin.Queue)
        {
            return;
        }
        RequestSender.Format(request, request.Target ?? request.Device!.DefaultTarget!,
            RequestSender.CurrentTypeFormat(request), nameof(WdfRequestFormatRequestUsingCurrentType));
    }

    private static void CopyTransfer(WDF_REQUEST_COMPLETION_PARAMS.TransferParameters from, WDF_REQUEST_COMPLETION_PARAMS.TransferParameters to)
    {
        to.Buffer = from.Buffer;
        to.Length = from.Length;
        to.Offset = from.Offset;
    }

    private static WdfRequestObject? UseRequest(WDFREQUEST handle, string ddi) =>
        HandleValidation.Use(handle.Object, ddi, handle.ToString());

    /// <summary>What a DDI returns for an unusable request with the verifier off: KMDF's status for a completed request, or an invalid handle.</summary>
    private static NTSTATUS FailureFor(WDFREQUEST handle) =>
        handle.Object is null ? STATUS_INVALID_HANDLE : STATUS_INTERNAL_ERROR;

    private static NTSTATUS RetrieveMemory(WDFREQUEST handle, bool input, out WDFMEMORY memory, string ddi)
    {
        memory = default;
        var request = UseRequest(handle, ddi);
        if (request is null)
        {
            return FailureFor(handle);
        }
        var status = RequestBuffers.RetrieveMemory(request, input, out var found, ddi);
        memory = new WDFMEMORY(found);
        return status;
    }

    private static NTSTATUS RetrieveBuffer(WDFREQUEST handle, bool input, nuint minimum, out PVOID buffer, out nuint length,
        string ddi, PVOID lengthMustBeNull = default, bool unsafeUserAddress = false)
    {
        NullOnly.Convert(lengthMustBeNull, 0);
        buffer = NULL;
        length = 0;
        var request = UseRequest(handle, ddi);
        if (request is null)
        {
            return FailureFor(handle);
        }
        return unsafeUserAddress
            ? RequestBuffers.RetrieveUnsafeUser(request, input, minimum, out buffer, out length)
            : RequestBuffers.Retrieve(request, input, minimum, out buffer, out length, ddi);
    }

    private static NTSTATUS RetrieveUnsafe(WDFREQUEST handle, bool input, nuint minimum, out PVOID buffer, out nuint length,
        string ddi, PVOID lengthMustBeNull = default) =>
        RetrieveBuffer(handle, input, minimum, out buffer, out length, ddi, lengthMustBeNull, unsafeUserAddress: true);

    private static NTSTATUS RetrieveMdl(WDFREQUEST handle, bool input, out PMDL mdl, string ddi)
    {
        mdl = default;
        var request = UseRequest(handle, ddi);
        if (request is null)
        {
            return FailureFor(handle);
        }
        var status = RequestBuffers.RetrieveMdl(request, input, out var found);
        mdl = new PMDL(found);
        return status;
    }

    private static NTSTATUS ProbeAndLock(WDFREQUEST handle, PVOID buffer, nuint length, out WDFMEMORY memory, string ddi)
    {
        memory = default;
        var request = UseRequest(handle, ddi);
        if (request is null)
        {
            return FailureFor(handle);
        }
        var status = RequestBuffers.ProbeAndLock(request, buffer, length, out var found, ddi);
        memory = new WDFMEMORY(found);
        return status;
    }

    private static void CompleteFromDriver(WDFREQUEST handle, NTSTATUS status, nuint? information, string ddi)
    {
        var request = handle.Object;
        if (request is null)
        {
            HandleValidation.Use(request, ddi, handle.ToString());
            return;
        }
        if (request.Origin == RequestOrigin.DriverCreated)
        {
            if (request.End is { } end)
            {
                request.Runtime.Verifier.Report(end.Rule, ddi, request.HandleName, end.Detail);
                return;
            }
            request.Runtime.Verifier.Report(Rules.CompletingDriverCreatedRequest, ddi, request.HandleName,
                "a request created with WdfRequestCreate is never completed; delete it with WdfObjectDelete (or reuse it)");
            return;
        }
        lock (request.Runtime.Sync)
        {
            if (request.Position == QueuePosition.Waiting && request.CompletedBy is null)
            {
                // KMDF Verifier stops the system here: the queue owns the request until it presents it or the driver
                // retrieves it, and whoever gets it then completes it a second time. The request stays in its queue.
                request.Runtime.Verifier.Report(Rules.InvalidRequestState, ddi, request.HandleName,
                    $"the request waits in {request.Queue?.HandleName ?? "a queue"} (the driver forwarded or requeued it), so the " +
                    "driver no longer owns it; complete it only when the queue presents it again or the driver retrieves it");
                return;
            }
        }
        RequestCompleter.Complete(request, status, information, ddi);
    }
}
