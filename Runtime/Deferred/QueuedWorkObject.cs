using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Deferred;

/// <summary>
/// A DPC or work item: queued at most once until it runs (queuing it again before then does nothing), taken off
/// the queue when it runs, is canceled, or its object is deleted.
/// </summary>
internal abstract class QueuedWorkObject : DeferredWorkObject
{
    private bool queued;

    protected QueuedWorkObject(DriverRuntime runtime, string kind, KIRQL irql, string callbackName)
        : base(runtime, kind, irql, callbackName) { }

    /// <summary>Queues it on the simulated clock; false if it was already queued.</summary>
    public bool Enqueue()
    {
        lock (Runtime.Sync)
        {
            if (queued)
            {
                return false;
            }
            queued = true;
        }
        QueueOnClock();
        return true;
    }

    /// <summary>Takes it off the queue; true if it was queued (its callback will not run from there).</summary>
    public bool Dequeue()
    {
        lock (Runtime.Sync)
        {
            bool was = queued;
            queued = false;
            return was;
        }
    }

    /// <summary>Puts it on the clock's DPC or work-item queue.</summary>
    protected abstract void QueueOnClock();

    protected override bool TakeForRun() => Dequeue();

    protected override void OnEnded(EndReason reason) => Dequeue();
}
