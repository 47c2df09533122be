using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Copies;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The cost of the size and status analysis (DRV020–DRV023), pinned by the work the engine counts, never by time: the
/// work per statement of a 2,000-statement method is at most twice that of a 100-statement one, for long copy-heavy code
/// with many sizes and for a long method inside one <c>try</c> (the size analysis before the engine was about n³ there:
/// 72 s for 2,000 statements); the two copy analyzers share one analysis per body; ordinary code costs no graph.
/// </summary>
public class CopiesWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public CopiesWorkCountTests(ITestOutputHelper output) => _output = output;

    private static DiagnosticAnalyzer[] CopyAnalyzers() => new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer(), new StatusCheckAnalyzer() };

    [Fact]
    public Task CopyHeavyMethod_WorkPerStatementIsLinear() =>
        AssertLinear("copy-heavy method", n => WorkShapes.CopyHeavy(n), 100, 2000);

    [Fact]
    public Task CopyHeavyMethodInsideOneTry_WorkPerStatementIsLinear() =>
        AssertLinear("copy-heavy method in a try", n => WorkShapes.CopyHeavy(n, insideTry: true), 100, 2000);

    [Fact]
    public Task LongMethodInsideOneTry_WorkPerStatementIsLinear() =>
        AssertLinear("long method in a try", n => WorkShapes.LongCallback(n, insideTry: true), 100, 2000);

    [Fact]
    public Task LiveHandles_WorkPerStatementIsLinear() =>
        AssertLinear("100 live handles", n => WorkShapes.LiveHandles(100, n), 200, 2000);

    /// <summary>
    /// Handles compared with and set to <c>NULL</c> (a static field) used to become numbers bounded by each other, so every
    /// kill and every join at the cleanup label cost the number of live handles: work per handle grew with the handles.
    /// </summary>
    [Fact]
    public Task HandlesWithCleanupLabel_WorkPerHandleIsLinear() =>
        AssertLinear("handles with a cleanup label", WorkShapes.HandlesWithCleanupLabel, 25, 400);

    [Fact]
    public async Task HandlesWithCleanupLabel_CopiesAreStillJudged()
    {
        var source = WorkShapes.HandlesWithCleanupLabel(40).Replace(
            "RtlCopyMemory(buffer0, input, BlockSize);", "RtlCopyMemory(buffer0, input, BlockSize + 1);");
        var measured = await EngineMeasure.RunAsync(source, CopyAnalyzers());

        Assert.Equal("DRV020", Assert.Single(measured.Diagnostics).Id);
    }

    [Fact]
    public async Task CopyHeavyMethodInsideOneTry_FitsTheDefaultBudgetAndIsStillJudged()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.CopyHeavy(2000, insideTry: true), CopyAnalyzers());

        Assert.Equal(0, measured.Telemetry.BodiesOverBudget);
        Assert.True(measured.Work < WorkMeter.DefaultBudget / 4, $"work {measured.Work}");

        // Every copy of the shape is bounded (Math.Min and a guard, a 4-byte copy into a block of 8 or more bytes) and every
        // checked copy's status is tested: the analysis judged them all and found nothing.
        Assert.Empty(measured.Diagnostics);
    }

    [Fact]
    public async Task CopyHeavyMethod_AnUnboundedCopyIsStillFoundAtTheEnd()
    {
        var source = WorkShapes.CopyHeavy(2000).Replace(
            "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);",
            "RtlCopyMemory(outBuf, inBuf, inLen);\nWdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);");
        var measured = await EngineMeasure.RunAsync(source, CopyAnalyzers());

        Assert.Equal("DRV020", Assert.Single(measured.Diagnostics).Id);
    }

    [Fact]
    public async Task TwoCopyAnalyzers_ShareOneAnalysisPerBody()
    {
        var source = WorkShapes.CopyHeavy(60);
        var boundsOnly = await EngineMeasure.RunAsync(source, new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer() });
        var both = await EngineMeasure.RunAsync(source, CopyAnalyzers());

        Assert.Equal(1, both.Telemetry.BodiesAnalyzed);
        Assert.Equal(1, both.Telemetry.SharedResultsReused);
        Assert.Equal(boundsOnly.Telemetry.FunctionsSolved, both.Telemetry.FunctionsSolved);
        Assert.Equal(boundsOnly.Telemetry.BlocksVisited, both.Telemetry.BlocksVisited);
        Assert.Equal(boundsOnly.Telemetry.OperationsStepped, both.Telemetry.OperationsStepped);
    }

    [Fact]
    public async Task OrdinaryCode_CostsNoGraph()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(50), CopyAnalyzers());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
    }

    private async Task AssertLinear(string shape, System.Func<int, string> source, int small, int large)
    {
        var a = await EngineMeasure.RunAsync(source(small), CopyAnalyzers());
        var b = await EngineMeasure.RunAsync(source(large), CopyAnalyzers());
        var perSmall = a.Work / (double)small;
        var perLarge = b.Work / (double)large;
        _output.WriteLine($"{shape}: {small} -> work {a.Work} ({perSmall:F1} per unit); {large} -> work {b.Work} ({perLarge:F1} per unit)");
        _output.WriteLine($"  {small}: {a.Telemetry}");
        _output.WriteLine($"  {large}: {b.Telemetry}");

        Assert.True(a.Work > 0, "the shape was not analyzed");
        Assert.Equal(0, b.Telemetry.BodiesOverBudget);
        Assert.True(perLarge <= 2 * perSmall, $"{shape}: {perLarge:F1} work per unit at {large}, {perSmall:F1} at {small}");
    }
}
