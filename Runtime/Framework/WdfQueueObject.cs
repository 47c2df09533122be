using DriverBuffers.Framework;

namespace DriverBuffers.Framework;

/// <summary>The framework queue object behind a <c>WDFQUEUE</c>.</summary>
internal sealed class WdfQueueObject : WdfObject
{
    public WdfQueueObject(DriverRuntime runtime) : base(runtime, "WDFQUEUE") { }
}
