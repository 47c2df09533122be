using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Deferred;

/// <summary>
/// The framework timer behind a <c>WDFTIMER</c>: <c>WdfTimerStart</c> puts it on the simulated clock, and when it
/// falls due its callback runs at DISPATCH_LEVEL; a periodic timer is put back <see cref="PeriodMs"/> later. It
/// stops when its parent is deleted.
/// </summary>
internal sealed class WdfTimerObject : DeferredWorkObject
{
    private object? scheduled;

    public WdfTimerObject(DriverRuntime runtime, WDF_TIMER_CONFIG config)
        : base(runtime, "WDFTIMER", KIRQL.DISPATCH_LEVEL, "EvtTimerFunc")
    {
        Callback = config.EvtTimerFunc;
        PeriodMs = config.Period;
    }

    public EVT_WDF_TIMER? Callback { get; }

    public uint PeriodMs { get; }

    /// <summary><c>WdfTimerStart</c>: true if the timer was already waiting (it is restarted).</summary>
    public bool Start(long dueTime)
    {
        lock (Runtime.Sync)
        {
            bool wasWaiting = scheduled is not null && Runtime.Clock.Cancel(scheduled);
            scheduled = Runtime.Clock.Schedule(this, dueTime);
            return wasWaiting;
        }
    }

    /// <summary><c>WdfTimerStop</c>: true if the timer was waiting (its callback will not run).</summary>
    public bool Stop()
    {
        lock (Runtime.Sync)
        {
            bool wasWaiting = scheduled is not null && Runtime.Clock.Cancel(scheduled);
            scheduled = null;
            return wasWaiting;
        }
    }

    protected override bool TakeForRun()
    {
        lock (Runtime.Sync)
        {
            scheduled = PeriodMs > 0 ? Runtime.Clock.Schedule(this, -(long)PeriodMs * 10_000) : null;
            return true;
        }
    }

    protected override void InvokeCallback() => Callback?.Invoke(new WDFTIMER(this));

    protected override void OnEnded(EndReason reason) => Stop();
}
