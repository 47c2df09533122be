using System;
using System.Diagnostics;
using System.IO;

namespace DriverBuffers.Exercising.Tests;

/// <summary>Runs the built driverbuffers tool (DriverBuffers.Exerciser.dll beside the tests) as a user would.</summary>
internal static class ToolProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static (int ExitCode, string StandardOutput, string StandardError) Run(params string[] arguments) =>
        RunIn(Environment.CurrentDirectory, arguments);

    public static (int ExitCode, string StandardOutput, string StandardError) RunIn(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DriverBuffers.Exerciser.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync();
        string standardOutput = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"driverbuffers {string.Join(' ', arguments)} did not finish in {Limit}.");
        }
        return (process.ExitCode, standardOutput, standardError.Result);
    }
}
