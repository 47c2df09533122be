using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Pool;

/// <summary>ExAllocatePoolZero, ExAllocatePoolQuotaZero, ExAllocatePoolPriorityZero: pool-type allocators that zero, for drivers that also run before Windows 10 2004.</summary>
public class ZeroingAllocatorTests
{
    [Fact]
    public void The_zeroing_wrappers_return_zeroed_tagged_pool_and_the_quota_one_charges_quota()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var zero = ExAllocatePoolZero(NonPagedPoolNx, 16, Tags.Test);
            var quota = ExAllocatePoolQuotaZero(NonPagedPoolNx, 8, Tags.Test);
            var priority = ExAllocatePoolPriorityZero(NonPagedPoolNx, 4, Tags.Other, HighPoolPriority);

            Assert.Equal(0UL, zero.Read<ulong>(8));
            Assert.Equal(0UL, quota.Read<ulong>(0));
            Assert.Equal(0u, priority.Read<uint>(0));
            Assert.Equal(8, host.Pool.QuotaCharged);
            Expect.Violation("DRV034", () => ExFreePoolWithTag(priority, Tags.Test));
            ExFreePoolWithTag(zero, Tags.Test);
            ExFreePoolWithTag(quota, Tags.Test);
        });
        Assert.Equal(0, host.Pool.QuotaCharged);
    }

    [Fact]
    public void The_quota_wrapper_raises_when_quota_runs_out_unless_told_to_fail_and_the_others_return_NULL()
    {
        using var host = new DriverHost();
        host.Pool.QuotaLimit = 4;
        host.Run(() =>
        {
            Expect.Raise(STATUS_QUOTA_EXCEEDED, () => ExAllocatePoolQuotaZero(NonPagedPoolNx, 8, Tags.Test));
            Assert.Equal(NULL, ExAllocatePoolQuotaZero(NonPagedPoolNx | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, 8, Tags.Test));
        });
        host.Pool.FailNextAllocations(2);
        host.Run(() =>
        {
            Assert.Equal(NULL, ExAllocatePoolZero(NonPagedPoolNx, 8, Tags.Test));
            Expect.Raise(STATUS_INSUFFICIENT_RESOURCES, () => ExAllocatePoolZero(NonPagedPoolNx | POOL_RAISE_IF_ALLOCATION_FAILURE, 8, Tags.Test));
        });
    }
}
