using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.BufferingModeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV044 at edit time and at run time, on the same driver code (<see cref="Drv044Driver"/>).</summary>
public class Drv044TwinTests
{
    [Fact]
    public Task AnalyzerFlagsOnlyTheDispatchRoutine() => new Verify.Test
    {
        TestCode = TwinSource.Expect(
            TwinSource.Read("Drv044Driver.cs"), "DRV044",
            "DeviceObject.Flags |= DO_DIRECT_IO", within: "DispatchReadSwitchingMode("),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public void RuntimeRaisesDrv044()
    {
        using var host = new WdmDriverHost(Drv044Driver.AddBufferedDevice);
        host.MajorFunction[IRP_MJ_READ] = Drv044Driver.DispatchReadSwitchingMode;

        var violation = Assert.Throws<WdfViolationException>(() => host.Read(8));

        Assert.Equal("DRV044", violation.Rule);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverClean()
    {
        using var host = new WdmDriverHost(Drv044Driver.AddDirectDevice);
        host.MajorFunction[IRP_MJ_READ] = Drv044Driver.DispatchRead;

        var result = host.Read(8);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}
