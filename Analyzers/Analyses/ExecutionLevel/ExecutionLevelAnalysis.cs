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
    private readonly SummaryCache<LockEffect> _locks;
    private readonly object _gate = new();
    private HashSet<string>? _lockHelperNames;
    private NameScreen? _screen;

    private ExecutionLevelAnalysis(AnalysisSession session)
    {
        _session = session;
        Callbacks = new DispatchCallbackIndex(session);
        PagedFields = new PagedFieldIndex(session);
        _summaries = new SummaryCache<PageableReach>(session.Telemetry);
        _locks = new SummaryCache<LockEffect>(session.Telemetry);
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

    /// <summary>
    /// The lock summary of <paramref name="helper"/> called from a body analyzed at <paramref name="depth"/>: whether it
    /// returns holding a spin lock or releases its caller's (null: neither, not a candidate by name, or not followed).
    /// </summary>
    public LockEffect? LockSummaryOf(
        IMethodSymbol helper, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken)
    {
        if (!LockHelperNames(cancellationToken).Contains(helper.Name))
        {
            return null;
        }

        return _locks.GetForCallee(helper, null, _session.Bodies, depth, visiting, budget,
            (graph, method, calleeDepth, nowVisiting, ct) => LockHelpers.Summarize(
                graph.OriginalOperation,
                statement => DispatchCode.IrqlCalls(statement, _session.Catalog, callee => LockSummaryOf(callee, calleeDepth, nowVisiting, budget, ct)),
                ct),
            cancellationToken);
    }

    /// <summary>
    /// True when <paramref name="body"/> can have code above APC_LEVEL without being a callback root: it names a raising or
    /// registering DDI, or a method of the driver that may be a lock helper (answered from the tree's name index), or it
    /// sets a lambda as a callback of a dispatch-level queue.
    /// </summary>
    public bool MayRaiseOrRegister(SyntaxNode body, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _screen) is not { } screen)
        {
            var names = LockHelperNames(cancellationToken);
            screen = new NameScreen(name => DispatchCode.IsRaisingOrRegisteringName(name) || names.Contains(name));
            Interlocked.CompareExchange(ref _screen, screen, null);
            screen = _screen!;
        }

        return screen.Passes(body, _session.Telemetry, cancellationToken) || Callbacks.HasLambdaRootIn(body, cancellationToken);
    }

    /// <summary>The names of the compilation's methods that may be lock helpers (<see cref="LockHelpers.CandidateNames"/>), gathered once.</summary>
    private HashSet<string> LockHelperNames(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lockHelperNames) is { } known)
        {
            return known;
        }

        lock (_gate)
        {
            if (_lockHelperNames is { } again)
            {
                return again;
            }

            var names = LockHelpers.CandidateNames(_session, cancellationToken);
            Volatile.Write(ref _lockHelperNames, names);
            return names;
        }
    }

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
