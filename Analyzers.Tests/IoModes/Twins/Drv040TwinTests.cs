using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>DRV040 at edit time and at run time, on the same driver code (<see cref="Drv040Driver"/>).</summary>
public class Drv040TwinTests
{
    [Fact]
    public Task AnalyzerFlagsOnlyTheBuggySend() => new Verify.Test
    {
        TestCode = TwinSource.Expect(
            TwinSource.Read("Drv040Driver.cs"), "DRV040",
            "WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)", within: "void SendAndFree(WDFIOTARGET target)"),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public void RuntimeRaisesDrv040WhenTheBufferIsFreedWhilePending()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => Drv040Driver.SendAndFree(host.LowerTarget.Handle)));

        Assert.Equal("DRV040", violation.Rule);
    }

    [Fact]
    public void RuntimeRunsTheCorrectedDriverClean()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        host.Run(() => Drv040Driver.SendAndFreeOnCompletion(host.LowerTarget.Handle));
        Assert.True(host.LowerTarget.CompleteNext());
        host.LowerTarget.Mode = TargetCompletionMode.Immediately;
        host.Run(() => Drv040Driver.SendSynchronouslyAndFree(host.LowerTarget.Handle));

        Assert.Empty(host.Violations);
        Assert.Equal(0, host.Pool.OutstandingAllocations);
        Assert.True(host.Unload().IsClean);
    }
}
