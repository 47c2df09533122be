using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV041 at edit time and at run time, on the same driver code (<see cref="Drv041Driver"/>).</summary>
public class Drv041TwinTests
{
    private const uint Tag = 0x31344452;

    [Fact]
    public Task AnalyzerFlagsOnlyTheOwnedMemory() => new Verify.Test
    {
        TestCode = TwinSource.Expect(
            TwinSource.Read("Drv041Driver.cs"), "DRV041",
            "WdfMemoryAssignBuffer(memory, other, 16)", within: "RetargetOwnedMemory(PVOID other)"),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public void RuntimeRaisesDrv041()
    {
        using var host = new DriverHost();
        var other = host.Run(() => ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag));

        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => Drv041Driver.RetargetOwnedMemory(other)));

        Assert.Equal("DRV041", violation.Rule);
        host.Run(() => ExFreePoolWithTag(other, Tag));
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverClean()
    {
        using var host = new DriverHost();
        var first = host.Run(() => ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag));
        var other = host.Run(() => ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag));

        var status = host.Run(() => Drv041Driver.RetargetPreallocatedMemory(first, other));

        Assert.Equal(STATUS_SUCCESS, status);
        host.Run(() =>
        {
            ExFreePoolWithTag(first, Tag);
            ExFreePoolWithTag(other, Tag);
        });
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}
