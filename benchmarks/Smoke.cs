using System;
using System.Diagnostics;
using System.Linq;

namespace DriverBuffers.Benchmarks;

/// <summary>One run of each case, with the diagnostics counted: a quick check outside BenchmarkDotNet.</summary>
public static class Smoke
{
    public static void Run()
    {
        var analyzers = AnalyzerBenchmarks.AllAnalyzers();
        foreach (var withApi in new[] { false, true })
        {
            var compilation = AnalyzerBenchmarks.Warm(DriverCorpus.Create(600, withApi));
            var methods = compilation.SyntaxTrees.Sum(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Count());
            for (var run = 1; run <= 3; run++)
            {
                var clock = Stopwatch.StartNew();
                var count = AnalyzerBenchmarks.Analyze(compilation, analyzers).GetAwaiter().GetResult();
                Console.WriteLine($"{(withApi ? "with API" : "without API")}, run {run}: {methods} methods, {count} diagnostics, {clock.ElapsedMilliseconds} ms");
            }
        }
    }
}
