using DriverBuffers.Framework;

namespace DriverBuffers.Deferred;

/// <summary>
/// The framework work item behind a <c>WDFWORKITEM</c>: <c>WdfWorkItemEnqueue</c> queues it (once until it runs)
/// and it runs at PASSIVE_LEVEL when simulated time next moves, or at once on <c>WdfWorkItemFlush</c>.
/// </summary>
internal sealed class WdfWorkItemObject : QueuedWorkObject
{
    public WdfWorkItemObject(DriverRuntime runtime, WDF_WORKITEM_CONFIG config)
        : base(runtime, "WDFWORKITEM", KIRQL.PASSIVE_LEVEL, "EvtWorkItemFunc") => Callback = config.EvtWorkItemFunc;

    public EVT_WDF_WORKITEM? Callback { get; }

    /// <summary><c>WdfWorkItemFlush</c>: runs it now if it is queued.</summary>
    public void Flush()
    {
        if (Dequeue())
        {
            RunNow();
        }
    }

    protected override void QueueOnClock() => Runtime.Clock.QueueWorkItem(this);

    protected override void InvokeCallback() => Callback?.Invoke(new WDFWORKITEM(this));
}
