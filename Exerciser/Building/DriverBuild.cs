using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace DriverBuffers.Exercising.Building;

/// <summary>Builds a driver project with <c>dotnet build</c> and finds the assembly it made.</summary>
internal static class DriverBuild
{
    /// <summary>
    /// Builds <paramref name="projectPath"/> without analyzers and with warnings kept as warnings (so that a driver with
    /// findings, even in strict analysis mode, still builds) and returns its output assembly, or the error to show the user.
    /// </summary>
    public static (string? AssemblyPath, string? Error) Build(string projectPath, string configuration)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "build", projectPath, "--configuration", configuration, "-nologo",
            // The exerciser runs the analyzers itself; in the build they could only turn findings into errors (strict mode).
            "-p:TreatWarningsAsErrors=false", "-p:RunAnalyzers=false",
            // -getProperty alone only evaluates the project (MSBuild skips the build); with -t:Build it builds, then prints.
            "-t:Build", "-getProperty:TargetPath",
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var errorText = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errorText) { errorText.AppendLine(e.Data); } } };
        process.BeginErrorReadLine();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0)
        {
            var errors = lines.Concat(errorText.ToString().Split('\n', StringSplitOptions.TrimEntries))
                .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(10);
            return (null, $"The build of {projectPath} failed (dotnet build exit code {process.ExitCode}):{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", errors));
        }
        string? targetPath = lines.LastOrDefault(l => l.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        if (targetPath is null || !File.Exists(targetPath))
        {
            return (null, $"The build of {projectPath} succeeded but its assembly was not found (TargetPath '{targetPath}').");
        }
        return (targetPath, null);
    }
}
