using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.UserBufferFetchedTwiceAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV045 at edit time and at run time, on the same driver code (<see cref="Drv045Driver"/>).</summary>
public class Drv045TwinTests
{
    [Fact]
    public Task AnalyzerFlagsOnlyTheSecondRead()
    {
        // The second read of the buggy routine (the only "UsedLength = user.Read" of the file).
        const string SecondRead = "user.Read<uint>(0)";
        var source = TwinSource.Read("Drv045Driver.cs");
        var at = source.IndexOf("UsedLength = " + SecondRead, System.StringComparison.Ordinal) + "UsedLength = ".Length;
        return new Verify.Test
        {
            TestCode = source.Insert(at + SecondRead.Length, "|}").Insert(at, "{|DRV045:"),
            IncludeDriverUsings = false,
        }.RunAsync();
    }

    [Fact]
    public void RuntimeRaisesDrv045WhenTheApplicationChangesTheValueBetweenReads()
    {
        using var host = new WdmDriverHost(Drv045Driver.AddDevice) { ChangeUserMemoryBetweenReads = true };
        host.MajorFunction[IRP_MJ_WRITE] = Drv045Driver.DispatchWriteFetchingTwice;

        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 16, 0, 0, 0 }));

        Assert.Equal("DRV045", violation.Rule);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverCleanAndUsesTheCheckedValue()
    {
        using var host = new WdmDriverHost(Drv045Driver.AddDevice) { ChangeUserMemoryBetweenReads = true };
        host.MajorFunction[IRP_MJ_WRITE] = Drv045Driver.DispatchWrite;

        var result = host.Write(new byte[] { 16, 0, 0, 0 });

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(16u, Drv045Driver.UsedLength);
        Assert.Empty(host.Violations);
    }
}
