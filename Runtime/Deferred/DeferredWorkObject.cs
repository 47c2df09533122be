using DriverBuffers.Framework;
using DriverBuffers.Synchronization;

namespace DriverBuffers.Deferred;

/// <summary>
/// What timers, DPCs and work items share: a framework object whose driver callback the simulated clock runs
/// at a fixed IRQL, in the host's context, only while the object (and so its parent) is alive.
/// </summary>
internal abstract class DeferredWorkObject : WdfObject, IDeferredWork
{
    protected DeferredWorkObject(DriverRuntime runtime, string kind, KIRQL irql, string callbackName)
        : base(runtime, kind, parent: null)
    {
        Irql = irql;
        CallbackName = callbackName;
    }

    /// <summary>The IRQL the callback runs at.</summary>
    public KIRQL Irql { get; }

    /// <summary>The parent's callback lock its callback runs under (<c>AutomaticSerialization</c>), or null.</summary>
    public CallbackLock? SerializedWith { get; set; }

    private string CallbackName { get; }

    /// <summary>Takes the object off the clock; true if it was about to run.</summary>
    protected abstract bool TakeForRun();

    /// <summary>Calls the driver's callback.</summary>
    protected abstract void InvokeCallback();

    public bool Run()
    {
        if (!IsAlive || !TakeForRun())
        {
            return false;
        }
        RunNow();
        return true;
    }

    /// <summary>Runs the callback on this thread, at the object's IRQL.</summary>
    protected void RunNow()
    {
        using (AmbientRuntime.Enter(Runtime))
        {
            CallbackLock.Run(SerializedWith, Runtime, Irql, CallbackName, InvokeCallback);
        }
    }
}
