using DriverBuffers.Framework;

namespace DriverBuffers.Requests;

/// <summary>The framework I/O\ object behind a <c>WDFIOTARGET</c>.</summary>
internal sealed class WdfIoTargetObject : WdfObject
{
    public WdfIoTargetObject(DriverRuntime runtime) : base(runtime, "WDFIOTARGET") { }
}
