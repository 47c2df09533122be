using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.BufferingModeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV044's WDF form at edit time and at run time, on the same driver code (<see cref="Drv044WdfDriver"/>).</summary>
public class Drv044WdfTwinTests
{
    [Fact]
    public Task AnalyzerFlagsOnlyTheLateDeviceInitCall() => new Verify.Test
    {
        TestCode = TwinSource.Expect(
            TwinSource.Read("Drv044WdfDriver.cs"), "DRV044",
            "WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect)", within: "EvtDeviceAddSettingIoTypeLate(WDFDRIVER"),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public void RuntimeRaisesDrv044()
    {
        using var host = new WholeDriverHost(Drv044WdfDriver.DriverEntryLate);
        host.Load();

        var violation = Assert.Throws<WdfViolationException>(() => host.AddDevice());

        Assert.Equal("DRV044", violation.Rule);
        Assert.Equal("WdfDeviceInitSetIoType", violation.Ddi);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverClean()
    {
        using var host = new WholeDriverHost(Drv044WdfDriver.DriverEntry);
        host.Load();

        Assert.Equal(STATUS_SUCCESS, host.AddDevice());
        Assert.Empty(host.Violations);
    }
}
