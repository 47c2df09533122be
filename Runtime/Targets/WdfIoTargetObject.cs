using DriverBuffers.Framework;
using DriverBuffers.Hosting;

namespace DriverBuffers.Targets;

/// <summary>
/// The framework I/O target behind a <c>WDFIOTARGET</c>. It sends to a <see cref="SimulatedIoTarget"/> that a test
/// scripts: the device's lower device, another target of a test host, or a named device the driver opened with
/// <c>WdfIoTargetOpen</c> (null while not opened or after <c>WdfIoTargetClose</c>).
/// </summary>
internal sealed class WdfIoTargetObject : WdfObject
{
    private SimulatedIoTarget? simulation;
    private int sentOutstanding;

    /// <summary>A target with its own new simulated lower driver.</summary>
    public WdfIoTargetObject(DriverRuntime runtime, WdfObject parent, string name)
        : base(runtime, "WDFIOTARGET", parent)
    {
        simulation = new SimulatedIoTarget(runtime, name);
        simulation.Bind(this);
    }

    /// <summary>A target sending to an existing simulated device (the device below a framework device).</summary>
    public WdfIoTargetObject(DriverRuntime runtime, WdfObject parent, SimulatedIoTarget existing)
        : base(runtime, "WDFIOTARGET", parent)
    {
        simulation = existing;
        existing.Bind(this);
        IsDefaultTarget = true;
    }

    /// <summary><c>WdfIoTargetCreate</c>: a target that sends nowhere until it is opened.</summary>
    public WdfIoTargetObject(DriverRuntime runtime, WdfObject parent)
        : base(runtime, "WDFIOTARGET", parent) { }

    /// <summary>The device's default target (<c>WdfDeviceGetIoTarget</c>), which the driver may not delete.</summary>
    public bool IsDefaultTarget { get; }

    /// <summary>What sends reach, or null while the target is not open.</summary>
    public SimulatedIoTarget? Simulation
    {
        get { lock (Runtime.Sync) { return simulation; } }
    }

    /// <summary><c>WdfIoTargetOpen</c>.</summary>
    public void Open(SimulatedIoTarget target)
    {
        lock (Runtime.Sync) { simulation = target; }
        target.Bind(this);
    }

    /// <summary>
    /// Requests sent through this target that have not come back yet: pending at the target, or being completed on
    /// another thread (the completion routine has not returned).
    /// </summary>
    public bool HasSentRequestsOutstanding => System.Threading.Volatile.Read(ref sentOutstanding) > 0;

    internal void SentOperationStarted() => System.Threading.Interlocked.Increment(ref sentOutstanding);

    internal void SentOperationEnded() => System.Threading.Interlocked.Decrement(ref sentOutstanding);

    /// <summary>The framework purges the target (device removal): requests still pending there are canceled.</summary>
    public void CancelPending() => Simulation?.CancelPendingOf(this);

    /// <summary><c>WdfIoTargetClose</c>: sends fail from now on; requests still pending are canceled.</summary>
    public void Close()
    {
        SimulatedIoTarget? closed;
        lock (Runtime.Sync)
        {
            closed = simulation;
            simulation = null;
        }
        closed?.CancelPendingOf(this);
    }

    public override string? WhyDriverMayNotDelete => IsDefaultTarget ? "the framework deletes the default I/O target with its device" : null;

    /// <summary>Deleted: sends fail from now on. (Requests still pending stay with the target; the framework cancels them before it deletes a removed device's targets.)</summary>
    protected override void OnEnded(Verifier.EndReason reason)
    {
        lock (Runtime.Sync) { simulation = null; }
    }
}
