using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Pool;

/// <summary>The deprecated allocators (DRV030) still work and return uninitialised (pattern-filled) memory.</summary>
public class DeprecatedAllocatorTests
{
    [Fact]
    public void Every_deprecated_allocator_returns_pattern_filled_memory()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var all = new[]
            {
                ExAllocatePool(NonPagedPoolNx, 4),
                ExAllocatePoolWithTag(NonPagedPoolNx, 4, Tags.Test),
                ExAllocatePoolWithQuota(PagedPool, 4),
                ExAllocatePoolWithQuotaTag(PagedPool, 4, Tags.Test),
                ExAllocatePoolWithTagPriority(NonPagedPoolNx, 4, Tags.Test, HighPoolPriority),
            };
            foreach (var p in all)
            {
                Assert.Equal(0xCDCDCDCDu, p.Read<uint>(0));
                ExFreePool(p);
            }
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Untagged_allocators_use_the_None_tag()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool(PagedPool, 4);
            ExFreePoolWithTag(p, 0x656E6F4E);
        });
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void Quota_allocators_raise_unless_told_to_fail_instead()
    {
        using var host = new DriverHost();
        host.Pool.QuotaLimit = 3;
        host.Run(() =>
        {
            Expect.Raise(STATUS_QUOTA_EXCEEDED, () => ExAllocatePoolWithQuota(PagedPool, 4));
            Expect.Raise(STATUS_QUOTA_EXCEEDED, () => ExAllocatePoolWithQuotaTag(PagedPool, 4, Tags.Test));
            Assert.Equal(NULL, ExAllocatePoolWithQuotaTag(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, 4, Tags.Test));
            var p = ExAllocatePoolWithQuotaTag(PagedPool, 3, Tags.Test);
            Assert.Equal(3, host.Pool.QuotaCharged);
            ExFreePoolWithTag(p, Tags.Test);
        });
    }

    [Fact]
    public void Non_quota_allocators_raise_only_with_the_raise_modifier()
    {
        using var host = new DriverHost();
        host.Pool.FailNextAllocations(2);
        host.Run(() =>
        {
            Assert.Equal(NULL, ExAllocatePoolWithTag(NonPagedPoolNx, 4, Tags.Test));
            Expect.Raise(STATUS_INSUFFICIENT_RESOURCES, () => ExAllocatePoolWithTag(NonPagedPoolNx | POOL_RAISE_IF_ALLOCATION_FAILURE, 4, Tags.Test));
        });
    }
}
