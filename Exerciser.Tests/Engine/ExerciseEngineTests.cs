using System.Linq;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Exercising.StaticAnalysis;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Engine;

public class ExerciseEngineTests
{
    [Fact]
    public void Each_bug_is_reported_once_at_the_drivers_line()
    {
        var report = TinyDriverHarness.Run(TinyDriverHarness.Options());

        Assert.Equal(["DRV001", "DRV004"], report.Violations.Select(v => v.Rule).Order());
        var useAfterCompletion = report.Violations.Single(v => v.Rule == "DRV001");
        Assert.Equal(TinyDriverHarness.Expected("EXPECT DRV001").Line, useAfterCompletion.Location!.Line);
        Assert.True(useAfterCompletion.Location.SameFile(TinyDriverHarness.Expected("EXPECT DRV001")));
        Assert.True(useAfterCompletion.Occurrences > 1);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void A_request_never_completed_is_placed_at_the_callback_that_received_it()
    {
        var report = TinyDriverHarness.Run(TinyDriverHarness.Options());

        var neverCompleted = report.Violations.Single(v => v.Rule == "DRV004");
        Assert.True(neverCompleted.AtUnload);
        Assert.InRange(neverCompleted.Location!.Line, TinyDriverHarness.Expected("public static void EvtIoWrite").Line, TinyDriverHarness.Expected("EXPECT DRV004").Line);
    }

    [Fact]
    public void The_replay_of_a_violation_is_one_request_that_raises_it_alone()
    {
        var report = TinyDriverHarness.Run(TinyDriverHarness.Options());
        var violation = report.Violations.Single(v => v.Rule == "DRV001");

        int request = Assert.Single(violation.Replay);
        Assert.True(violation.ReplayVerified);
        var generated = new RequestGenerator(1, TinyDriverHarness.Codes).Generate(request);
        Assert.Equal(RequestKind.DeviceControl, generated.Kind);
        Assert.Equal(TinyDriver.IOCTL_TINY_GET, generated.IoControlCode);

        var replay = TinyDriverHarness.Run(TinyDriverHarness.Options() with { Replay = violation.Replay });
        Assert.Equal(1, replay.RequestsSent);
        Assert.Equal(violation.Location, Assert.Single(replay.Violations).Location);
    }

    [Fact]
    public void The_same_seed_finds_the_same_violations_with_the_same_replays()
    {
        var first = TinyDriverHarness.Run(TinyDriverHarness.Options(seed: 3));
        var second = TinyDriverHarness.Run(TinyDriverHarness.Options(seed: 3));

        Assert.Equal(first.Violations.Select(v => (v.Rule, v.Location, string.Join(",", v.Replay))),
                     second.Violations.Select(v => (v.Rule, v.Location, string.Join(",", v.Replay))));
    }

    [Fact]
    public void Several_threads_find_the_same_bugs_and_nothing_else()
    {
        var report = TinyDriverHarness.Run(TinyDriverHarness.Options(requests: 300, threads: 4));

        Assert.Equal(["DRV001", "DRV004"], report.Violations.Select(v => v.Rule).Order());
        Assert.Empty(report.Notes);
    }

    [Fact]
    public void A_violation_on_a_static_findings_line_confirms_it_and_other_findings_are_sorted_out()
    {
        var onTheLine = new StaticFinding("DRV001", "used after completion", TinyDriverHarness.Expected("EXPECT DRV001"));
        var elsewhere = new StaticFinding("DRV002", "completed twice", TinyDriverHarness.Expected("IoControlCode == IOCTL_TINY_PING"));
        var staticOnly = new StaticFinding("DRV030", "deprecated allocator", TinyDriverHarness.Expected("public const uint IOCTL_TINY_GET"));

        var report = TinyDriverHarness.Run(TinyDriverHarness.Options(), [onTheLine, elsewhere, staticOnly]);

        var confirmed = report.Violations.Single(v => v.Rule == "DRV001");
        Assert.Equal(onTheLine, confirmed.Confirms);
        Assert.Equal($"confirms DRV001 at {onTheLine.Location}", confirmed.Verdict);
        Assert.Equal("no static finding", report.Violations.Single(v => v.Rule == "DRV004").Verdict);
        Assert.Equal([elsewhere], report.NotExercised);
        Assert.Equal([staticOnly], report.StaticOnly);
    }

    [Fact]
    public void A_finding_of_the_rule_elsewhere_in_the_method_does_not_confirm_a_violation_raised_on_another_line()
    {
        var sameMethod = new StaticFinding("DRV001", "elsewhere", TinyDriverHarness.Expected("WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint))"));

        var report = TinyDriverHarness.Run(TinyDriverHarness.Options(), [sameMethod]);

        Assert.Null(report.Violations.Single(v => v.Rule == "DRV001").Confirms);
        Assert.Equal([sameMethod], report.NotExercised);
    }

    [Fact]
    public void A_request_never_completed_confirms_the_finding_at_its_callback()
    {
        var atTheCallback = new StaticFinding("DRV004", "not completed on a path", TinyDriverHarness.Expected("public static void EvtIoWrite"));
        var otherCallback = new StaticFinding("DRV004", "another callback", TinyDriverHarness.Expected("public static void EvtIoRead"));

        var report = TinyDriverHarness.Run(TinyDriverHarness.Options(), [atTheCallback, otherCallback]);

        Assert.Equal(atTheCallback, report.Violations.Single(v => v.Rule == "DRV004").Confirms);
        Assert.Equal([otherCallback], report.NotExercised);
    }
}
