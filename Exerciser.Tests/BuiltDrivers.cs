using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DriverBuffers.Exercising.Tests;

/// <summary>Where the drivers the tests exercise are: the repository's samples and the WDK ports, built with the tests.</summary>
internal static class BuiltDrivers
{
    private static readonly string Configuration =
        typeof(BuiltDrivers).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    public static string RepositoryRoot([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, ".."));

    /// <summary>A sample's folder: samples/BuggyDriver.</summary>
    public static string SampleDirectory(string sample) => Path.Combine(RepositoryRoot(), "samples", sample);

    /// <summary>A sample's project file.</summary>
    public static string SampleProject(string sample) => Path.Combine(SampleDirectory(sample), sample + ".csproj");

    /// <summary>A sample's assembly as the solution build made it (same configuration as the tests).</summary>
    public static string Sample(string sample) =>
        Path.Combine(SampleDirectory(sample), "bin", Configuration, "net10.0", sample + ".dll");
}
