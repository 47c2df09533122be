using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Exercising.Sources;
using DriverBuffers.Exercising.StaticAnalysis;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Tests.Engine;

/// <summary>Runs <see cref="TinyDriver"/> through the engine in a hand-wired DriverHost, with the test assembly's PDB for lines.</summary>
internal static class TinyDriverHarness
{
    public static readonly uint[] Codes = [TinyDriver.IOCTL_TINY_GET, TinyDriver.IOCTL_TINY_PING];

    public static string SourcePath([CallerFilePath] string harness = "") => Path.Combine(Path.GetDirectoryName(harness)!, "TinyDriver.cs");

    /// <summary>The line of the driver's source (or of <paramref name="source"/>) that carries <paramref name="marker"/>.</summary>
    public static SourceLocation Expected(string marker, string? source = null)
    {
        source ??= SourcePath();
        var lines = File.ReadAllLines(source);
        int index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        return new SourceLocation(source, index + 1, lines[index].Length - lines[index].TrimStart().Length + 1);
    }

    public static DriverUnderTest Driver => new("TinyDriver", CreateSession);

    public static ExerciseReport Run(ExerciseOptions options, IReadOnlyList<StaticFinding>? findings = null) =>
        RunWith(Driver, options, findings);

    /// <summary>Runs <paramref name="driver"/>, a session over code of this test assembly, with the assembly's PDB for lines.</summary>
    public static ExerciseReport RunWith(DriverUnderTest driver, ExerciseOptions options, IReadOnlyList<StaticFinding>? findings = null)
    {
        using var symbols = DriverSymbols.Open(typeof(TinyDriver).Assembly.Location, [AppContext.BaseDirectory]);
        var frames = new FrameLocator(symbols);
        return Exerciser.Report(options, [driver], Codes, symbols, findings, [],
            kind => [frames.MethodFrame(typeof(TinyDriver).GetMethod(kind switch
            {
                RequestKind.Read => nameof(TinyDriver.EvtIoRead),
                RequestKind.Write => nameof(TinyDriver.EvtIoWrite),
                _ => nameof(TinyDriver.EvtIoDeviceControl),
            })!)!]);
    }

    public static ExerciseOptions Options(int requests = 120, int threads = 1, int seed = 1) =>
        new() { Driver = "TinyDriver", Requests = requests, Threads = threads, Seed = seed };

    private static IDriverSession CreateSession()
    {
        var host = new DriverHost(WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered)
        {
            EvtIoRead = TinyDriver.EvtIoRead,
            EvtIoWrite = TinyDriver.EvtIoWrite,
            EvtIoDeviceControl = TinyDriver.EvtIoDeviceControl,
        };
        return new HostSession(typeof(TinyDriver).Assembly, host, _ => { }, [host.LowerTarget]);
    }
}
