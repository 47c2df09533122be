using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

[Collection(nameof(PoolScratchDriver))]
public class PoolScratchDriverTests
{
    [Fact]
    public void Scratch_buffer_is_allocated_used_and_freed()
    {
        PoolScratchDriver.ForgetToFree = false;
        using var host = new DriverHost { EvtIoWrite = PoolScratchDriver.EvtIoWrite };

        Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { 1, 3 }).Status);
        Assert.Equal(STATUS_UNSUCCESSFUL, host.Write(new byte[] { 1, 2 }).Status);

        Assert.Equal(0, host.Pool.OutstandingAllocations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Allocation_failure_is_handled()
    {
        PoolScratchDriver.ForgetToFree = false;
        using var host = new DriverHost { EvtIoWrite = PoolScratchDriver.EvtIoWrite };
        host.Pool.FailNextAllocations(1);

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, host.Write(new byte[] { 2 }).Status);
    }

    [Fact]
    public void Forgetting_to_free_is_a_pool_leak_at_unload()
    {
        PoolScratchDriver.ForgetToFree = true;
        try
        {
            using var host = new DriverHost { EvtIoWrite = PoolScratchDriver.EvtIoWrite };
            host.Write(new byte[] { 2, 2 });

            var report = host.Unload();

            var leak = Assert.Single(report.Violations);
            Assert.Equal("PoolLeak", leak.Rule);
            Assert.Contains("'Srch'", leak.Message);
        }
        finally
        {
            PoolScratchDriver.ForgetToFree = false;
        }
    }
}
