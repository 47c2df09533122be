using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Exercising.Tests.StaticAnalysis;
using Xunit;

namespace DriverBuffers.Exercising.Tests.EndToEnd;

/// <summary>
/// What the README promises: exercising samples/BuggyDriver confirms every marked bug the verifier can see at run
/// time, each with a replay seen to reproduce it, and samples/CorrectDriver exercises clean. The buggy run sends one
/// request at a time, so that what it finds depends on the seed only; the correct one runs four threads at once.
/// The buggy run sends twice the default number of requests: DRV022's bug needs an IOCTL_ECHO_GET_FIRST_WORD with an
/// input shorter than a ULONG, which the first thousand requests of seed 1 do not send since the sample has 14 codes.
/// </summary>
public class SampleExerciseTests
{
    private static readonly Lazy<ExerciseReport> Buggy = new(() => Exerciser.Run(new ExerciseOptions
    {
        Driver = BuiltDrivers.Sample("BuggyDriver"),
        Seed = 1,
        Requests = 2 * ExerciseOptions.DefaultRequests,
        Threads = 1,
    }));

    [Fact]
    public void Every_marked_bug_the_verifier_can_see_is_confirmed_at_its_marker()
    {
        var markers = AnalyzerRunTests.Markers("BuggyDriver");
        var atRunTime = markers.Where(m => RunTimeRules.IsCheckedAtRunTime(m.Rule)).ToList();
        var unreachable = DeviceInitUsesAfterAFailedCreate(markers);

        var confirmed = Buggy.Value.Violations.Where(v => v.Confirms is not null)
            .Select(v => (Path.GetFileName(v.Confirms!.Location.FilePath), v.Confirms.Location.Line, v.Confirms.Rule)).ToHashSet();

        Assert.Equal(23, atRunTime.Count);
        Assert.All(atRunTime.Except(unreachable), marker => Assert.Contains(marker, confirmed));
        Assert.Equal(1, Buggy.Value.ExitCode);
    }

    [Fact]
    public void The_only_findings_not_exercised_are_the_DeviceInit_uses_after_a_WdfDeviceCreate_the_host_never_fails()
    {
        // DRV044's WDF form in EchoEvtDeviceAdd sits on the path where WdfDeviceCreate failed: the host never fails it,
        // and the runtime consumes a WDFDEVICE_INIT only when the create succeeds, so no run reaches these two lines.
        var markers = AnalyzerRunTests.Markers("BuggyDriver");

        var notExercised = Buggy.Value.NotExercised.Select(f => (Path.GetFileName(f.Location.FilePath), f.Location.Line, f.Rule)).Order();

        Assert.Equal(DeviceInitUsesAfterAFailedCreate(markers), notExercised);
    }

    private static (string File, int Line, string Rule)[] DeviceInitUsesAfterAFailedCreate((string File, int Line, string Rule)[] markers)
    {
        var uses = markers.Where(m => m.File == "EchoDriver.cs" && m.Rule == "DRV044").Order().ToArray();
        Assert.Equal(2, uses.Length);
        return uses;
    }

    [Fact]
    public void The_marked_bugs_the_verifier_cannot_see_are_listed_as_static_only()
    {
        var staticOnly = AnalyzerRunTests.Markers("BuggyDriver").Where(m => !RunTimeRules.IsCheckedAtRunTime(m.Rule)).Select(m => m.Rule).Order();

        Assert.Equal(["DRV012", "DRV021", "DRV030", "DRV031", "DRV032", "DRV033", "DRV035", "DRV043"], staticOnly);
        Assert.Equal(staticOnly, Buggy.Value.StaticOnly.Select(f => f.Rule).Order());
    }

    [Fact]
    public void Each_confirmed_violation_has_a_replay_that_reproduced_it()
    {
        Assert.All(Buggy.Value.Violations.Where(v => v.Confirms is not null), v =>
        {
            Assert.True(v.ReplayVerified, $"{v.Rule} at {v.Location}: replay {string.Join(",", v.Replay)} not verified");
            Assert.NotEmpty(v.Replay);
        });
    }

    [Fact]
    public void The_only_violation_without_a_static_finding_is_the_read_DRV012_leaves_uncompleted()
    {
        // The forwarded read's completion routine resends without a routine (DRV012): nobody completes the original.
        var unconfirmed = Assert.Single(Buggy.Value.Violations, v => v.Confirms is null);

        Assert.Equal("DRV004", unconfirmed.Rule);
        Assert.True(unconfirmed.AtUnload);
        Assert.Contains("EvtIoRead", File.ReadAllLines(unconfirmed.Location!.FilePath)[unconfirmed.Location.Line - 1]);
    }

    [Fact]
    public void The_correct_sample_exercises_clean()
    {
        var report = Exerciser.Run(new ExerciseOptions { Driver = BuiltDrivers.Sample("CorrectDriver"), Seed = 1, Threads = 4 });

        Assert.Null(report.Error);
        Assert.Equal(["EchoDriver", "RawControlDriver", "RawTransferDriver"], report.Drivers);
        Assert.Empty(report.Violations);
        Assert.Empty(report.StaticFindings);
        Assert.Empty(report.Notes);
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public void The_command_builds_the_project_exercises_it_and_writes_SARIF()
    {
        string sarif = Path.Combine(Path.GetTempPath(), $"driverbuffers-{Guid.NewGuid():N}.sarif");
        try
        {
            var (exitCode, output, _) = ToolProcess.Execute("dotnet", BuiltDrivers.RepositoryRoot(),
                Path.Combine(AppContext.BaseDirectory, "DriverBuffers.Exerciser.dll"),
                "exercise", "samples/BuggyDriver/BuggyDriver.csproj", "--configuration", BuiltDrivers.BuildConfiguration,
                "--requests", "300", "--sarif", sarif);

            Assert.Equal(1, exitCode);
            var useAfterCompletion = AnalyzerRunTests.Markers("BuggyDriver").Single(m => m.Rule == "DRV001");
            Assert.Contains($"confirms DRV001 at samples/BuggyDriver/{useAfterCompletion.File}:{useAfterCompletion.Line}", output);
            Assert.Contains("replay: driverbuffers exercise samples/BuggyDriver/BuggyDriver.csproj --seed 1 --replay ", output);
            using var log = JsonDocument.Parse(File.ReadAllBytes(sarif));
            var results = log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "DRV001" && r.GetProperty("level").GetString() == "error");
        }
        finally
        {
            File.Delete(sarif);
        }
    }

    [Fact]
    public void A_project_never_built_in_that_configuration_is_built_before_it_is_loaded()
    {
        // On a fresh clone nothing is built: the README's command (default configuration Debug) must build the driver.
        string configuration = $"Fresh{Guid.NewGuid():N}"[..13];
        string output = Path.Combine(BuiltDrivers.RepositoryRoot(), "samples", "CorrectDriver", "bin", configuration);
        try
        {
            var (assembly, error) = DriverBuffers.Exercising.Building.DriverBuild.Build(
                Path.Combine(BuiltDrivers.RepositoryRoot(), "samples", "CorrectDriver", "CorrectDriver.csproj"), configuration);

            Assert.Null(error);
            Assert.True(File.Exists(assembly), $"no assembly at {assembly}");
            Assert.StartsWith(output, assembly);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            string intermediate = Path.Combine(BuiltDrivers.RepositoryRoot(), "samples", "CorrectDriver", "obj", configuration);
            if (Directory.Exists(intermediate)) Directory.Delete(intermediate, recursive: true);
        }
    }
}
