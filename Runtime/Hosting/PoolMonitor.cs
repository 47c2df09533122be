using System.Linq;
using DriverBuffers.Framework;

namespace DriverBuffers.Hosting;

/// <summary>A test's view of a host's simulated pool and system resources: outstanding allocations, quota, injected failures.</summary>
public sealed class PoolMonitor
{
    private readonly DriverRuntime runtime;

    internal PoolMonitor(DriverRuntime runtime) => this.runtime = runtime;

    /// <summary>Pool allocations the driver made (ExAllocatePool*) and has not freed.</summary>
    public int OutstandingAllocations => runtime.Pool.Outstanding.Count(a => a.FrameworkOwner is null);

    /// <summary>Bytes of those allocations.</summary>
    public long OutstandingBytes => runtime.Pool.Outstanding.Where(a => a.FrameworkOwner is null).Sum(a => (long)a.Length);

    /// <summary>Bytes charged to the process quota (<c>POOL_FLAG_USE_QUOTA</c>, <c>ExAllocatePoolWithQuota*</c>).</summary>
    public long QuotaCharged => runtime.Pool.QuotaCharged;

    /// <summary>The quota limit; quota allocations beyond it fail (or raise STATUS_QUOTA_EXCEEDED).</summary>
    public long QuotaLimit
    {
        get => runtime.Pool.QuotaLimit;
        set => runtime.Pool.QuotaLimit = value;
    }

    /// <summary>Makes the next <paramref name="count"/> pool allocations fail (low memory).</summary>
    public void FailNextAllocations(int count) => runtime.Pool.FailNext(count);

    /// <summary>Makes the next <paramref name="count"/> MDL mappings fail (MmGetSystemAddressForMdl* return NULL).</summary>
    public void FailNextMdlMappings(int count) => runtime.FailNextMappings(count);
}
