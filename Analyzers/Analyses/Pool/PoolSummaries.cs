using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// The pool-block summaries of the helpers of one compilation (and of local functions), computed on demand by running
/// <see cref="PoolDomain"/> over the helper's graph and kept in the engine's <see cref="SummaryCache{TSummary}"/>
/// (method and depth). Helper calls are followed to <c>driverbuffers.helper_depth</c> levels (default 3); recursion
/// has no summary.
/// </summary>
internal sealed class PoolSummaries
{
    private readonly PoolAnalysisContext _context;
    private readonly SummaryCache<PoolSummary> _cache;

    public PoolSummaries(PoolAnalysisContext context)
    {
        _context = context;
        _cache = new SummaryCache<PoolSummary>(context.Session.Telemetry);
    }

    /// <summary>The summary of <paramref name="method"/>, or null when it is not known or does nothing to the blocks it is given.</summary>
    public PoolSummary? Get(
        IMethodSymbol method, ControlFlowGraph? callerGraph, EngineOptions options, int depth, ImmutableHashSet<IMethodSymbol> visiting,
        CancellationToken cancellationToken)
    {
        if (!_context.IsHelperCandidate(method.OriginalDefinition))
        {
            return null;
        }

        var summary = _cache.GetForCallee(
            method, callerGraph, _context.Session.Bodies, depth, visiting, options.WorkBudget,
            (graph, m, d, v, ct) => Compute(graph, m, options, d, v, ct), cancellationToken);
        return summary is null || summary.IsEmpty ? null : summary;
    }

    private PoolSummary? Compute(
        ControlFlowGraph graph, IMethodSymbol method, EngineOptions options, int depth, ImmutableHashSet<IMethodSymbol> visiting,
        CancellationToken cancellationToken)
    {
        var entry = PoolState.Empty;
        var tracked = new List<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.None && _context.IsBlockType(parameter.Type))
            {
                entry = entry.Set(TrackedLocation.ForSymbol(parameter), PoolFact.IncomingValue);
                tracked.Add(parameter);
            }
        }

        var domain = new PoolDomain(_context, graph, options, depth, visiting, entry, cancellationToken);
        var result = ForwardDataflow.Solve(graph, domain, cancellationToken);
        _context.Session.Telemetry.FunctionSolved();
        if (!result.Converged)
        {
            return null;
        }

        var recorder = new Recorder();
        result.ReplaySteps((operation, state) => domain.Process(state, operation, recorder), cancellationToken);

        var exit = result.StateAtExit;
        var freed = new Dictionary<int, HelperFree>();
        var used = new HashSet<int>();
        foreach (var parameter in tracked)
        {
            var location = TrackedLocation.ForSymbol(parameter);
            if (recorder.Used.Contains(location))
            {
                used.Add(parameter.Ordinal);
            }

            // Freed on every path that returns, each time while it held the caller's block.
            if (exit.IsUnreached || !recorder.Frees.TryGetValue(location, out var frees) || frees.Foreign)
            {
                continue;
            }

            var facts = exit.Get(location);
            var freedOnEveryPath = facts.Count > 0;
            foreach (var fact in facts)
            {
                freedOnEveryPath &= fact.Kind is PoolFactKind.Freed or PoolFactKind.Null;
            }

            if (freedOnEveryPath)
            {
                var oneTag = frees.Tags.Count > 0 && frees.Tags.TrueForAll(t => t.Tag is not null && t.Tag == frees.Tags[0].Tag);
                freed[parameter.Ordinal] = oneTag
                    ? new HelperFree(frees.Kind, frees.Tags[0].Tag, frees.Tags[0].Text)
                    : new HelperFree(frees.Kind, null, null);
            }
        }

        return new PoolSummary(freed, used);
    }

    /// <summary>Records the uses and frees of the helper's parameters while they hold the caller's block.</summary>
    private sealed class Recorder : PoolObserver
    {
        public HashSet<TrackedLocation> Used { get; } = new();

        public Dictionary<TrackedLocation, ParameterFrees> Frees { get; } = new();

        public override void OnUse(PoolUseEvent use)
        {
            if (use.Facts.Contains(PoolFact.IncomingValue))
            {
                Used.Add(use.Block);
            }
        }

        public override void OnFree(PoolFreeEvent free)
        {
            if (!free.Block.IsVariable || free.Block.Symbol is not IParameterSymbol)
            {
                return;
            }

            if (!Frees.TryGetValue(free.Block, out var frees))
            {
                Frees[free.Block] = frees = new ParameterFrees(free.Kind);
            }

            frees.Foreign |= !free.Facts.Contains(PoolFact.IncomingValue);
            frees.Tags.Add((free.Tag, free.TagText));
        }
    }

    private sealed class ParameterFrees
    {
        public ParameterFrees(FreeKind kind) => Kind = kind;

        public FreeKind Kind { get; }

        /// <summary>True when the parameter was freed while it held something else (the helper assigned it).</summary>
        public bool Foreign { get; set; }

        public List<(uint? Tag, string? Text)> Tags { get; } = new();
    }
}
