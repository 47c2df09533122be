#pragma warning disable RS1030 // interprocedural summaries need callee bodies: Compilation.GetSemanticModel reads helpers in other trees of the same compilation
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// Summaries of the methods of one compilation (and of local functions), computed on demand by running
/// <see cref="RequestLifetimeDomain"/> over the callee's control flow graph, cached per compilation. Helper calls
/// are followed to a bounded depth (<c>driverbuffers.helper_depth</c>); a method already being summarized on the
/// current chain (recursion) is unknown. One instance is created per compilation at compilation start.
/// </summary>
internal sealed class MethodSummaries
{
    /// <summary>Keyed by method and depth: a summary depends on how deep its own helpers may be followed.</summary>
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), MethodSummary?> _cache = new(new KeyComparer());

    public MethodSummaries(Compilation compilation, RequestOrigins origins)
    {
        Compilation = compilation;
        Origins = origins;
    }

    public Compilation Compilation { get; }

    public RequestOrigins Origins { get; }

    /// <summary>
    /// The summary of <paramref name="method"/>, or null when it is unknown: in another assembly, without a body,
    /// beyond <paramref name="depth"/>, recursive, or too complex to converge.
    /// </summary>
    public MethodSummary? Get(
        IMethodSymbol method,
        ControlFlowGraph callerGraph,
        LifetimeOptions options,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (depth <= 0 || visiting.Contains(method))
        {
            return null;
        }

        var isLocal = method.MethodKind == MethodKind.LocalFunction;
        if (!isLocal && _cache.TryGetValue((method, depth), out var cached))
        {
            return cached;
        }

        var graph = isLocal ? LocalFunctionGraph(callerGraph, method) : MethodGraph(method, cancellationToken);
        var summary = graph is null
            ? null
            : Compute(graph, method, options, depth - 1, visiting.Add(method), cancellationToken);
        if (!isLocal)
        {
            _cache[(method, depth)] = summary;
        }

        return summary;
    }

    private static ControlFlowGraph? LocalFunctionGraph(ControlFlowGraph callerGraph, IMethodSymbol method)
    {
        try
        {
            return callerGraph.GetLocalFunctionControlFlowGraphInScope(method);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private ControlFlowGraph? MethodGraph(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor) ||
            method.IsAbstract || method.IsExtern || method.IsPartialDefinition && method.PartialImplementationPart is null ||
            method.IsVirtual || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed) ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, Compilation.Assembly))
        {
            return null;
        }

        var implementation = method.PartialImplementationPart ?? method;
        foreach (var reference in implementation.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (syntax is not BaseMethodDeclarationSyntax { Body: not null } and
                not BaseMethodDeclarationSyntax { ExpressionBody: not null })
            {
                continue;
            }

            if (!Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

            var model = Compilation.GetSemanticModel(syntax.SyntaxTree);
            if (model.GetOperation(syntax, cancellationToken) is IMethodBodyBaseOperation body)
            {
                return body switch
                {
                    IMethodBodyOperation m => ControlFlowGraph.Create(m, cancellationToken),
                    IConstructorBodyOperation c => ControlFlowGraph.Create(c, cancellationToken),
                    _ => null,
                };
            }
        }

        return null;
    }

    private MethodSummary? Compute(
        ControlFlowGraph graph,
        IMethodSymbol method,
        LifetimeOptions options,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        CancellationToken cancellationToken)
    {
        // Every parameter, and every variable a local function captures, is its own origin: a use of one of them
        // tells which of the caller's values the helper uses.
        var inputs = RequestLifetimeDomain.CapturedKeys(graph, method);
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.Out)
            {
                inputs = inputs.Add(ValueKey.ForSymbol(parameter));
            }
        }

        var entry = RequestLifetimeState.Empty;
        foreach (var input in inputs)
        {
            if (Origins.IsFollowedType(input.Type))
            {
                entry = entry.WithOrigins(input, RequestLifetimeState.NoRequests.Add(input));
            }
        }

        var domain = new RequestLifetimeDomain(Origins, graph, this, options, depth, visiting, entry);
        var result = ForwardDataflow.Solve(graph, domain, cancellationToken);
        if (!result.Converged)
        {
            return null;
        }

        var recorder = new Recorder();
        result.Replay((operation, state) => domain.Process(state, operation, recorder, cancellationToken), cancellationToken);

        var exit = result.StateAtExit;
        var effects = ImmutableDictionary<ValueKey, RequestEffect>.Empty;
        foreach (var input in inputs)
        {
            if (!Origins.IsRequestType(input.Type))
            {
                continue;
            }

            var facts = exit.IsUnreached ? RequestFacts.Initial : exit.FactsOf(input);
            var callsDdi = recorder.Called.Contains(input);
            if (facts.IsInitial && !callsDdi)
            {
                continue;
            }

            effects = effects.Add(input, new RequestEffect(facts.Completion, facts.Ownership, callsDdi, facts.Site?.CompletedBy));
        }

        var returnedFrom = RequestLifetimeState.NoRequests;
        foreach (var block in graph.Blocks)
        {
            if (block.BranchValue is { } returned && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return &&
                result.IsReached(block))
            {
                var state = result.StateOnEntry(block);
                foreach (var operation in block.Operations)
                {
                    state = domain.Transfer(state, operation, cancellationToken);
                }

                returnedFrom = returnedFrom.Union(domain.RequestsOf(state, returned, cancellationToken));
            }
        }

        var outFrom = ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>>.Empty;
        if (!exit.IsUnreached)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind == RefKind.Out && Origins.IsFollowedType(parameter.Type))
                {
                    var from = exit.OriginsOf(ValueKey.ForSymbol(parameter)).Intersect(inputs);
                    if (!from.IsEmpty)
                    {
                        outFrom = outFrom.Add(ValueKey.ForSymbol(parameter), from);
                    }
                }
            }
        }

        return new MethodSummary(effects, recorder.Used.Intersect(inputs), returnedFrom.Intersect(inputs), outFrom);
    }

    private sealed class KeyComparer : IEqualityComparer<(IMethodSymbol Method, int Depth)>
    {
        public bool Equals((IMethodSymbol Method, int Depth) x, (IMethodSymbol Method, int Depth) y) =>
            x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Depth;
    }

    /// <summary>Records which inputs a helper uses and on which requests it calls DDIs.</summary>
    private sealed class Recorder : IRequestLifetimeObserver
    {
        public ImmutableHashSet<ValueKey> Used { get; private set; } = ImmutableHashSet<ValueKey>.Empty;

        public ImmutableHashSet<ValueKey> Called { get; private set; } = ImmutableHashSet<ValueKey>.Empty;

        public void OnUse(IOperation site, ValueKey value, ImmutableHashSet<ValueKey> requests, RequestLifetimeState state) =>
            Used = Used.Union(requests);

        public void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<ValueKey> requests, RequestLifetimeState state)
        {
        }

        public void OnRequestCall(IOperation call, string callee, ImmutableHashSet<ValueKey> requests, RequestLifetimeState state) =>
            Called = Called.Union(requests);
    }
}
