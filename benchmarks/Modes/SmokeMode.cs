using System;
using System.Linq;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>
/// <c>--smoke</c>: every shape at a small size compiles without error and the package analyses it without an
/// analyzer exception; prints the diagnostics each shape produced. Under a minute; no budget verdicts.
/// </summary>
public static class SmokeMode
{
    public static int Run(Options options)
    {
        var failures = 0;
        foreach (var full in options.Shapes)
        {
            var shape = new CorpusShape(full.Name, full.Description, full.Kind, full.Generator, SmallSize(full));
            var compilation = CorpusCompilation.Create(shape);
            CorpusCompilation.EnsureCompiles(compilation);
            var run = AnalyzerRun.Run(AnalyzerSets.Package, CorpusCompilation.Fresh(compilation), AnalyzerSets.PackageAnalyzers, options.Timeout);
            var measurement = run.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}");
            Console.WriteLine($"{shape.Name} (size {shape.Size} {shape.Generator.SizeUnit}, {shape.Lines:N0} lines): "
                + $"{run.AnalyzerTime.TotalMilliseconds:0} ms; {string.Join(", ", measurement)}{(run.TimedOut ? " (cancelled)" : "")}");
            if (run.AnalyzerExceptions > 0 || run.TimedOut)
            {
                failures++;
            }
        }

        var ide = IdeProject.Create(projectLines: 10_000);
        CorpusCompilation.EnsureCompiles(ide.Compilation);
        var (elapsed, _, count) = IdeEditMeasurement.Document(ide, 1, AnalyzerSets.PackageAnalyzers, options.Timeout);
        Console.WriteLine($"IDE project ({ide.Lines:N0} lines, document {ide.DocumentLines:N0}): {count} diagnostics on the document, {elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine(failures == 0 ? "smoke: OK" : $"smoke: {failures} shapes with analyzer exceptions or cancelled runs");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>A size that keeps every shape's idioms but is small (and fast even on superlinear analyzers).</summary>
    public static int SmallSize(CorpusShape shape) => shape.Generator switch
    {
        LongMethodGenerator => Math.Min(shape.Size, 200),
        IoctlSwitchGenerator => 1,
        ManyHandlesGenerator => 20,
        _ => Math.Max(1, Math.Min(shape.Size, 20)),
    };
}
