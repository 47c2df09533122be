using System;
using System.Threading;
using DriverBuffers.Hosting;
using DriverBuffers.Requests;

namespace DriverBuffers.Targets;

/// <summary>One request in flight at a simulated target, and what to do when the target completes it.</summary>
internal sealed class TargetOperation
{
    private int finished;

    public TargetOperation(WdfRequestObject? request, TargetFormat format, TargetIoRequest description,
        bool synchronous, Action<TargetOperation, TargetIoResponse> onCompleted)
    {
        Request = request;
        Format = format;
        Description = description;
        Synchronous = synchronous;
        OnCompleted = onCompleted;
    }

    /// <summary>Null for a synchronous send the framework made without a driver request, or an IRP a WDM driver sent.</summary>
    public WdfRequestObject? Request { get; }

    public TargetFormat Format { get; }

    public TargetIoRequest Description { get; }

    public bool Synchronous { get; }

    /// <summary>Sent with <c>WDF_REQUEST_SEND_OPTION_TIMEOUT</c>: the framework cancels it when the timeout expires.</summary>
    public bool HasTimeout { get; init; }

    /// <summary>The framework target object it was sent through (null for an IRP a WDM driver sent).</summary>
    public WdfIoTargetObject? SentThrough { get; init; }

    /// <summary>How the target treats it (its mode and responder), fixed when it was sent.</summary>
    public required TargetSendScript Script { get; init; }

    /// <summary>The simulated target working on it.</summary>
    public SimulatedIoTarget? Target { get; set; }

    public Action<TargetOperation, TargetIoResponse> OnCompleted { get; }

    public TargetIoResponse? Response { get; private set; }

    /// <summary>The information the completion reported (after defaults were applied).</summary>
    public nuint Information { get; set; }

    public ManualResetEventSlim Done { get; } = new(false);

    public bool IsFinished => Volatile.Read(ref finished) != 0;

    /// <summary>Completes the operation exactly once (a timed-out or canceled send is finished by whoever gets there first).</summary>
    public bool TryFinish(TargetIoResponse response)
    {
        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return false;
        }
        Response = response;
        try
        {
            OnCompleted(this, response);
        }
        finally
        {
            // The operation counts as in flight until its completion was delivered (the completion routine returned),
            // so that a framework wait for sent I/O (device removal) does not end while another thread is still in it.
            // Even when the driver's completion routine throws (a violation), a waiter must not hang.
            Target?.Finished(this);
            Done.Set();
        }
        return true;
    }

    /// <summary>
    /// The simulated device's side of completing: writes the response's data into the output buffer (never more
    /// than it holds, never into dead memory) and works out the information (by default the bytes written for a
    /// read, the input length for a write). Returns and records it.
    /// </summary>
    public nuint DeliverResponse(TargetIoResponse response)
    {
        int written = 0;
        if (response.Data is { } data && Format.Output is { } output && output.Buffer.Allocation is { } allocation)
        {
            int count = (int)Math.Min((nuint)data.Length, output.Length);
            written = allocation.DeviceWrite(output.Buffer.Offset, data.AsSpan(0, count));
        }
        Information = response.Information
            ?? (Format.Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite ? Format.Input?.Length ?? 0 : (nuint)written);
        return Information;
    }

    /// <summary>The request is canceled (by the application or <c>WdfRequestCancelSentRequest</c>): the target completes it with STATUS_CANCELLED.</summary>
    public bool Cancel() => Target?.Cancel(this) ?? TryFinish(new TargetIoResponse(Wdm.STATUS_CANCELLED, 0));
}
