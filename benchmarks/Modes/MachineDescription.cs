using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>The machine a report was measured on: cores, CPU model, memory, load average (Linux /proc when present).</summary>
public static class MachineDescription
{
    public static string Describe()
    {
        var cpu = Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = Read("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return $"{Environment.ProcessorCount} logical cores, {cpu}, {memory ?? "memory unknown"}, {RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, Roslyn {typeof(Microsoft.CodeAnalysis.Compilation).Assembly.GetName().Version}";
    }

    /// <summary>The 1/5/15-minute load averages, to show how busy the shared machine was.</summary>
    public static string LoadAverage() => Read("/proc/loadavg") is { } load ? string.Join(" ", load.Split(' ').Take(3)) : "unknown";

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
