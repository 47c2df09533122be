using System;
using System.Diagnostics;
using System.IO;

namespace DriverBuffers.Exercising.Tests;

/// <summary>Runs programs as a user would: the built driverbuffers tool (DriverBuffers.Exerciser.dll beside the tests), dotnet, an installed tool.</summary>
internal static class ToolProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>driverbuffers</c> with <paramref name="arguments"/> in the current directory.</summary>
    public static (int ExitCode, string StandardOutput, string StandardError) Run(params string[] arguments) =>
        Execute("dotnet", Environment.CurrentDirectory, [Path.Combine(AppContext.BaseDirectory, "DriverBuffers.Exerciser.dll"), .. arguments]);

    /// <summary>Runs <paramref name="program"/>; a run longer than five minutes is killed and reported.</summary>
    public static (int ExitCode, string StandardOutput, string StandardError) Execute(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync();
        string standardOutput = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {Limit}.");
        }
        return (process.ExitCode, standardOutput, standardError.Result);
    }
}
