using DriverBuffers.Framework;

namespace DriverBuffers.Memory;

/// <summary>The framework lookaside\ object behind a <c>WDFLOOKASIDE</c>.</summary>
internal sealed class WdfLookasideObject : WdfObject
{
    public WdfLookasideObject(DriverRuntime runtime) : base(runtime, "WDFLOOKASIDE") { }
}
