using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// Scripts the simulated lower targets per request: what the driver sends while it handles a generated request (the
/// request itself passed down, or a request of the driver's own made in one of its callbacks) completes as that
/// request says: at once, later, on another thread, or the send fails; with success and data, failure, busy, timeout,
/// or canceled. Each send finds its request through the application's tag on the request it serves
/// (<see cref="TargetIoRequest.Origin"/>), so concurrent requests never take each other's behaviour and a run with
/// several threads replays exactly. A send that serves no application request (from a timer, a DPC, a work item, or
/// the host's own open and close) behaves as the session's first request says.
/// </summary>
internal sealed class TargetScripting
{
    /// <summary>How long completions on other threads may take before pending work is left to the unload checks.</summary>
    private static readonly TimeSpan BackgroundWorkLimit = TimeSpan.FromSeconds(10);

    /// <summary>The most data a target writes into an output buffer.</summary>
    private const int MaximumData = 1 << 16;

    private readonly IReadOnlyList<SimulatedIoTarget> targets;
    private GeneratedRequest? unattributed;

    public TargetScripting(IReadOnlyList<SimulatedIoTarget> targets)
    {
        this.targets = targets;
        foreach (var target in targets)
        {
            target.ScriptEachSend = ScriptFor;
        }
    }

    public IReadOnlyList<SimulatedIoTarget> Targets => targets;

    /// <summary>The session's requests, before any is sent: sends that serve none of them behave as the first one says.</summary>
    public void Begin(IReadOnlyList<GeneratedRequest> requests) => unattributed = requests.Count > 0 ? requests[0] : null;

    /// <summary>The script of one send: the behaviour of the generated request it serves.</summary>
    private TargetSendScript? ScriptFor(TargetIoRequest send) =>
        (send.Origin?.Tag as GeneratedRequest ?? unattributed) is { } request ? Script(request) : null;

    /// <summary>How the targets answer what the driver sends on behalf of <paramref name="request"/>.</summary>
    public static TargetSendScript Script(GeneratedRequest request)
    {
        var mode = request.Timing switch
        {
            TargetTiming.Later => TargetCompletionMode.WhenPumped,
            TargetTiming.OnAnotherThread => TargetCompletionMode.OnAnotherThread,
            TargetTiming.SendFails => TargetCompletionMode.FailSend,
            _ => TargetCompletionMode.Immediately,
        };
        var status = request.Outcome switch
        {
            TargetOutcome.Failure => Wdm.STATUS_UNSUCCESSFUL,
            TargetOutcome.Busy => Wdm.STATUS_DEVICE_BUSY,
            TargetOutcome.TimedOut => Wdm.STATUS_IO_TIMEOUT,
            TargetOutcome.Canceled => Wdm.STATUS_CANCELLED,
            _ => Wdm.STATUS_SUCCESS,
        };
        return new TargetSendScript(mode, received => status == Wdm.STATUS_SUCCESS
            ? new TargetIoResponse(status, null, request.InputData((int)Math.Min(received.OutputLength, MaximumData)))
            : new TargetIoResponse(status, 0));
    }

    /// <summary>Completes what the targets hold (timeouts first), waiting for completions running on other threads; true if anything completed.</summary>
    public bool CompletePending()
    {
        var waited = Stopwatch.StartNew();
        bool any = false;
        bool progress = true;
        while (progress && waited.Elapsed < BackgroundWorkLimit)
        {
            progress = false;
            foreach (var target in targets)
            {
                progress |= target.ExpireTimeouts() > 0;
                progress |= target.CompleteAll() > 0;
                while (target.InFlightOnOtherThreads > 0 && waited.Elapsed < BackgroundWorkLimit)
                {
                    Thread.Sleep(1);
                    progress = true;
                }
            }
            any |= progress;
        }
        return any;
    }
}
