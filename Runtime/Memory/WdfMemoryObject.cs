using DriverBuffers.Framework;

namespace DriverBuffers.Memory;

/// <summary>The framework memory object behind a <c>WDFMEMORY</c>.</summary>
internal sealed class WdfMemoryObject : WdfObject
{
    public WdfMemoryObject(DriverRuntime runtime) : base(runtime, "WDFMEMORY") { }
}
