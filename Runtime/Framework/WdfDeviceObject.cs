using DriverBuffers.Framework;

namespace DriverBuffers.Framework;

/// <summary>The framework device object behind a <c>WDFDEVICE</c>.</summary>
internal sealed class WdfDeviceObject : WdfObject
{
    public WdfDeviceObject(DriverRuntime runtime) : base(runtime, "WDFDEVICE") { }
}
