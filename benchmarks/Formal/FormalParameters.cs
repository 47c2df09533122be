using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Formal;

/// <summary>
/// The shapes and analyzer sets the BenchmarkDotNet classes take as parameters: all of them, or those named by
/// <c>--shapes a,b</c> and <c>--sets a,b</c> on the command line (taken out before BenchmarkDotNet sees it; the
/// benchmarks run in process, so these statics reach them).
/// </summary>
public static class FormalParameters
{
    public static IReadOnlyList<string> ShapeNames { get; private set; } = Shapes.All.Select(s => s.Name).ToList();

    /// <summary>"Compile" (the compiler alone) and every analyzer set.</summary>
    public static IReadOnlyList<string> Runs { get; private set; } = new[] { ShapeBenchmarks.Compile }.Concat(AnalyzerSets.Names).ToList();

    public static IReadOnlyList<string> IdeSets { get; private set; } =
        new[] { AnalyzerSets.Floor, AnalyzerSets.Package, AnalyzerSets.NetAnalyzers, AnalyzerSets.IDisposableAnalyzers };

    public static string[] Take(string[] args)
    {
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--shapes" && i + 1 < args.Length)
            {
                ShapeNames = args[++i].Split(',').Select(n => Shapes.Get(n).Name).ToList();
            }
            else if (args[i] == "--sets" && i + 1 < args.Length)
            {
                var sets = args[++i].Split(',').ToList();
                Runs = sets;
                IdeSets = sets.Where(s => s != ShapeBenchmarks.Compile).ToList();
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return rest.ToArray();
    }
}
