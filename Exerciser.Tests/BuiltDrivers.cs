using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DriverBuffers.Exercising.Tests;

/// <summary>Where the drivers the tests exercise are: the repository's samples and the WDK ports, built with the tests.</summary>
internal static class BuiltDrivers
{
    private static readonly string Configuration =
        typeof(BuiltDrivers).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>The repository's root folder (this file is in Exerciser.Tests/).</summary>
    public static string RepositoryRoot() => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, ".."));

    private static string ThisFile([CallerFilePath] string path = "") => path;

    /// <summary>A sample's folder: samples/BuggyDriver.</summary>
    public static string SampleDirectory(string sample) => Path.Combine(RepositoryRoot(), "samples", sample);

    /// <summary>A sample's project file.</summary>
    public static string SampleProject(string sample) => Path.Combine(SampleDirectory(sample), sample + ".csproj");

    /// <summary>A sample's assembly as the solution build made it (same configuration as the tests).</summary>
    public static string Sample(string sample) => Built(SampleDirectory(sample), sample);

    /// <summary>A WDK port's assembly (samples/WdkPorts/<paramref name="port"/>), built with the tests.</summary>
    public static string Port(string port) => Built(Path.Combine(RepositoryRoot(), "samples", "WdkPorts", port), port);

    private static string Built(string projectDirectory, string name) =>
        Path.Combine(projectDirectory, "bin", Configuration, "net10.0", name + ".dll");

    /// <summary>The build configuration of the tests, which is the samples' too.</summary>
    public static string BuildConfiguration => Configuration;
}
