using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>One function of a body (the body, a lambda, a local function) solved with a <see cref="MustFactDomain{TFact}"/>.</summary>
internal sealed class SolvedFunction<TDomain, TFact>
    where TDomain : MustFactDomain<TFact>
    where TFact : class, IEquatable<TFact>
{
    public SolvedFunction(ControlFlowGraph graph, IMethodSymbol symbol, TDomain domain, DataflowResult<MustState<TFact>> solved)
    {
        Graph = graph;
        Symbol = symbol;
        Domain = domain;
        Solved = solved;
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>The method, lambda or local function.</summary>
    public IMethodSymbol Symbol { get; }

    public TDomain Domain { get; }

    public DataflowResult<MustState<TFact>> Solved { get; }

    /// <summary>Replays the solved function into <paramref name="visit"/> (see <see cref="MustFactDomain{TFact}.Replay"/>).</summary>
    public void Replay(Action<IOperation, FactMap<TFact>, BasicBlock?> visit, CancellationToken cancellationToken) =>
        Domain.Replay(Solved, visit, cancellationToken);
}

/// <summary>A body solved with a <see cref="MustFactDomain{TFact}"/>: each of its functions, and its tree's configuration.</summary>
internal sealed class SolvedBody<TDomain, TFact>
    where TDomain : MustFactDomain<TFact>
    where TFact : class, IEquatable<TFact>
{
    public SolvedBody(IReadOnlyList<SolvedFunction<TDomain, TFact>> functions, EngineOptions options)
    {
        Functions = functions;
        Options = options;
    }

    public IReadOnlyList<SolvedFunction<TDomain, TFact>> Functions { get; }

    /// <summary>The configuration of the body's tree (helper depth, work budget).</summary>
    public EngineOptions Options { get; }
}

/// <summary>
/// The body runner of the analyses whose functions each start from an empty state (user addresses, memory ownership,
/// device setup): the body's graph (guarded), then the body, its lambdas and its local functions through a
/// <see cref="FunctionQueue{TState}"/>, each solved with its own domain, all under the body's work budget.
/// </summary>
internal static class SolvedBodies
{
    /// <summary>
    /// Registers <paramref name="analyze"/> for every method and constructor body (an operation action: the compiler's
    /// operation tree of the body, shared by every analyzer; cheaper per analyzer than an operation-block action, which
    /// gets every declaration's blocks), with the method it belongs to.
    /// </summary>
    public static void RegisterMethodBodies(CompilationStartAnalysisContext context, Action<OperationAnalysisContext, IMethodSymbol> analyze) =>
        context.RegisterOperationAction(
            c =>
            {
                if (c.ContainingSymbol is IMethodSymbol method)
                {
                    analyze(c, method);
                }
            },
            OperationKind.MethodBody,
            OperationKind.ConstructorBody);

    /// <summary>
    /// The solved body of <paramref name="context"/> (a method or constructor body); null for code without a graph, or
    /// when the analysis went over the work budget (given up silently).
    /// </summary>
    public static SolvedBody<TDomain, TFact>? Solve<TDomain, TFact>(
        OperationAnalysisContext context,
        AnalysisSession session,
        IMethodSymbol owner,
        Func<ControlFlowGraph, IMethodSymbol, EngineOptions, TDomain> createDomain)
        where TDomain : MustFactDomain<TFact>
        where TFact : class, IEquatable<TFact>
    {
        var telemetry = session.Telemetry;
        var body = context.Operation;
        ControlFlowGraph graph;
        try
        {
            graph = context.GetControlFlowGraph();
            telemetry.GraphBuilt();
        }
        catch (ArgumentException)
        {
            return null; // not a body with a control flow graph (invalid code)
        }

        telemetry.BodyAnalyzed();
        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        var cancellationToken = context.CancellationToken;
        var functions = new List<SolvedFunction<TDomain, TFact>>();
        var solvedAll = BodyRunner.TryRunWithinBudget(telemetry, options.WorkBudget, () =>
        {
            var queue = new FunctionQueue<MustState<TFact>>(session.Bodies, graph, owner, MustState<TFact>.Empty, cancellationToken);
            while (queue.TryNext(out var function))
            {
                var domain = createDomain(function.Graph, function.Symbol, options);
                var solved = ForwardDataflow.Solve(function.Graph, domain, cancellationToken);
                telemetry.FunctionSolved();
                functions.Add(new SolvedFunction<TDomain, TFact>(function.Graph, function.Symbol, domain, solved));
                foreach (var lambda in FunctionLambdas.Of(function.Graph))
                {
                    queue.AddLambda(function, lambda, MustState<TFact>.Empty);
                }

                queue.AddLocalFunctions(function, MustState<TFact>.Empty);
            }
        });
        return solvedAll ? new SolvedBody<TDomain, TFact>(functions, options) : null;
    }
}
