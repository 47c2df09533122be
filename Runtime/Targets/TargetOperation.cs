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

    /// <summary>Null for a synchronous send the framework made without a driver request.</summary>
    public WdfRequestObject? Request { get; }

    public TargetFormat Format { get; }

    public TargetIoRequest Description { get; }

    public bool Synchronous { get; }

    /// <summary>Sent with <c>WDF_REQUEST_SEND_OPTION_TIMEOUT</c>: the framework cancels it when the timeout expires.</summary>
    public bool HasTimeout { get; init; }

    public Action<TargetOperation, TargetIoResponse> OnCompleted { get; }

    public TargetIoResponse? Response { get; private set; }

    /// <summary>The information the completion reported (after defaults were applied).</summary>
    public nuint Information { get; set; }

    public ManualResetEventSlim Done { get; } = new(false);

    /// <summary>Completes the operation exactly once (a timed-out synchronous send is finished by its canceller).</summary>
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
            // Even when the driver's completion routine throws (a violation), a waiter must not hang.
            Done.Set();
        }
        return true;
    }
}
