using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// The shared pool-block analysis: for every point of a body, which allocation each pool block, MDL, lookaside entry
/// or memory object may come from (with its tag), whether it may be freed or deleted already, and where it is freed and
/// used (<see cref="PoolObserver"/>). Computed at most once per body (with its lambdas and local functions, each entered
/// with nothing known) and read by DRV034 and DRV036. Only a body that frees something (a freeing DDI named in its
/// text, or a call of a helper whose summary frees what it is given) gets a graph. One per analysis session; thread-safe.
/// </summary>
internal sealed class PoolBlocks
{
    /// <summary>The name pre-filter: the body names a freeing DDI.</summary>
    private static readonly NameScreen Screen = new(name => (DdiNames.RolesOfName(name) & DdiRole.Frees) != 0);

    private readonly SharedBodyResults<PoolBlocksResult> _results;
    private readonly HelperCandidateNames _helpers;

    private PoolBlocks(AnalysisSession session)
    {
        Context = new PoolAnalysisContext(session);
        _results = new SharedBodyResults<PoolBlocksResult>(session.Telemetry);
        _helpers = new HelperCandidateNames(session);
    }

    public PoolAnalysisContext Context { get; }

    public static PoolBlocks For(AnalysisSession session) => session.Feature(s => new PoolBlocks(s));

    /// <summary>
    /// Registers a rule that reads this analysis: it visits every body, and each body's recorded
    /// events are replayed into a new observer made by <paramref name="observer"/> (given where to report).
    /// </summary>
    public static void RegisterRule(CompilationStartAnalysisContext context, Func<DdiCatalog, Action<Diagnostic>, PoolObserver> observer)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session || session.Api.Pvoid is null)
        {
            return;
        }

        var blocks = For(session);
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method)
            {
                return;
            }

            foreach (var body in BodyRunner.Bodies(block.OperationBlocks))
            {
                if (blocks.Analyze(block, body, method) is not { } result)
                {
                    continue;
                }

                var rule = observer(blocks.Context.Catalog, block.ReportDiagnostic);
                foreach (var function in result.Functions)
                {
                    function.Events.ReplayInto(rule);
                }
            }
        });
    }

    /// <summary>One consumer's visit of a body: its analysis, or null when the body frees nothing, has no graph, or went over budget.</summary>
    public PoolBlocksResult? Analyze(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner) =>
        _results.Visit(body, Wanted(context, body), (Analysis: this, context, body, owner), static s => s.Analysis.Compute(s.context, s.body, s.owner));

    /// <summary>
    /// The cheap screen: the body's text names a freeing DDI, or it names a possible helper (<see cref="HelperCandidateNames"/>)
    /// and (confirmed on the operations the compiler built) calls a helper of this compilation, given a block, whose
    /// summary frees one. A body that names neither costs two lookups: its operations are not walked.
    /// </summary>
    private bool Wanted(OperationBlockAnalysisContext context, IOperation body)
    {
        if (Screen.Passes(body.Syntax, Context.Session.Telemetry, context.CancellationToken))
        {
            return true;
        }

        if (!_helpers.Mentioned(body.Syntax, context.CancellationToken))
        {
            return false;
        }

        Context.Session.Telemetry.BodyWalked();
        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation invocation && Context.IsHelperCandidate(invocation.TargetMethod.OriginalDefinition) &&
                Context.Summaries.Get(invocation.TargetMethod, null, options, options.HelperDepth,
                    ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default), context.CancellationToken) is { FreesAny: true })
            {
                return true;
            }
        }

        return false;
    }

    private PoolBlocksResult? Compute(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner)
    {
        var telemetry = Context.Session.Telemetry;
        if (BodyRunner.GraphOf(context, body, telemetry) is not { } graph)
        {
            return null;
        }

        telemetry.BodyAnalyzed();
        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        PoolBlocksResult? result = null;
        BodyRunner.TryRunWithinBudget(telemetry, options.WorkBudget, () => result = Run(graph, owner, options, context.CancellationToken));
        return result;
    }

    /// <summary>The body, then each lambda and local function (they run at another time: each starts with nothing known).</summary>
    private PoolBlocksResult Run(ControlFlowGraph root, IMethodSymbol owner, EngineOptions options, CancellationToken cancellationToken)
    {
        var functions = new List<PoolFunctionResult>();
        foreach (var (graph, function) in FunctionGraphs.All(root, owner, cancellationToken))
        {
            var symbol = (function ?? owner).OriginalDefinition;
            var domain = new PoolDomain(
                Context, graph, options, options.HelperDepth,
                ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default, symbol), PoolState.Empty, cancellationToken);
            var solved = ForwardDataflow.Solve(graph, domain, cancellationToken);
            Context.Session.Telemetry.FunctionSolved();
            var events = new PoolEvents();
            if (solved.Converged)
            {
                solved.ReplaySteps((operation, state) => domain.Process(state, operation, events), cancellationToken);
            }

            functions.Add(new PoolFunctionResult(graph, events));
        }

        return new PoolBlocksResult(functions);
    }
}

/// <summary>The pool-block analysis of one body: each of its functions.</summary>
internal sealed class PoolBlocksResult
{
    public PoolBlocksResult(IReadOnlyList<PoolFunctionResult> functions) => Functions = functions;

    public IReadOnlyList<PoolFunctionResult> Functions { get; }
}

/// <summary>One function of a body: its graph and its recorded events (empty when the solver gave up).</summary>
internal sealed class PoolFunctionResult
{
    public PoolFunctionResult(ControlFlowGraph graph, PoolEvents events)
    {
        Graph = graph;
        Events = events;
    }

    public ControlFlowGraph Graph { get; }

    public PoolEvents Events { get; }
}
