using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// Everything the engine keeps for one compilation, shared by every analyzer class that analyzes it: the API and the
/// DDI catalog (resolved once, on first need), the telemetry, the callee graphs, and each shared analysis' caches
/// (<see cref="Feature{TFeature}"/>). A compilation that does not reference the API has no session. Thread-safe:
/// analyzers run concurrently.
/// </summary>
internal sealed class AnalysisSession
{
    private static readonly ConditionalWeakTable<Compilation, AnalysisSession?> Sessions = new();
    private static readonly ConditionalWeakTable<Compilation, AnalysisSession?>.CreateValueCallback Factory = Create;

    private readonly ConcurrentDictionary<Type, object> _features = new();

    private AnalysisSession(Compilation compilation, DriverApi api)
    {
        Compilation = compilation;
        Api = api;
        Telemetry = EngineTelemetry.Current;
        Catalog = new DdiCatalog(api, Telemetry.CatalogBuilt);
        Bodies = new MethodBodies(compilation, Telemetry);
    }

    public Compilation Compilation { get; }

    public DriverApi Api { get; }

    public DdiCatalog Catalog { get; }

    public EngineTelemetry Telemetry { get; }

    /// <summary>Graphs of helpers, lambdas and local functions.</summary>
    public MethodBodies Bodies { get; }

    /// <summary>The session of <paramref name="compilation"/>; null when it does not reference the API.</summary>
    public static AnalysisSession? For(Compilation compilation) => Sessions.GetValue(compilation, Factory);

    /// <summary>The interprocedural configuration that applies to <paramref name="tree"/> (parsed once per tree).</summary>
    public static EngineOptions Options(AnalyzerOptions options, SyntaxTree tree) => EngineOptions.For(options, tree);

    /// <summary>The name index of <paramref name="tree"/> (cached per tree object, across compilations).</summary>
    public SyntaxTreeIndex Index(SyntaxTree tree, CancellationToken cancellationToken) =>
        SyntaxTreeIndex.For(tree, Telemetry, cancellationToken);

    /// <summary>A per-compilation object of a shared analysis (its caches), created once.</summary>
    public TFeature Feature<TFeature>(Func<AnalysisSession, TFeature> create)
        where TFeature : class =>
        (TFeature)_features.GetOrAdd(typeof(TFeature), _ => create(this));

    private static AnalysisSession? Create(Compilation compilation) =>
        DriverApi.TryGet(compilation) is { } api ? new AnalysisSession(compilation, api) : null;
}
