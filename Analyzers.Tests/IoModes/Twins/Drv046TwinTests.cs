using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.RegistryPathKeptAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV046 at edit time and at run time, on the same driver code (<see cref="Drv046Driver"/>).</summary>
public class Drv046TwinTests
{
    [Fact]
    public Task AnalyzerFlagsOnlyTheKeptPointer() => new Verify.Test
    {
        TestCode = TwinSource.Expect(
            TwinSource.Read("Drv046Driver.cs"), "DRV046",
            "SavedPath = RegistryPath", within: "DriverEntryKeepingThePath("),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public void RuntimeRaisesDrv046WhenTheKeptPathIsRead()
    {
        using var host = new WholeDriverHost(Drv046Driver.DriverEntryKeepingThePath) { RegistryPath = @"\Registry\Machine\System\CurrentControlSet\Services\Twin" };
        Assert.Equal(STATUS_SUCCESS, host.Load());

        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => Drv046Driver.SavedPathLength()));

        Assert.Equal("DRV046", violation.Rule);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverClean()
    {
        using var host = new WholeDriverHost(Drv046Driver.DriverEntry) { RegistryPath = @"\Registry\Machine\System\CurrentControlSet\Services\Twin" };

        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(@"\Registry\Machine\System\CurrentControlSet\Services\Twin", Drv046Driver.PathCopy.ToString());
        Assert.Empty(host.Violations);
    }
}
