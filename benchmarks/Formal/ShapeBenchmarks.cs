using System.Collections.Generic;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks.Formal;

/// <summary>
/// Each shape compiled alone (<c>Compile</c>: <c>GetDiagnostics()</c>) and analysed by each set, every invocation
/// on a fresh compilation so binding is included once in each figure: a set's own cost is its figure minus the
/// floor's (the floor's includes the operation trees every operation analyzer needs), and the floor's minus
/// Compile is what any operation analyzer costs. The budget mode reports the same from telemetry.
/// </summary>
[Config(typeof(BudgetJobConfig))]
public class ShapeBenchmarks
{
    public const string Compile = "Compile";

    private CSharpCompilationHolder _base = null!;
    private Compilation _fresh = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [ParamsSource(nameof(ShapeNames))]
    public string Shape { get; set; } = "";

    [ParamsSource(nameof(RunNames))]
    public string Run { get; set; } = "";

    public static IEnumerable<string> ShapeNames() => FormalParameters.ShapeNames;

    public static IEnumerable<string> RunNames() => FormalParameters.Runs;

    [GlobalSetup]
    public void Setup()
    {
        _base = new CSharpCompilationHolder(CorpusCompilation.Create(Shapes.Get(Shape)));
        _analyzers = Run == Compile ? ImmutableArray<DiagnosticAnalyzer>.Empty : AnalyzerSets.Get(Run);
    }

    [IterationSetup]
    public void FreshCompilation() => _fresh = CorpusCompilation.Fresh(_base.Compilation);

    [Benchmark]
    public int Measure()
    {
        if (Run == Compile)
        {
            return _fresh.GetDiagnostics().Length;
        }

        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        return _fresh.WithAnalyzers(_analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
    }

    /// <summary>Keeps the shape's compilation (its parsed trees) across iterations.</summary>
    private sealed record CSharpCompilationHolder(Compilation Compilation);
}
