using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Cli;

/// <summary>The tool as a user gets it: packed, installed with <c>dotnet tool install</c>, run as <c>driverbuffers</c>.</summary>
public class ToolPackageTests
{
    [Fact]
    public void The_packed_tool_installs_and_runs_as_driverbuffers()
    {
        string work = Path.Combine(Path.GetTempPath(), "driverbuffers-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            string configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            Dotnet("pack", ExerciserProject(), "--no-build", "--configuration", configuration, "--output", Path.Combine(work, "packages"));
            var package = Assert.Single(Directory.GetFiles(Path.Combine(work, "packages"), "DriverBuffers.Exerciser.*.nupkg"));
            string version = Path.GetFileNameWithoutExtension(package)["DriverBuffers.Exerciser.".Length..];

            Dotnet("tool", "install", "DriverBuffers.Exerciser", "--version", version, "--tool-path", Path.Combine(work, "tools"),
                "--add-source", Path.Combine(work, "packages"));

            var (exitCode, _, usage) = ToolProcess.Execute(Path.Combine(work, "tools", OperatingSystem.IsWindows() ? "driverbuffers.exe" : "driverbuffers"), work, "--help");
            Assert.Equal(0, exitCode);
            Assert.Contains("Usage: driverbuffers exercise <driver .csproj or .dll>", usage);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static string ExerciserProject([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Exerciser", "Exerciser.csproj"));

    private static void Dotnet(params string[] arguments)
    {
        var (exitCode, output, error) = ToolProcess.Execute("dotnet", Environment.CurrentDirectory, arguments);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{output}{error}");
    }
}
