using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// "Which code may run above APC_LEVEL, and what does it do there that needs PASSIVE/APC_LEVEL", per compilation: the
/// callback roots (<see cref="DispatchCallbackIndex"/>), the members holding paged pool (<see cref="PagedFieldIndex"/>),
/// and one <see cref="SummaryCache{TSummary}"/> of helper summaries (<see cref="PageableReach"/>) at
/// <c>driverbuffers.helper_depth</c>, with the engine's cycle guard and work budget. A helper's summary is computed
/// from its control flow graph (<see cref="MethodBodies"/>, shared with the other analyses) only when code that may
/// run at DISPATCH_LEVEL calls it.
/// </summary>
internal sealed class ExecutionLevelAnalysis
{
    private readonly AnalysisSession _session;
    private readonly SummaryCache<PageableReach> _summaries;

    private ExecutionLevelAnalysis(AnalysisSession session)
    {
        _session = session;
        Callbacks = new DispatchCallbackIndex(session);
        PagedFields = new PagedFieldIndex(session);
        _summaries = new SummaryCache<PageableReach>(session.Telemetry);
    }

    public DispatchCallbackIndex Callbacks { get; }

    public PagedFieldIndex PagedFields { get; }

    public AnalysisSession Session => _session;

    public static ExecutionLevelAnalysis For(AnalysisSession session) => session.Feature(s => new ExecutionLevelAnalysis(s));

    /// <summary>The summary of <paramref name="helper"/> called from a body analyzed at <paramref name="depth"/> (null: nothing found, or not followed).</summary>
    public PageableReach? SummaryOf(
        IMethodSymbol helper, ControlFlowGraph? callerGraph, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken) =>
        _summaries.GetForCallee(helper, callerGraph, _session.Bodies, depth, visiting, budget,
            (graph, method, calleeDepth, nowVisiting, ct) => Summarize(graph, calleeDepth, nowVisiting, budget, ct),
            cancellationToken);

    private PageableReach? Summarize(ControlFlowGraph graph, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken)
    {
        var roots = new List<IOperation>();
        foreach (var block in graph.Blocks)
        {
            roots.AddRange(block.Operations);
            if (block.BranchValue is { } branch)
            {
                roots.Add(branch);
            }
        }

        var paged = new PagedValues(roots, _session.Catalog, PagedFields, cancellationToken);
        foreach (var root in roots)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                WorkMeter.Steps(1);
                if (operation is IInvocationOperation call &&
                    PageableSites.Find(call, _session.Catalog, paged, callee => SummaryOf(callee, graph, depth, visiting, budget, cancellationToken)) is { } site)
                {
                    return PageableSites.ReachOf(site);
                }
            }
        }

        return null;
    }
}
