using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// One shape measured in one process: the compiler's binding time, then the floor, the whole package (its
/// families from the same run's telemetry, by rule-ID range) and each peer, each on its own fresh clone of
/// the same compilation, so no run finds another's binding done and none counts binding as analyzer time.
/// </summary>
public sealed class ShapeMeasurement
{
    private ShapeMeasurement(CorpusShape shape, CompileRun compile, IReadOnlyDictionary<string, AnalyzerRun> runs)
    {
        Shape = shape;
        CompileRun = compile;
        Runs = runs;
    }

    public CorpusShape Shape { get; }

    /// <summary>The compiler's binding time of the shape (wall, the fastest of up to five runs).</summary>
    public TimeSpan Compile => CompileRun.Wall;

    /// <summary>The compiler's run: wall and processor time.</summary>
    public CompileRun CompileRun { get; }

    /// <summary>The runs by set name: Floor, Package, NetAnalyzers, IDisposableAnalyzers (those measured).</summary>
    public IReadOnlyDictionary<string, AnalyzerRun> Runs { get; }

    public AnalyzerRun Package => Runs[AnalyzerSets.Package];

    /// <summary>A set's analyzer time as a percentage of the compiler's binding time.</summary>
    public double Percent(string set) => 100.0 * Runs[set].AnalyzerTime.TotalMilliseconds / Compile.TotalMilliseconds;

    public static ShapeMeasurement Measure(CorpusShape shape, IEnumerable<string> sets, TimeSpan timeout, Action<string>? progress = null)
    {
        var compilation = CorpusCompilation.Create(shape);
        Compilation Fresh() => CorpusCompilation.Fresh(compilation);
        var compile = CompileRun.Best(Fresh);
        progress?.Invoke($"{shape.Name}: {shape.Lines} lines, compile {compile.Wall.TotalMilliseconds:0} ms");
        var runs = new Dictionary<string, AnalyzerRun>();
        foreach (var set in sets)
        {
            var run = AnalyzerRun.Best(set, Fresh, AnalyzerSets.Get(set), timeout);
            runs[set] = run;
            progress?.Invoke($"{shape.Name}: {set} {run.AnalyzerTime.TotalMilliseconds:0} ms analyzers, {run.Wall.TotalMilliseconds:0} ms run"
                + (run.TimedOut ? $" (cancelled at the {timeout.TotalSeconds:0} s limit)" : "")
                + $", {run.Diagnostics.Length} diagnostics");
        }

        return new ShapeMeasurement(shape, compile, runs);
    }

    /// <summary>
    /// The processor time a set's run took beyond the floor's run, as a percentage of the compiler's processor
    /// time: the load-robust cross-check of <see cref="Percent"/> (both runs bind the same bodies).
    /// </summary>
    public double CpuOverFloorPercent(string set) =>
        100.0 * (Runs[set].Cpu - Runs[AnalyzerSets.Floor].Cpu).TotalMilliseconds / CompileRun.Cpu.TotalMilliseconds;

    /// <summary>The package's diagnostics by rule ID ("DRV001 x5, ...").</summary>
    public string DiagnosticSummary() =>
        string.Join(", ", Package.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
}
