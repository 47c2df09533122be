using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Cancellation;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using DriverBuffers.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Cancellation.Twins;

/// <summary>
/// DRV005's run-time twin: the code the analyzer flags (read from <c>Drv005Driver.cs</c>) raises DRV005 in the runtime
/// host, and the corrected code is silent for the analyzer and runs clean, whether the application cancels or not.
/// </summary>
public class Drv005TwinTests
{
    private static string TwinFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [Fact]
    public async Task FlaggedCodeRaisesDrv005_CorrectedCodeRunsClean()
    {
        var text = File.ReadAllText(Path.Combine(TwinFolder(), "Drv005Driver.cs"));
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Drv005Driver.cs", text) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var result = await AnalyzerHarness.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new CancelableRequestAnalyzer()));
        Assert.Empty(result.Exceptions);
        var lines = text.Split('\n');
        var flagged = result.Diagnostics.Select(d => lines[d.Location.GetLineSpan().StartLinePosition.Line].Trim()).ToList();
        Assert.Equal(new[] { "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);" }, flagged);
        Assert.All(result.Diagnostics, d => Assert.Equal("DRV005", d.Id));
        var correctStart = Array.FindIndex(lines, l => l.Contains("class Drv005CorrectDriver", StringComparison.Ordinal));
        Assert.True(result.Diagnostics.Single().Location.GetLineSpan().StartLinePosition.Line < correctStart, "the finding is in the buggy driver");

        var buggy = new Drv005BuggyDriver();
        Assert.Contains("DRV005", RunInHost(h => h.EvtIoRead = buggy.EvtIoRead, h => h.Read(4)));

        var correct = new Drv005CorrectDriver();
        IoResult? answered = null;
        Assert.Empty(RunInHost(h => h.EvtIoRead = correct.EvtIoRead, h =>
        {
            answered = h.Read(4);
            h.Run(correct.Answer);
        }));
        Assert.Equal(STATUS_SUCCESS, answered!.Status);

        var canceledFirst = new Drv005CorrectDriver();
        IoResult? canceled = null;
        Assert.Empty(RunInHost(h => h.EvtIoRead = canceledFirst.EvtIoRead, h =>
        {
            canceled = h.Read(4);
            canceled.Cancel();
            h.Run(canceledFirst.Answer);
        }));
        Assert.Equal(STATUS_CANCELLED, canceled!.Status);
    }

    private static List<string> RunInHost(Action<DriverHost> configure, Action<DriverHost> io)
    {
        using var host = new DriverHost();
        configure(host);
        try
        {
            io(host);
        }
        catch (WdfViolationException)
        {
            // Recorded in host.Violations as well.
        }

        var rules = host.Violations.Select(v => v.Rule).ToList();
        rules.AddRange(host.Unload().Rules);
        return rules;
    }
}
