using DriverBuffers.Exercising.Cli;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Cli;

public class CommandLineTests
{
    [Fact]
    public void Every_option_is_read()
    {
        var (options, error) = CommandLine.Parse(["exercise", "Driver.csproj", "--seed", "7", "--requests", "50", "--threads", "2", "--sarif", "out.sarif", "--replay", "3,12-14"]);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal("Driver.csproj", options.Driver);
        Assert.Equal(7, options.Seed);
        Assert.Equal(50, options.Requests);
        Assert.Equal(2, options.Threads);
        Assert.Equal("out.sarif", options.SarifPath);
        Assert.Equal([3, 12, 13, 14], options.Replay);
    }

    [Fact]
    public void Defaults_apply_when_only_the_driver_is_given()
    {
        var (options, _) = CommandLine.Parse(["exercise", "Driver.dll"]);

        Assert.Equal(1, options!.Seed);
        Assert.Equal(ExerciseOptions.DefaultRequests, options.Requests);
        Assert.Equal(ExerciseOptions.DefaultThreads, options.Threads);
        Assert.Null(options.Replay);
        Assert.True(options.RunAnalyzers);
    }

    [Fact]
    public void A_replay_runs_one_request_at_a_time_unless_threads_are_given()
    {
        Assert.Equal(1, CommandLine.Parse(["exercise", "x.dll", "--replay", "4"]).Options!.Threads);
        Assert.Equal(3, CommandLine.Parse(["exercise", "x.dll", "--replay", "4,5", "--threads", "3"]).Options!.Threads);
    }

    [Theory]
    [InlineData("Unknown command 'run'.", "run", "x.dll")]
    [InlineData("Give the driver: a .csproj or a .dll.", "exercise")]
    [InlineData("--threads needs a whole number of at least 1.", "exercise", "x.dll", "--threads", "0")]
    [InlineData("--requests needs a whole number of at least 1.", "exercise", "x.dll", "--requests", "many")]
    [InlineData("--seed needs a whole number.", "exercise", "x.dll", "--seed")]
    [InlineData("Unknown option '--fast'.", "exercise", "x.dll", "--fast")]
    [InlineData("Unexpected argument 'y.dll': give one driver.", "exercise", "x.dll", "y.dll")]
    [InlineData("--replay: '5-2' is not a request number or range.", "exercise", "x.dll", "--replay", "5-2")]
    public void Bad_usage_is_explained(string expected, params string[] args)
    {
        var (options, error) = CommandLine.Parse(args);

        Assert.Null(options);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Bad_usage_exits_with_2_and_prints_the_usage()
    {
        var (exitCode, _, standardError) = ToolProcess.Run("exercise", "--threads", "0", "x.dll");

        Assert.Equal(2, exitCode);
        Assert.Contains("error: --threads needs a whole number of at least 1.", standardError);
        Assert.Contains("Usage: driverbuffers exercise", standardError);
    }

    [Fact]
    public void A_missing_driver_exits_with_2()
    {
        var (exitCode, standardOutput, _) = ToolProcess.Run("exercise", "does-not-exist.csproj");

        Assert.Equal(2, exitCode);
        Assert.Contains("error: 'does-not-exist.csproj' does not exist.", standardOutput);
    }

    [Fact]
    public void Help_exits_with_0()
    {
        var (exitCode, _, standardError) = ToolProcess.Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--replay LIST", standardError);
    }
}
