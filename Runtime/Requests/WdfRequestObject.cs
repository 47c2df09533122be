using DriverBuffers.Framework;

namespace DriverBuffers.Requests;

/// <summary>The framework request object behind a <c>WDFREQUEST</c>.</summary>
internal sealed class WdfRequestObject : WdfObject
{
    public WdfRequestObject(DriverRuntime runtime) : base(runtime, "WDFREQUEST") { }
}
