namespace DriverBuffers.Framework;

/// <summary>The driver object: root of a host's object tree and default parent of driver-created objects.</summary>
internal sealed class WdfDriverObject : WdfObject
{
    public WdfDriverObject(DriverRuntime runtime) : base(runtime, "WDFDRIVER", parent: null) { }

    public override string? WhyDriverMayNotDelete => "the driver object is deleted by the framework at unload";
}
