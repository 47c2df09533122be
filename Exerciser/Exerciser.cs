using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DriverBuffers.Exercising.Building;
using DriverBuffers.Exercising.Loading;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Exercising.Sources;
using DriverBuffers.Exercising.StaticAnalysis;

namespace DriverBuffers.Exercising;

/// <summary>
/// The exerciser as a library call, for a test: <c>Exerciser.Run(new ExerciseOptions { Driver = "MyDriver.csproj" })</c>
/// builds the driver if given a project, runs it from DriverEntry under generated I/O, runs the analyzers on its
/// sources, and returns the report <c>driverbuffers exercise</c> prints.
/// </summary>
public static class Exerciser
{
    public static ExerciseReport Run(ExerciseOptions options)
    {
        string driver = options.Driver;
        ExerciseReport Fail(string error) => new() { Driver = driver, Error = error, Seed = options.Seed, Threads = options.Threads };

        if (!File.Exists(driver))
        {
            return Fail($"'{driver}' does not exist.");
        }
        string assemblyPath;
        var searchRoots = new List<string> { Environment.CurrentDirectory };
        switch (Path.GetExtension(driver).ToLowerInvariant())
        {
            case ".csproj":
                options.Progress?.WriteLine($"Building {Path.GetFileName(driver)} ...");
                var (built, error) = DriverBuild.Build(driver, options.Configuration);
                if (built is null)
                {
                    return Fail(error!);
                }
                assemblyPath = built;
                searchRoots.Insert(0, Path.GetDirectoryName(Path.GetFullPath(driver))!);
                break;
            case ".dll":
                assemblyPath = Path.GetFullPath(driver);
                break;
            default:
                return Fail($"'{driver}' is neither a .csproj nor a .dll.");
        }
        searchRoots.Insert(0, Path.GetDirectoryName(assemblyPath)!);

        DriverAssembly inspected;
        try
        {
            inspected = DriverAssembly.Inspect(assemblyPath);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            return Fail($"'{assemblyPath}' could not be loaded: {e.Message}");
        }
        if (inspected.DriverTypes.Count == 0)
        {
            return Fail($"'{assemblyPath}' has no driver: no class declares static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath).");
        }

        using var symbols = DriverSymbols.Open(assemblyPath, searchRoots);
        var notes = new List<string>();
        if (inspected.Optimized)
        {
            notes.Add("the driver is built with optimizations: a violation's line may be the statement before the call, and then confirms nothing (build it without, e.g. in Debug)");
        }
        if (symbols is null)
        {
            notes.Add("the driver has no portable PDB: violations have no source line and the analyzers did not run");
        }
        AnalyzerRun.Result? analysis = null;
        if (symbols is not null)
        {
            options.Progress?.WriteLine(options.RunAnalyzers ? "Running the analyzers ..." : "Reading the sources ...");
            analysis = AnalyzerRun.Analyze(symbols, assemblyPath, options.RunAnalyzers);
            if (analysis.Note is { } note)
            {
                notes.Add(note);
            }
        }

        var drivers = inspected.DriverTypes.Select(type => new DriverUnderTest(
            type[(type.LastIndexOf('.') + 1)..],
            () => new WholeDriverSession(assemblyPath, type, inspected.DeviceNames))).ToList();
        var callbacks = analysis?.Callbacks;
        return Report(options, drivers, inspected.IoControlCodes, symbols, options.RunAnalyzers ? analysis?.Findings : null, notes,
            kind => callbacks is not null && callbacks.TryGetValue(kind, out var frames) ? frames : Array.Empty<DriverFrame>());
    }

    /// <summary>Runs the engine on drivers already loaded and pairs the result with the static findings.</summary>
    internal static ExerciseReport Report(ExerciseOptions options, IReadOnlyList<DriverUnderTest> drivers, IReadOnlyList<uint> ioControlCodes,
        DriverSymbols? symbols, IReadOnlyList<StaticFinding>? findings, IReadOnlyList<string> notes,
        Func<Generation.RequestKind, IReadOnlyList<DriverFrame>> callbacks)
    {
        options.Progress?.WriteLine(options.Replay is { } replay
            ? $"Replaying request(s) {Generation.RequestNumbers.Format(replay)} of seed {options.Seed} ..."
            : $"Exercising {string.Join(", ", drivers.Select(d => d.Name))}: {options.Requests} requests, {options.Threads} thread(s), seed {options.Seed} ...");
        var engine = new ExerciseEngine(options, drivers, ioControlCodes, new FrameLocator(symbols), callbacks);
        var result = engine.Run();
        var staticFindings = findings ?? Array.Empty<StaticFinding>();
        var generator = new Generation.RequestGenerator(options.Seed, ioControlCodes);

        var violations = result.Violations
            .Select(v => new ViolationReport(
                v.First.Rule, v.First.Ddi, v.First.Message, v.First.Location, v.First.AtUnload,
                StaticMatching.Match(v.First, staticFindings), v.Count,
                v.Replay.Requests, v.Replay.Threads, v.Replay.Verified,
                v.Replay.Requests is [var only] ? generator.Generate(only).ToString() : null))
            .OrderBy(v => v.Location?.DisplayPath ?? "~", StringComparer.Ordinal).ThenBy(v => v.Location?.Line ?? 0).ThenBy(v => v.Rule, StringComparer.Ordinal)
            .ToList();
        var confirmed = violations.Where(v => v.Confirms is not null).Select(v => v.Confirms!).ToHashSet();
        return new ExerciseReport
        {
            Driver = options.Driver,
            Seed = options.Seed,
            Threads = options.Threads,
            Drivers = drivers.Select(d => d.Name).ToList(),
            RequestsGenerated = options.Replay?.Count ?? options.Requests,
            RequestsSent = result.Sent,
            Sessions = result.Sessions,
            Violations = violations,
            AnalyzersRan = findings is not null,
            StaticFindings = staticFindings,
            NotExercised = staticFindings.Where(f => RunTimeRules.IsCheckedAtRunTime(f.Rule) && !confirmed.Contains(f)).ToList(),
            StaticOnly = staticFindings.Where(f => !RunTimeRules.IsCheckedAtRunTime(f.Rule)).ToList(),
            Notes = notes.Concat(result.Notes).ToList(),
        };
    }
}
