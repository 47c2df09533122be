using System.Collections.Generic;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks.Formal;

/// <summary>
/// The IDE path: after a small edit of a 2,000-line driver document in a 100k-line project (a new compilation
/// with that tree replaced), the document's analyzer diagnostics for each set. Budget: the package at most 1.5x
/// the floor.
/// </summary>
[Config(typeof(BudgetJobConfig))]
public class IdeEditBenchmarks
{
    private IdeProject _project = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private int _edit;
    private System.Func<System.Threading.CancellationToken, int> _request = null!;

    [ParamsSource(nameof(SetNames))]
    public string Set { get; set; } = "";

    public static IEnumerable<string> SetNames() => FormalParameters.IdeSets;

    [GlobalSetup]
    public void Setup()
    {
        _project = IdeProject.Create();
        _analyzers = AnalyzerSets.Get(Set);
    }

    [IterationSetup]
    public void Edit() => _request = IdeEditMeasurement.Prepare(_project, ++_edit, _analyzers);

    [Benchmark]
    public int DocumentDiagnosticsAfterEdit() => _request(System.Threading.CancellationToken.None);
}
