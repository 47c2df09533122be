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
    private ShapeMeasurement(DriverShape shape, TimeSpan compile, IReadOnlyDictionary<string, AnalyzerRun> runs)
    {
        Shape = shape;
        Compile = compile;
        Runs = runs;
    }

    public DriverShape Shape { get; }

    /// <summary>The compiler's binding time of the shape (best of up to three).</summary>
    public TimeSpan Compile { get; }

    /// <summary>The runs by set name: Floor, Package, NetAnalyzers, IDisposableAnalyzers (those measured).</summary>
    public IReadOnlyDictionary<string, AnalyzerRun> Runs { get; }

    public AnalyzerRun Package => Runs[AnalyzerSets.Package];

    /// <summary>A set's analyzer time as a percentage of the compiler's binding time.</summary>
    public double Percent(string set) => 100.0 * Runs[set].AnalyzerTime.TotalMilliseconds / Compile.TotalMilliseconds;

    public static ShapeMeasurement Measure(DriverShape shape, IEnumerable<string> sets, TimeSpan timeout, Action<string>? progress = null)
    {
        var compilation = CorpusCompilation.Create(shape);
        Compilation Fresh() => compilation.Clone();
        var compile = CompileRun.Best(Fresh);
        progress?.Invoke($"{shape.Name}: {shape.Lines} lines, compile {compile.TotalMilliseconds:0} ms");
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

    /// <summary>The package's diagnostics by rule ID ("DRV001 x5, ...").</summary>
    public string DiagnosticSummary() =>
        string.Join(", ", Package.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
}
