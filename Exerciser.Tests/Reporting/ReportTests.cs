using System.IO;
using System.Linq;
using System.Text.Json;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Exercising.StaticAnalysis;
using DriverBuffers.Exercising.Tests.Engine;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Reporting;

public class ReportTests
{
    private static readonly StaticFinding UseAfterCompletion = new("DRV001", "used after completion", TinyDriverHarness.Expected("EXPECT DRV001"));
    private static readonly StaticFinding NeverReached = new("DRV002", "completed twice", TinyDriverHarness.Expected("IoControlCode == IOCTL_TINY_PING"));
    private static readonly ExerciseReport Report = TinyDriverHarness.Run(TinyDriverHarness.Options(), [UseAfterCompletion, NeverReached]);

    [Fact]
    public void The_text_report_gives_each_violation_its_line_verdict_message_and_replay_command()
    {
        var text = new StringWriter();
        TextReport.Write(Report, text);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        int first = lines.FindIndex(l => l.StartsWith("DRV001  ", System.StringComparison.Ordinal));
        Assert.EndsWith($"TinyDriver.cs:{UseAfterCompletion.Location.Line}  confirms DRV001 at {UseAfterCompletion.Location}", lines[first]);
        Assert.StartsWith("    PVOID.Write", lines[first + 1]);
        var replay = Report.Violations.Single(v => v.Rule == "DRV001").Replay.Single();
        Assert.StartsWith($"    replay: driverbuffers exercise TinyDriver --seed 1 --replay {replay}  (#{replay} IOCTL 0x222004", lines[first + 2]);
        Assert.Contains(lines, l => l.StartsWith("DRV004  ", System.StringComparison.Ordinal) && l.EndsWith("no static finding", System.StringComparison.Ordinal));
        Assert.Contains($"  DRV002  {NeverReached.Location}", lines);
        Assert.Equal("2 violation(s): 1 confirm a static finding, 1 with no static finding; 1 static finding(s) not exercised.", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void A_run_time_check_without_an_analyzer_rule_is_not_called_a_missed_static_finding()
    {
        var leak = Report.Violations.Single(v => v.Rule == "DRV004") with { Rule = "PoolLeak", Confirms = null };
        var withLeak = Report with { Violations = [.. Report.Violations, leak] };
        var text = new StringWriter();
        TextReport.Write(withLeak, text);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal("run-time check, no analyzer rule", leak.Verdict);
        Assert.False(leak.HasAnalyzerRule);
        Assert.Equal("3 violation(s): 1 confirm a static finding, 1 with no static finding, 1 of run-time checks without an analyzer rule; " +
            "1 static finding(s) not exercised.", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void Without_the_analyzers_no_verdict_is_printed()
    {
        var text = new StringWriter();
        TextReport.Write(Report with { AnalyzersRan = false }, text);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Contains(lines, l => l.StartsWith("DRV004  ", System.StringComparison.Ordinal) && l.EndsWith("TinyDriver.cs:" + l.Split(':').Last(), System.StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("no static finding", System.StringComparison.Ordinal));
        Assert.Equal("2 violation(s) (analyzers not run).", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void A_clean_run_says_so_and_exits_with_0()
    {
        var clean = Report with { Violations = [], NotExercised = [] };
        var text = new StringWriter();
        TextReport.Write(clean, text);

        Assert.Contains("No violation.", text.ToString());
        Assert.EndsWith("Clean: no violation; 0 static finding(s) not exercised." + System.Environment.NewLine, text.ToString());
        Assert.Equal(0, clean.ExitCode);
    }

    [Fact]
    public void An_error_is_one_line_and_exits_with_2()
    {
        var failed = new ExerciseReport { Driver = "x.dll", Error = "'x.dll' does not exist." };
        var text = new StringWriter();
        TextReport.Write(failed, text);

        Assert.Equal("error: 'x.dll' does not exist." + System.Environment.NewLine, text.ToString());
        Assert.Equal(2, failed.ExitCode);
    }

    [Fact]
    public void The_SARIF_report_has_a_result_per_violation_and_a_note_per_finding_not_exercised()
    {
        using var stream = new MemoryStream();
        SarifReport.Write(Report, stream);
        using var sarif = JsonDocument.Parse(stream.ToArray());

        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = sarif.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        var violation = results.Single(r => r.GetProperty("ruleId").GetString() == "DRV001");
        Assert.Equal("error", violation.GetProperty("level").GetString());
        Assert.Equal(UseAfterCompletion.Location.Line, violation.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal($"confirms DRV001 at {UseAfterCompletion.Location}", violation.GetProperty("properties").GetProperty("verdict").GetString());
        Assert.Contains("--replay", violation.GetProperty("properties").GetProperty("replay").GetString());
        var note = results.Single(r => r.GetProperty("ruleId").GetString() == "DRV002");
        Assert.Equal("note", note.GetProperty("level").GetString());
        Assert.Equal(["DRV001", "DRV002", "DRV004"], run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }
}
