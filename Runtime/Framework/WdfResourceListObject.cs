namespace DriverBuffers.Framework;

/// <summary>
/// A device's hardware resource list (<c>WDFCMRESLIST</c>) handed to <c>EvtDevicePrepareHardware</c>. Simulated
/// devices have no hardware resources, so the lists are empty.
/// </summary>
internal sealed class WdfResourceListObject : WdfObject
{
    public WdfResourceListObject(DriverRuntime runtime, WdfObject parent) : base(runtime, "WDFCMRESLIST", parent) { }

    public override string? WhyDriverMayNotDelete => "resource lists belong to the framework";
}
