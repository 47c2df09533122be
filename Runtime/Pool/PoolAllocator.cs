using DriverBuffers.Framework;

namespace DriverBuffers.Pool;

/// <summary>The simulated pool of one runtime: allocations, tags, quota, leaks.</summary>
internal sealed class PoolAllocator
{
    public PoolAllocator(DriverRuntime runtime) => Runtime = runtime;

    public DriverRuntime Runtime { get; }
}
