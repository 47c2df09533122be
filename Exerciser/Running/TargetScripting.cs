using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// Scripts the simulated lower targets from a generated request: when they complete what the driver sends (at once,
/// later, on another thread, or the send fails) and how (success with data, failure, busy, timeout, canceled); and
/// lets what they hold complete.
/// </summary>
internal sealed class TargetScripting
{
    /// <summary>How long completions on other threads may take before pending work is left to the unload checks.</summary>
    private static readonly TimeSpan BackgroundWorkLimit = TimeSpan.FromSeconds(10);

    /// <summary>The most data a target writes into an output buffer.</summary>
    private const int MaximumData = 1 << 16;

    private readonly IReadOnlyList<SimulatedIoTarget> targets;

    public TargetScripting(IReadOnlyList<SimulatedIoTarget> targets) => this.targets = targets;

    public IReadOnlyList<SimulatedIoTarget> Targets => targets;

    public void Prepare(GeneratedRequest request)
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
        foreach (var target in targets)
        {
            target.Mode = mode;
            target.Responder = received => status == Wdm.STATUS_SUCCESS
                ? new TargetIoResponse(status, null, request.InputData((int)Math.Min(received.OutputLength, MaximumData)))
                : new TargetIoResponse(status, 0);
        }
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
