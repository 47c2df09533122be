using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Pool;

public class ExAllocatePool2Tests
{
    [Fact]
    public void Memory_is_zeroed_unless_uninitialized_is_asked_for()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var zeroed = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            var raw = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, 8, Tags.Test);
            Assert.Equal(0UL, zeroed.Read<ulong>(0));
            Assert.Equal(0xCDCDCDCDCDCDCDCDUL, raw.Read<ulong>(0));
            ExFreePoolWithTag(zeroed, Tags.Test);
            ExFreePoolWithTag(raw, Tags.Test);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Theory]
    [InlineData(POOL_FLAG_PAGED)]
    [InlineData(POOL_FLAG_NON_PAGED)]
    [InlineData(POOL_FLAG_NON_PAGED_EXECUTE)]
    [InlineData(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_SESSION)]
    public void Exactly_one_pool_kind_is_valid(ulong flags)
    {
        using var host = new DriverHost();
        Assert.NotEqual(NULL, host.Run(() => ExAllocatePool2(flags, 4, Tags.Test)));
    }

    [Fact]
    public void A_pool_type_passed_as_flags_compiles_and_returns_NULL_DRV033()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(NULL, ExAllocatePool2(NonPagedPoolNx, 16, Tags.Test));
            Assert.Equal(NULL, ExAllocatePool2(NonPagedPool, 16, Tags.Test));
            Assert.Equal(NULL, ExAllocatePool2(PagedPool, 16, Tags.Test));
        });
    }

    [Fact]
    public void Invalid_requests_return_NULL()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(NULL, ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0));
            Assert.Equal(NULL, ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 16, Tags.Test));
            Assert.Equal(NULL, ExAllocatePool2(0, 16, Tags.Test));
            Assert.Equal(NULL, ExAllocatePool2(POOL_FLAG_NON_PAGED, nuint.MaxValue, Tags.Test));
        });
        Assert.Equal(0, host.Pool.OutstandingAllocations);
    }

    [Fact]
    public void Raise_on_failure_throws_insufficient_resources()
    {
        using var host = new DriverHost();
        host.Pool.FailNextAllocations(1);
        host.Run(() =>
        {
            Expect.Raise(STATUS_INSUFFICIENT_RESOURCES, () => ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 4, Tags.Test));
            Expect.Raise(STATUS_INSUFFICIENT_RESOURCES, () => ExAllocatePool2(POOL_FLAG_RAISE_ON_FAILURE, 4, Tags.Test));
        });
    }

    [Fact]
    public void Use_quota_charges_the_process_and_freeing_returns_it()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, 100, Tags.Test);
            Assert.Equal(100, host.Pool.QuotaCharged);
            ExFreePoolWithTag(p, Tags.Test);
        });
        Assert.Equal(0, host.Pool.QuotaCharged);
    }

    [Fact]
    public void Exceeding_the_quota_fails_or_raises_quota_exceeded()
    {
        using var host = new DriverHost();
        host.Pool.QuotaLimit = 10;
        host.Run(() =>
        {
            Assert.Equal(NULL, ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, 11, Tags.Test));
            Expect.Raise(STATUS_QUOTA_EXCEEDED, () => ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, 11, Tags.Test));
            Assert.NotEqual(NULL, ExAllocatePool2(POOL_FLAG_PAGED, 11, Tags.Test));
        });
    }

    [Fact]
    public void ExAllocatePool3_takes_a_priority_parameter()
    {
        using var host = new DriverHost();
        var priority = new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = NormalPoolPriority };
        host.Run(() =>
        {
            Assert.NotEqual(NULL, ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, Tags.Test, priority, 1));
            Assert.NotEqual(NULL, ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, Tags.Test, new[] { priority }, 1));
            Assert.NotEqual(NULL, ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, Tags.Test, NULL, 0));
            Assert.Equal(NULL, ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, Tags.Test, priority, 2));
            Assert.Equal(NULL, ExAllocatePool3(POOL_FLAG_NON_PAGED, 8, Tags.Test, new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority + 5 }, 1));
            Assert.Equal(NULL, ExAllocatePool3(NonPagedPoolNx, 8, Tags.Test, priority, 1));
        });
    }
}
