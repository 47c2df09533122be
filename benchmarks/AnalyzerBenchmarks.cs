using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks;

/// <summary>
/// Every analyzer of the package over a generated corpus of driver methods, with the API and without it
/// (same size, same shape). The compilations are bound once in set-up, so the figures are the analyzers' cost.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private Compilation _withApi = null!;
    private Compilation _withoutApi = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [Params(600)]
    public int Methods { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _analyzers = AllAnalyzers();
        _withApi = Warm(DriverCorpus.Create(Methods, withApi: true));
        _withoutApi = Warm(DriverCorpus.Create(Methods, withApi: false));
    }

    [Benchmark(Baseline = true)]
    public Task<int> CorpusWithoutApi() => Analyze(_withoutApi, _analyzers);

    [Benchmark]
    public Task<int> CorpusWithApi() => Analyze(_withApi, _analyzers);

    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(DriverBuffers.Analyzers.Rules.Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static Compilation Warm(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The corpus does not compile: " + errors[0]);
        }

        return compilation;
    }

    public static async Task<int> Analyze(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
            concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        return diagnostics.Length;
    }
}
