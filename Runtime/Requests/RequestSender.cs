using System;
using DriverBuffers.Hosting;
using DriverBuffers.IoManager;
using DriverBuffers.Memory;
using DriverBuffers.Synchronization;
using DriverBuffers.Targets;
using DriverBuffers.Verifier;

namespace DriverBuffers.Requests;

/// <summary>
/// Formatting, sending and reusing requests (reference 000, scenarios 2 to 5). Formatting takes the I/O
/// target's reference on the memory objects, held until the request is formatted again, reused, deleted,
/// or (a queue request) completed. A driver-created request that came back from its target must be
/// reused before it is formatted or sent again (DRV011).
/// </summary>
internal static class RequestSender
{
    /// <summary>Installs a new format; the status the format DDI returns.</summary>
    public static NTSTATUS Format(WdfRequestObject request, WdfIoTargetObject target, TargetFormat format, string ddi)
    {
        if (!MayBeFormattedOrSent(request, ddi))
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        request.ReleaseHeldMemory();
        lock (request.Runtime.Sync)
        {
            request.Format = format;
            request.Target = target;
            request.State = SendState.Formatted;
        }
        request.HoldMemoryOf(format);
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>DRV011 checks; false when the request may not be formatted or sent now.</summary>
    private static bool MayBeFormattedOrSent(WdfRequestObject request, string ddi)
    {
        var state = request.State;
        if (state == SendState.Pending)
        {
            request.Runtime.Verifier.Report(Rules.ResendWithoutReuse, ddi, request.HandleName,
                $"the request is still pending at {request.Target?.HandleName}");
            return false;
        }
        if (state == SendState.Returned && request.Origin == RequestOrigin.DriverCreated)
        {
            request.Runtime.Verifier.Report(Rules.ResendWithoutReuse, ddi, request.HandleName,
                "the driver-created request came back from its I/O target and was not reinitialised with WdfRequestReuse");
        }
        return true;
    }

    /// <summary><c>WdfRequestSend</c>.</summary>
    public static bool Send(WdfRequestObject request, WdfIoTargetObject target, WDF_REQUEST_SEND_OPTIONS? options, string ddi)
    {
        uint flags = options?.Flags ?? 0;
        if (!MayBeFormattedOrSent(request, ddi))
        {
            return false;
        }
        var format = request.Format ?? (request.Origin == RequestOrigin.Queue ? CurrentTypeFormat(request) : null);
        bool forget = (flags & Wdf.WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET) != 0;
        if (format is null || (forget && request.Origin != RequestOrigin.Queue))
        {
            return FailSend(request, format is null ? Wdm.STATUS_INVALID_DEVICE_REQUEST : Wdm.STATUS_INVALID_PARAMETER);
        }
        var simulation = target.Simulation;
        if (simulation is null)
        {
            return FailSend(request, Wdm.STATUS_INVALID_DEVICE_STATE);
        }
        var description = Describe(request.HandleName, format, request.Irp?.Result);
        var script = simulation.ScriptFor(description);
        if (script.Mode == TargetCompletionMode.FailSend)
        {
            return FailSend(request, script.SendFailureStatus);
        }
        bool synchronous = (flags & Wdf.WDF_REQUEST_SEND_OPTION_SYNCHRONOUS) != 0;
        if (synchronous && !ThreadIrql.Check(KIRQL.PASSIVE_LEVEL, ddi, request.HandleName))
        {
            return FailSend(request, Wdm.STATUS_INVALID_DEVICE_STATE);
        }
        lock (request.Runtime.Sync)
        {
            request.Format = format;
            request.Target = target;
            request.State = SendState.Pending;
            request.Status = Wdm.STATUS_PENDING;
            request.SendAndForget = forget;
        }
        request.PinBuffersWhilePending(format);
        var operation = new TargetOperation(request, format, description, synchronous, OnTargetCompleted)
        {
            Script = script,
            HasTimeout = HasTimeout(options),
            SentThrough = target,
        };
        lock (request.Runtime.Sync) { request.PendingOperation = operation; }
        simulation.Record(operation.Description);
        if (synchronous)
        {
            RunSynchronously(simulation, operation, options);
        }
        else
        {
            simulation.Start(operation);
            if (request.IsCanceled)
            {
                // The lower driver sees Irp->Cancel and cancels the request it was given.
                operation.Cancel();
            }
        }
        return true;
    }

    private static bool FailSend(WdfRequestObject request, NTSTATUS status)
    {
        lock (request.Runtime.Sync)
        {
            request.State = SendState.Returned;
            request.Status = status;
        }
        return false;
    }

    /// <summary>
    /// A synchronous send without a driver request (<c>WdfIoTargetSend*Synchronously</c> with a NULL request).
    /// Returns the completion status and information.
    /// </summary>
    public static (NTSTATUS Status, nuint Information) SendWithoutRequest(WdfIoTargetObject target, TargetFormat format, WDF_REQUEST_SEND_OPTIONS? options)
    {
        var simulation = target.Simulation;
        if (simulation is null)
        {
            return (Wdm.STATUS_INVALID_DEVICE_STATE, 0);
        }
        var description = Describe("(framework-internal)", format, null);
        var script = simulation.ScriptFor(description);
        if (script.Mode == TargetCompletionMode.FailSend)
        {
            return (script.SendFailureStatus, 0);
        }
        var operation = new TargetOperation(null, format, description, synchronous: true, OnTargetCompleted)
        {
            Script = script,
            SentThrough = target,
        };
        simulation.Record(operation.Description);
        RunSynchronously(simulation, operation, options);
        return (operation.Response!.Status, operation.Information);
    }

    private static void RunSynchronously(SimulatedIoTarget simulation, TargetOperation operation, WDF_REQUEST_SEND_OPTIONS? options)
    {
        bool hasTimeout = HasTimeout(options);
        if (operation.Script.Mode == TargetCompletionMode.WhenPumped)
        {
            // The sender blocks until the lower driver completes: with a timeout the framework cancels it when
            // the timeout expires (nothing pumps the target meanwhile); without one the lower driver completes it.
            operation.TryFinish(hasTimeout ? new TargetIoResponse(Wdm.STATUS_IO_TIMEOUT, 0) : operation.Script.Responder(operation.Description));
            return;
        }
        simulation.Start(operation);
        if (hasTimeout)
        {
            var timeout = TimeSpan.FromTicks(Math.Abs(options!.Timeout));
            if (!operation.Done.Wait(timeout))
            {
                operation.TryFinish(new TargetIoResponse(Wdm.STATUS_IO_TIMEOUT, 0));
            }
        }
        operation.Done.Wait();
    }

    private static bool HasTimeout(WDF_REQUEST_SEND_OPTIONS? options) =>
        options is not null && (options.Flags & Wdf.WDF_REQUEST_SEND_OPTION_TIMEOUT) != 0 && options.Timeout != 0;

    /// <summary>The target completed the operation: fill the output buffer, update the request, call back.</summary>
    private static void OnTargetCompleted(TargetOperation operation, TargetIoResponse response)
    {
        var format = operation.Format;
        nuint information = operation.DeliverResponse(response);
        var request = operation.Request;
        if (request is null)
        {
            return;
        }
        request.UnpinBuffers();
        var parameters = CompletionParameters(format, response.Status, information);
        lock (request.Runtime.Sync)
        {
            request.State = SendState.Returned;
            request.Status = response.Status;
            request.Information = information;
            request.CompletionParams = parameters;
            request.PendingOperation = null;
        }
        if (operation.Synchronous)
        {
            return;
        }
        if (request.SendAndForget)
        {
            RequestCompleter.Complete(request, response.Status, information, "the framework when the I/O target completed a send-and-forget request");
            return;
        }
        if (request.CompletionRoutine is { } routine)
        {
            var context = request.CompletionContext;
            using (ApplicationScope.For(operation.Description.Origin))
            {
                ThreadIrql.RunCallback(request.Runtime, ThreadIrql.Current, "EvtRequestCompletionRoutine",
                    () => routine(new WDFREQUEST(request), new WDFIOTARGET(request.Target), parameters, context));
            }
        }
        else if (request.Origin == RequestOrigin.Queue)
        {
            RequestCompleter.Complete(request, response.Status, information, "the framework (no completion routine was set)");
        }
    }

    /// <summary><c>WdfRequestReuse</c>.</summary>
    public static NTSTATUS Reuse(WdfRequestObject request, WDF_REQUEST_REUSE_PARAMS reuseParams, string ddi)
    {
        if (request.State == SendState.Pending)
        {
            request.Runtime.Verifier.Report(Rules.InvalidRequestState, ddi, request.HandleName,
                $"the request is still pending at {request.Target?.HandleName}");
            return Wdm.STATUS_INVALID_DEVICE_STATE;
        }
        if ((reuseParams.Flags & Wdf.WDF_REQUEST_REUSE_SET_NEW_IRP) != 0 && reuseParams.NewIrp is null)
        {
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        request.ReleaseHeldMemory();
        lock (request.Runtime.Sync)
        {
            request.State = SendState.Idle;
            request.Format = null;
            request.Status = reuseParams.Status;
            request.CompletionRoutine = null;
            request.CompletionContext = null;
            request.CompletionParams = null;
            request.SendAndForget = false;
            // KMDF (FxRequest::Reuse) clears the canceled state and the IRP's Cancel flag, so a request that was
            // canceled once (WdfRequestCancelSentRequest) can be sent again.
            request.CanceledByDriver = false;
            if (request.Irp is { } irp)
            {
                irp.Irp.Cancel = false;
            }
            if (request.Origin == RequestOrigin.DriverCreated)
            {
                request.Information = 0;
            }
        }
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>A queue request sent without formatting: passed down with its own buffers.</summary>
    public static TargetFormat CurrentTypeFormat(WdfRequestObject request)
    {
        var irp = request.Irp!;
        var s = irp.Submission;
        return new TargetFormat(s.Type,
            RegionOf(irp, s.InputMethod, input: true),
            RegionOf(irp, s.OutputMethod, input: false),
            s.IoControlCode, s.DeviceOffset);
    }

    private static TransferRegion? RegionOf(IrpTracker irp, TransferMethod method, bool input)
    {
        nuint length = input ? irp.InputLength : irp.OutputLength;
        PVOID buffer = method switch
        {
            TransferMethod.Buffered => new PVOID(irp.SystemBuffer, 0),
            TransferMethod.Direct => irp.Mdl is { } mdl ? mdl.Map("WdfRequestSend") : default,
            TransferMethod.Neither => new PVOID(input ? irp.UserInputAddress : irp.UserOutputAddress, 0),
            _ => default,
        };
        return length == 0 ? null : new TransferRegion(buffer, length, null);
    }

    /// <summary>What a simulated target receives; <paramref name="origin"/>: the application request the send serves, if known.</summary>
    internal static TargetIoRequest Describe(string requestName, TargetFormat format, IoResult? origin)
    {
        var input = format.Input is { } region && region.Buffer.Allocation is { } allocation
            ? allocation.DeviceRead(region.Buffer.Offset, region.Length)
            : Array.Empty<byte>();
        return new TargetIoRequest(requestName, format.Type, format.Length, format.DeviceOffset,
            format.IoControlCode, input, format.Output?.Length ?? 0) { Origin = origin ?? ApplicationScope.Current };
    }

    private static WDF_REQUEST_COMPLETION_PARAMS CompletionParameters(TargetFormat format, NTSTATUS status, nuint information)
    {
        Wdf.WDF_REQUEST_COMPLETION_PARAMS_INIT(out var parameters);
        parameters.Type = format.Type;
        parameters.IoStatus.Status = status;
        parameters.IoStatus.Information = information;
        Fill(parameters.Parameters.Read, format.Output);
        Fill(parameters.Parameters.Write, format.Input);
        parameters.Parameters.Ioctl.IoControlCode = format.IoControlCode;
        Fill(parameters.Parameters.Ioctl.Input, format.Input);
        Fill(parameters.Parameters.Ioctl.Output, format.Output);
        return parameters;
    }

    private static void Fill(WDF_REQUEST_COMPLETION_PARAMS.TransferParameters target, TransferRegion? region)
    {
        if (region is null)
        {
            return;
        }
        target.Buffer = new WDFMEMORY(region.Memory);
        target.Length = region.Length;
        target.Offset = region.Memory is { } memory ? region.Buffer.Offset - memory.Buffer.Offset : 0;
    }
}
