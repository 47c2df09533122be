using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The one cache of method summaries of a compilation for one kind of summary: keyed by method and depth (a summary
/// depends on how deep its own helpers may be followed), computed lazily, once, the first time a caller needs it, under
/// its own work budget and with the caller's cancellation token. A method already on the chain being summarized
/// (recursion) and depth 0 give no summary; so does a summary whose computation went over its budget (counted).
/// Thread-safe: concurrent callers of the same key wait for one computation; locks are taken in strictly decreasing
/// depth, so waits cannot cycle.
/// </summary>
internal sealed class SummaryCache<TSummary>
    where TSummary : class
{
    /// <summary>Computes the summary of a method at a depth; <c>visiting</c> already contains the method.</summary>
    public delegate TSummary? Compute(IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, CancellationToken cancellationToken);

    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), Entry> _entries = new(new KeyComparer());
    private readonly EngineTelemetry _telemetry;

    public SummaryCache(EngineTelemetry telemetry) => _telemetry = telemetry;

    /// <summary>
    /// The summary of <paramref name="method"/> at <paramref name="depth"/>, or null when there is none (depth 0,
    /// recursion, over budget, or <paramref name="compute"/> found none).
    /// </summary>
    public TSummary? Get(
        IMethodSymbol method,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        long budget,
        Compute compute,
        CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (depth <= 0 || visiting.Contains(method))
        {
            return null;
        }

        var entry = _entries.GetOrAdd((method, depth), _ => new Entry());
        if (entry.Done)
        {
            _telemetry.SummaryReused();
            return entry.Value;
        }

        lock (entry)
        {
            if (entry.Done)
            {
                _telemetry.SummaryReused();
                return entry.Value;
            }

            entry.Value = ComputeUnderBudget(method, depth, visiting.Add(method), budget, compute, cancellationToken);
            entry.Done = true;
            return entry.Value;
        }
    }

    /// <summary>
    /// The summary of a callee at <paramref name="depth"/>: a method's from the cache, a local function's (which depends
    /// on <paramref name="callerGraph"/>, the graph it is declared in) computed uncached; each from its graph by
    /// <paramref name="compute"/>, called with the depth its own helpers may still be followed to (one less).
    /// </summary>
    public TSummary? GetForCallee(
        IMethodSymbol method,
        ControlFlowGraph? callerGraph,
        MethodBodies bodies,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        long budget,
        Func<ControlFlowGraph, IMethodSymbol, int, ImmutableHashSet<IMethodSymbol>, CancellationToken, TSummary?> compute,
        CancellationToken cancellationToken)
    {
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return callerGraph is null
                ? null
                : ComputeUncached(
                    method, depth, visiting, budget,
                    (m, d, v, ct) => bodies.LocalFunctionGraph(callerGraph, m, ct) is { } graph ? compute(graph, m, d - 1, v, ct) : null,
                    cancellationToken);
        }

        return Get(
            method, depth, visiting, budget,
            (m, d, v, ct) => bodies.GraphOf(m, ct) is { } graph ? compute(graph, m, d - 1, v, ct) : null,
            cancellationToken);
    }

    /// <summary>
    /// Computes a summary that is not cached (a local function's, which depends on its enclosing graph) under its own
    /// budget: null when over it.
    /// </summary>
    public TSummary? ComputeUncached(
        IMethodSymbol method,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        long budget,
        Compute compute,
        CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        return depth <= 0 || visiting.Contains(method)
            ? null
            : ComputeUnderBudget(method, depth, visiting.Add(method), budget, compute, cancellationToken);
    }

    private TSummary? ComputeUnderBudget(
        IMethodSymbol method,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        long budget,
        Compute compute,
        CancellationToken cancellationToken)
    {
        _telemetry.SummaryComputed();
        using (WorkMeter.Start(budget, _telemetry))
        {
            try
            {
                return compute(method, depth, visiting, cancellationToken);
            }
            catch (WorkBudgetExceededException)
            {
                _telemetry.BodyOverBudget();
                return null;
            }
        }
    }

    private sealed class Entry
    {
        public volatile bool Done;

        public TSummary? Value;
    }

    private sealed class KeyComparer : IEqualityComparer<(IMethodSymbol Method, int Depth)>
    {
        public bool Equals((IMethodSymbol Method, int Depth) x, (IMethodSymbol Method, int Depth) y) =>
            x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Depth;
    }
}
