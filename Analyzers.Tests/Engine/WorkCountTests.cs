using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The cost of the engine, pinned by the work it counts (<see cref="EngineTelemetry"/>), never by time: the work per
/// statement of a long method is at most twice that of a short one, whatever the shape (long straight code, one big
/// <c>try</c>, a 200-case switch, nested loops with <c>goto</c>, 100 live handles); cross-method questions about N
/// classes cost N, not N²; a body over its budget is given up silently and counted; and code that touches no API symbol
/// costs no graph.
/// </summary>
public class WorkCountTests
{
    private readonly ITestOutputHelper _output;

    public WorkCountTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public Task LongMethod_WorkPerStatementIsLinear() =>
        AssertLinear("long method", n => WorkShapes.LongCallback(n), 100, 2000);

    [Fact]
    public Task LongMethodInsideOneTry_WorkPerStatementIsLinear() =>
        AssertLinear("long method in a try", n => WorkShapes.LongCallback(n, insideTry: true), 100, 2000);

    [Fact]
    public Task IoctlSwitch_WorkPerCaseIsLinear() =>
        AssertLinear("IOCTL switch", WorkShapes.IoctlSwitch, 20, 200);

    [Fact]
    public Task NestedLoopsWithGoto_WorkPerLoopIsLinear() =>
        AssertLinear("nested loops with goto", WorkShapes.NestedLoopsWithGoto, 10, 200);

    [Fact]
    public Task HundredLiveHandles_WorkPerStatementIsLinear() =>
        AssertLinear("100 live handles", n => WorkShapes.LiveHandles(100, n), 200, 2000);

    [Fact]
    public async Task LongMethod_FitsTheDefaultBudget()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.LongCallback(2000, insideTry: true), EngineMeasure.RequestAnalyzers());

        Assert.Equal(0, measured.Telemetry.BodiesOverBudget);
        Assert.True(measured.Work < WorkMeter.DefaultBudget / 4, $"work {measured.Work}");
    }

    [Fact]
    public async Task FieldHeldRequestsAcrossClasses_CrossMethodQuestionsCostLinear()
    {
        var small = await EngineMeasure.RunAsync(WorkShapes.FieldHeldRequests(10), EngineMeasure.RequestAnalyzers());
        var large = await EngineMeasure.RunAsync(WorkShapes.FieldHeldRequests(40), EngineMeasure.RequestAnalyzers());
        _output.WriteLine("10 classes: " + small.Telemetry);
        _output.WriteLine("40 classes: " + large.Telemetry);

        // Every class shares the names Reader, EvtIoRead, ReadDone: each tree answers each of its three questions (its
        // request facts, the call sites of the two method names) once, and is visited once per name asked.
        Assert.True(large.Telemetry.TreesBound <= (3 * 40) + 1, $"trees bound {large.Telemetry.TreesBound}");
        Assert.True(large.Telemetry.IndexTreeVisits / 40.0 <= 2 * (small.Telemetry.IndexTreeVisits / 10.0),
            $"index tree visits {small.Telemetry.IndexTreeVisits} for 10 classes, {large.Telemetry.IndexTreeVisits} for 40");
        Assert.True(large.Work / 40.0 <= 2 * (small.Work / 10.0), $"work {small.Work} for 10 classes, {large.Work} for 40");
        Assert.True(large.Telemetry.SummariesComputed <= 2 * 40, $"summaries {large.Telemetry.SummariesComputed}");

        // The drivers are correct (reuse before completing the original): the questions had the right answers.
        Assert.Empty(large.Diagnostics);
    }

    /// <summary>
    /// A dispatch routine hands the application's request to many helpers that complete it (an IOCTL switch's shape). No
    /// helper reuses it, so none is asked whether every caller hands it a driver-created request: the trees bound do not
    /// grow with the number of helpers (each such question binds the call sites of the helper's name; asking it of every
    /// helper made the Reuse family 17x dearer on the ioctl-switch shape).
    /// </summary>
    [Fact]
    public async Task HelpersGivenTheApplicationsRequest_BindNoCallSites()
    {
        static string Source(int helpers)
        {
            var text = new System.Text.StringBuilder();
            text.AppendLine("static class Driver").AppendLine("{");
            text.AppendLine("    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)");
            text.AppendLine("    {").AppendLine("        switch (IoControlCode)").AppendLine("        {");
            for (var i = 0; i < helpers; i++)
            {
                text.AppendLine($"            case {i}: Fail{i}(Request); return;");
            }

            text.AppendLine("        }").AppendLine().AppendLine("        WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);").AppendLine("    }");
            for (var i = 0; i < helpers; i++)
            {
                text.AppendLine().AppendLine($"    static void Fail{i}(WDFREQUEST request) => WdfRequestComplete(request, STATUS_NOT_SUPPORTED);");
            }

            return text.AppendLine("}").ToString();
        }

        var small = await EngineMeasure.RunAsync(Source(5), EngineMeasure.RequestAnalyzers());
        var large = await EngineMeasure.RunAsync(Source(40), EngineMeasure.RequestAnalyzers());
        _output.WriteLine("5 helpers: " + small.Telemetry);
        _output.WriteLine("40 helpers: " + large.Telemetry);

        Assert.Equal(small.Telemetry.TreesBound, large.Telemetry.TreesBound);
        Assert.Empty(large.Diagnostics);
    }

    [Fact]
    public async Task HelperChainTenDeep_OneSummaryPerHelperAndDepth()
    {
        var measured = await EngineMeasure.RunAsync(
            WorkShapes.HelperChain(10), EngineMeasure.RequestAnalyzers(),
            new Dictionary<string, string> { [EngineOptions.HelperDepthKey] = "8" });

        // Nine helpers below the callback, each summarized at most once per depth it is reached at (8 levels).
        Assert.True(measured.Telemetry.SummariesComputed <= 10 * 8, $"summaries {measured.Telemetry.SummariesComputed}");
        Assert.Equal(0, measured.Telemetry.BodiesOverBudget);
    }

    [Fact]
    public async Task BodyOverBudget_IsGivenUpSilentlyAndCounted()
    {
        const string CompletedTwice = """
            class Driver
            {
                void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                {
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                }
            }
            """;

        var withinBudget = await EngineMeasure.RunAsync(CompletedTwice, EngineMeasure.RequestAnalyzers());
        var overBudget = await EngineMeasure.RunAsync(
            CompletedTwice, EngineMeasure.RequestAnalyzers(), new Dictionary<string, string> { [EngineOptions.WorkBudgetKey] = "5" });

        Assert.Contains(withinBudget.Diagnostics, d => d.Id == "DRV002");
        Assert.Equal(0, withinBudget.Telemetry.BodiesOverBudget);
        Assert.Empty(overBudget.Diagnostics);
        Assert.Equal(1, overBudget.Telemetry.BodiesOverBudget);
    }

    [Fact]
    public async Task TwoAnalyzers_ShareOneAnalysisPerBody()
    {
        var source = WorkShapes.LongCallback(50);
        var lifetimeOnly = await EngineMeasure.RunAsync(source, new Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer[] { new DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer() });
        var both = await EngineMeasure.RunAsync(source, EngineMeasure.RequestAnalyzers());

        Assert.Equal(1, both.Telemetry.BodiesAnalyzed);
        Assert.Equal(1, both.Telemetry.SharedResultsReused);
        Assert.Equal(lifetimeOnly.Telemetry.FunctionsSolved, both.Telemetry.FunctionsSolved);
        Assert.Equal(lifetimeOnly.Telemetry.BlocksVisited, both.Telemetry.BlocksVisited);
        Assert.Equal(lifetimeOnly.Telemetry.OperationsStepped, both.Telemetry.OperationsStepped);
    }

    [Fact]
    public async Task OrdinaryCodeWithLambdas_CostsNoGraph()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(50), EngineMeasure.RequestAnalyzers());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
        Assert.Equal(50 * 2, measured.Telemetry.BodiesScreenedOut);
    }

    [Fact]
    public async Task OrdinaryCodeWithLambdas_CostsNoGraph_UnderEveryAnalyzerOfThePackage()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(50), DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
    }

    [Fact]
    public async Task OrdinaryCode_IsScreenedOncePerTree_NotOncePerBody()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var small = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(10), analyzers);
        var large = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(200), analyzers);
        _output.WriteLine($"10 methods: {small.Telemetry}");
        _output.WriteLine($"200 methods: {large.Telemetry}");

        // Every rule of the package turns every body away, from the trees' name indexes: each tree of the project (the
        // code and the API's usings) is scanned once, each screen reads the code's tree once, and nothing else happens
        // (no graph, no helper summary, no cross-method question).
        Assert.True(large.Telemetry.BodiesScreenedOut >= 200 * 5, large.Telemetry.ToString());
        Assert.True(large.Telemetry.TreesIndexed <= 2, large.Telemetry.ToString());
        Assert.Equal(small.Telemetry.TreesIndexed, large.Telemetry.TreesIndexed);
        Assert.True(large.Telemetry.ScreensCollected <= small.Telemetry.ScreensCollected + 2, large.Telemetry.ToString());
        Assert.True(large.Telemetry.ScreensCollected < 40, large.Telemetry.ToString());
        Assert.Equal(0, large.Telemetry.GraphsBuilt);
        Assert.Equal(0, large.Telemetry.BodiesAnalyzed);
        Assert.Equal(0, large.Telemetry.SummariesComputed);
        Assert.Equal(0, large.Telemetry.TreesBound);
        Assert.Equal(0, large.Telemetry.IndexTreeVisits);
        Assert.Equal(0, large.Work);
    }

    [Fact]
    public async Task AnEdit_IndexesAndBindsOnlyTheEditedTree()
    {
        var compilation = Infrastructure.AnalyzerHarness.Compile(WorkShapes.FieldHeldRequests(40));
        var analyzers = System.Collections.Immutable.ImmutableArray.Create(EngineMeasure.RequestAnalyzers());
        var options = new Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions(System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.AdditionalText>.Empty);

        // The first analysis of the project (the IDE's first request) indexes and binds what the questions need.
        using (EngineTelemetry.Capture(out var first))
        {
            await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
            Assert.True(first.TreesBound >= 40, first.ToString());
        }

        // An edit: the edited document is a new tree, every other tree the same object in the new compilation.
        var tree = compilation.SyntaxTrees.First(t => t.FilePath.EndsWith("Driver7.cs", System.StringComparison.Ordinal));
        var text = tree.GetText();
        var edited = tree.WithChangedText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(text.Length, 0), "// edited\n")));
        var next = compilation.ReplaceSyntaxTree(tree, edited);
        using (EngineTelemetry.Capture(out var second))
        {
            var diagnostics = await next.WithAnalyzers(analyzers, options)
                .GetAnalyzerSemanticDiagnosticsAsync(next.GetSemanticModel(edited), null, default);
            Assert.Empty(diagnostics);
            Assert.True(second.BodiesAnalyzed > 0, second.ToString());
            Assert.True(second.TreesIndexed <= 1, second.ToString());
            // Only the edited tree answers its questions again (its request facts, the call sites of two names).
            Assert.True(second.TreesBound <= 3, second.ToString());
        }
    }

    private async Task AssertLinear(string shape, System.Func<int, string> source, int small, int large)
    {
        var a = await EngineMeasure.RunAsync(source(small), EngineMeasure.RequestAnalyzers());
        var b = await EngineMeasure.RunAsync(source(large), EngineMeasure.RequestAnalyzers());
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
