using DriverBuffers.Framework;
using DriverBuffers.Hosting;

namespace DriverBuffers.Targets;

/// <summary>The framework I/O target behind a <c>WDFIOTARGET</c>; its behaviour is scripted by a test through <see cref="Simulation"/>.</summary>
internal sealed class WdfIoTargetObject : WdfObject
{
    public WdfIoTargetObject(DriverRuntime runtime, WdfObject parent, string name)
        : base(runtime, "WDFIOTARGET", parent)
    {
        Simulation = new SimulatedIoTarget(this, name);
    }

    public SimulatedIoTarget Simulation { get; }

    public override string? WhyDriverMayNotDelete => "the simulated framework deletes I/O targets with their device";
}
