using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.UnprobedUserAddressAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV042 at edit time and at run time, on the same driver code (<see cref="Drv042Driver"/>).</summary>
public class Drv042TwinTests
{
    [Fact]
    public Task AnalyzerFlagsOnlyTheUnprobedAccess() => new Verify.Test
    {
        TestCode = TwinSource.Expect(
            TwinSource.Expect(
                TwinSource.Read("Drv042Driver.cs"), "DRV042",
                "RtlFillMemory(user, length, 0x5A)", within: "DispatchReadUnprobed("),
            "DRV042", "input.Read<uint>(0)", within: "InCallerContextUnprobed("),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public void RuntimeRaisesDrv042()
    {
        using var host = new WdmDriverHost(Drv042Driver.AddDevice);
        host.MajorFunction[IRP_MJ_READ] = Drv042Driver.DispatchReadUnprobed;

        var violation = Assert.Throws<WdfViolationException>(() => host.Read(8));

        Assert.Equal("DRV042", violation.Rule);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverClean()
    {
        using var host = new WdmDriverHost(Drv042Driver.AddDevice);
        host.MajorFunction[IRP_MJ_READ] = Drv042Driver.DispatchReadProbed;

        var result = host.Read(8);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)8, result.Information);
        Assert.True(result.UserBuffer.All(b => b == 0x5A));
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void RuntimeRaisesDrv042ForTheUnsafeKmdfBuffer()
    {
        using var host = new DriverHost(WDF_DEVICE_IO_TYPE.WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = Drv042Driver.InCallerContextUnprobed,
        };

        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 7, 0, 0, 0 }));

        Assert.Equal("DRV042", violation.Rule);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedKmdfDriverClean()
    {
        using var host = new DriverHost(WDF_DEVICE_IO_TYPE.WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = Drv042Driver.InCallerContextLocked,
        };

        var result = host.Write(new byte[] { 7, 0, 0, 0 });

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(7u, Drv042Driver.LastCommand);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}
