using System;
using System.Linq;
using DriverBuffers.Exercising.Reporting;
using Xunit;

namespace DriverBuffers.Exercising.Tests.HiddenDrivers;

/// <summary>
/// The exerciser on drivers its authors never saw, given as built .dll files with their PDBs: a KMDF driver with a
/// manual queue, a periodic timer and a cancel routine, correct, exercises clean; a WDM filter with a completion
/// routine and three real bugs has each found at its line, confirmed by the analyzers where a rule covers it (DRV037:
/// paged pool kept in the device extension and read in the completion routine; DRV042), with a replay.
/// </summary>
public class HiddenDriverTests
{
    private const string Notifier = "NotifierKmdf";
    private const string Audit = "AuditFilterWdm";

    [Fact]
    public void A_kmdf_driver_with_a_manual_queue_a_timer_and_a_cancel_routine_exercises_clean()
    {
        var report = Exerciser.Run(new ExerciseOptions { Driver = HiddenDriverBuild.Build(Notifier), Seed = 5, Requests = 300, Threads = 4 });

        Assert.Null(report.Error);
        Assert.Equal(["Notifier"], report.Drivers);
        Assert.True(report.Violations.Count == 0, string.Join(Environment.NewLine, report.Violations.Select(v => $"{v.Rule} {v.Location}: {v.Message}")));
        Assert.Empty(report.Notes);
        Assert.True(report.AnalyzersRan);
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public void A_wdm_filter_with_three_bugs_has_each_found_at_its_line_and_replayed()
    {
        var report = Exerciser.Run(new ExerciseOptions { Driver = HiddenDriverBuild.Build(Audit), Seed = 5, Requests = 300, Threads = 4 });

        Assert.Null(report.Error);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal(["DRV037", "DRV042", "PoolLeak"], report.Violations.Select(v => v.Rule).Order().ToArray());
        foreach (var violation in report.Violations)
        {
            var expected = HiddenDriverBuild.LineOf(Audit, $"BUG {violation.Rule}:");
            Assert.True(violation.Location is { } at && at.Line == expected && at.FilePath.EndsWith(Audit + ".cs", StringComparison.Ordinal),
                $"{violation.Rule} at {violation.Location}, expected line {expected}");
            Assert.NotEmpty(violation.Replay);
            Assert.True(violation.ReplayVerified, $"{violation.Rule}: replay {string.Join(",", violation.Replay)} not verified");
        }
        Assert.Equal("DRV042", report.Violations.Single(v => v.Rule == "DRV042").Confirms?.Rule);
        Assert.Equal("DRV037", report.Violations.Single(v => v.Rule == "DRV037").Confirms?.Rule);
        Assert.True(report.Violations.Single(v => v.Rule == "PoolLeak").AtUnload);
    }

    [Fact]
    public void The_command_exercises_a_built_dll_and_prints_each_bug_at_its_file_and_line()
    {
        string dll = HiddenDriverBuild.Build(Audit);

        var (exitCode, output, error) = ToolProcess.Run("exercise", dll, "--seed", "5", "--requests", "300", "--no-analyzers");

        Assert.True(exitCode == 1, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{error}");
        foreach (var rule in new[] { "DRV037", "DRV042", "PoolLeak" })
        {
            int line = HiddenDriverBuild.LineOf(Audit, $"BUG {rule}:");
            Assert.Contains($"{Audit}.cs:{line}", output.Split('\n').First(l => l.StartsWith(rule, StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        Assert.Contains("--replay", output, StringComparison.Ordinal);
    }
}
