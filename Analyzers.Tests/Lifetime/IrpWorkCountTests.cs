using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Engine;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// The cost of following IRPs and of linking a helper's completion to the status it returns, pinned by the engine's
/// counts (never by time): a dispatch routine that polls N status-returning helpers costs work linear in N, and a chain
/// of helpers that return each other's status costs one summary per helper and depth, and still links the status.
/// </summary>
public class IrpWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public IrpWorkCountTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task DispatchPollingStatusHelpers_WorkPerCallIsLinear()
    {
        var small = await EngineMeasure.RunAsync(PollingDispatch(50), EngineMeasure.RequestAnalyzers());
        var large = await EngineMeasure.RunAsync(PollingDispatch(500), EngineMeasure.RequestAnalyzers());
        _output.WriteLine("50 calls: work " + small.Work + "; " + small.Telemetry);
        _output.WriteLine("500 calls: work " + large.Work + "; " + large.Telemetry);

        Assert.True(small.Work > 0, "the dispatch routine was not analyzed");
        Assert.Equal(0, large.Telemetry.BodiesOverBudget);
        Assert.True(large.Work / 500.0 <= 2 * (small.Work / 50.0), $"work {small.Work} for 50 calls, {large.Work} for 500");

        // Each helper completes only where it does not return STATUS_PENDING, and is called again only while it did:
        // the one completion after the last call is right.
        Assert.Empty(large.Diagnostics);
        Assert.True(large.Telemetry.SummariesComputed <= 4 * 2, $"summaries {large.Telemetry.SummariesComputed}");
    }

    [Fact]
    public async Task StatusReturnedThroughEightHelpers_OneSummaryPerHelperAndDepth_AndStillLinked()
    {
        var options = new Dictionary<string, string> { [EngineOptions.HelperDepthKey] = "8" };
        var correct = await EngineMeasure.RunAsync(StatusChain(8, completeWhenPending: true), EngineMeasure.RequestAnalyzers(), options);
        var buggy = await EngineMeasure.RunAsync(StatusChain(8, completeWhenPending: false), EngineMeasure.RequestAnalyzers(), options);
        _output.WriteLine("chain of 8: " + correct.Telemetry);

        Assert.True(correct.Telemetry.SummariesComputed <= 9 * 8, $"summaries {correct.Telemetry.SummariesComputed}");
        Assert.Equal(0, correct.Telemetry.BodiesOverBudget);
        Assert.Empty(correct.Diagnostics);
        Assert.Equal(new[] { "DRV002" }, buggy.Diagnostics.Select(d => d.Id));
    }

    /// <summary>A dispatch routine that calls <paramref name="calls"/> polling helpers (four distinct ones) while they return STATUS_PENDING.</summary>
    private static string PollingDispatch(int calls)
    {
        var body = new StringBuilder();
        for (var i = 0; i < calls; i++)
        {
            body.Append(F("status = Poll{0}(Irp, {1});\nif (status != STATUS_PENDING) {{ return status; }}\n", i % 4, i));
        }

        var helpers = new StringBuilder();
        for (var k = 0; k < 4; k++)
        {
            helpers.Append(F(
                "static NTSTATUS Poll{0}(IRP Irp, int round) {{\n" +
                "  if (Irp.IoStatus.Information > (nuint)round) {{ Irp.IoStatus.Status = STATUS_SUCCESS; IoCompleteRequest(Irp, IO_NO_INCREMENT); return STATUS_SUCCESS; }}\n" +
                "  return STATUS_PENDING;\n}}\n", k));
        }

        return "class Driver {\n" +
               "NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp) {\n" +
               "NTSTATUS status = STATUS_PENDING;\n" + body +
               "Irp.IoStatus.Status = STATUS_CANCELLED;\nIoCompleteRequest(Irp, IO_NO_INCREMENT);\nreturn STATUS_CANCELLED;\n}\n" +
               helpers + "}\n";
    }

    /// <summary>
    /// A caller of Level1, which returns Level2's status, … to Level<paramref name="depth"/>, which completes the IRP
    /// unless it returns STATUS_PENDING; the caller completes where the status is (or is not) STATUS_PENDING.
    /// </summary>
    private static string StatusChain(int depth, bool completeWhenPending)
    {
        var helpers = new StringBuilder();
        for (var i = 1; i < depth; i++)
        {
            helpers.Append(F("static NTSTATUS Level{0}(IRP Irp) {{ NTSTATUS status = Level{1}(Irp); return status; }}\n", i, i + 1));
        }

        helpers.Append(F(
            "static NTSTATUS Level{0}(IRP Irp) {{ if (Irp.IoStatus.Information == 0) {{ return STATUS_PENDING; }} IoCompleteRequest(Irp, IO_NO_INCREMENT); return STATUS_SUCCESS; }}\n",
            depth));
        return "class Driver {\n" +
               "void Poll(IRP Irp) {\n" +
               "if (Level1(Irp) " + (completeWhenPending ? "==" : "!=") + " STATUS_PENDING) { IoCompleteRequest(Irp, IO_NO_INCREMENT); }\n" +
               "}\n" + helpers + "}\n";
    }

    private static string F(string format, params object[] arguments) => string.Format(CultureInfo.InvariantCulture, format, arguments);
}
