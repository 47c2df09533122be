using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// Runs analyzers over generated sources and returns what the engine counted (<see cref="EngineTelemetry"/>) and what
/// they reported: the work-count tests pin cost with these counts, never with time.
/// </summary>
internal static class EngineMeasure
{
    /// <summary>The request analyzers (the families on the engine).</summary>
    public static DiagnosticAnalyzer[] RequestAnalyzers() =>
        new DiagnosticAnalyzer[] { new DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer(), new DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer() };

    public static async Task<Measured> RunAsync(
        IEnumerable<(string Path, string Text)> sources, DiagnosticAnalyzer[] analyzers, IReadOnlyDictionary<string, string>? options = null)
    {
        using var capture = EngineTelemetry.Capture(out var telemetry);
        return await RunAsync(AnalyzerHarness.Compile(sources), telemetry, analyzers, options).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="analyzers"/> over <paramref name="compilation"/> as it is (no API usings added).</summary>
    public static async Task<Measured> RunAsync(Compilation compilation, DiagnosticAnalyzer[] analyzers)
    {
        using var capture = EngineTelemetry.Capture(out var telemetry);
        return await RunAsync(compilation, telemetry, analyzers, options: null).ConfigureAwait(false);
    }

    private static async Task<Measured> RunAsync(
        Compilation compilation, EngineTelemetry telemetry, DiagnosticAnalyzer[] analyzers, IReadOnlyDictionary<string, string>? options)
    {
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var exceptions = new List<string>();
        var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new Options(options ?? new Dictionary<string, string>()));
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzers),
            new CompilationWithAnalyzersOptions(
                analyzerOptions,
                (exception, analyzer, _) => { lock (exceptions) { exceptions.Add(analyzer.GetType().Name + ": " + exception); } },
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()));
        Assert.Empty(exceptions);
        return new Measured(telemetry, diagnostics.Where(d => d.Id != "AD0001").ToImmutableArray());
    }

    public static Task<Measured> RunAsync(string source, DiagnosticAnalyzer[] analyzers, IReadOnlyDictionary<string, string>? options = null) =>
        RunAsync(new[] { ("/0/Test0.cs", source) }, analyzers, options);

    /// <summary>The analysis work the engine counted: block visits, operations transferred and stepped, fact-map nodes joined.</summary>
    public static long Work(EngineTelemetry telemetry) =>
        telemetry.BlocksVisited + telemetry.OperationsTransferred + telemetry.OperationsStepped + telemetry.JoinEntries;

    internal sealed class Measured
    {
        public Measured(EngineTelemetry telemetry, ImmutableArray<Diagnostic> diagnostics)
        {
            Telemetry = telemetry;
            Diagnostics = diagnostics;
        }

        public EngineTelemetry Telemetry { get; }

        public ImmutableArray<Diagnostic> Diagnostics { get; }

        public long Work => EngineMeasure.Work(Telemetry);
    }

    /// <summary>The same <c>.editorconfig</c> options for every file.</summary>
    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private readonly ConfigOptions _options;

        public Options(IReadOnlyDictionary<string, string> values) => _options = new ConfigOptions(values);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class ConfigOptions : AnalyzerConfigOptions
        {
            private readonly IReadOnlyDictionary<string, string> _values;

            public ConfigOptions(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value)
            {
                if (_values.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }

                value = string.Empty;
                return false;
            }
        }
    }
}
