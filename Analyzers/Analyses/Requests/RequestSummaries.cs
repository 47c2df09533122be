using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// Summaries of the methods of one compilation (and of local functions) for the request analysis, computed on demand
/// by running <see cref="RequestOwnershipDomain"/> over the callee's graph and kept in the engine's
/// <see cref="SummaryCache{TSummary}"/> (method and depth; a local function's summary depends on its enclosing graph
/// and is not cached). Helper calls are followed to <c>driverbuffers.helper_depth</c>; recursion is unknown.
/// </summary>
internal sealed class RequestSummaries
{
    private readonly RequestAnalysisContext _context;
    private readonly SummaryCache<RequestSummary> _cache;

    public RequestSummaries(RequestAnalysisContext context)
    {
        _context = context;
        _cache = new SummaryCache<RequestSummary>(context.Session.Telemetry);
    }

    /// <summary>
    /// The summary of <paramref name="method"/>, or null when it is unknown: in another assembly, without a body,
    /// beyond <paramref name="depth"/>, recursive, too complex to converge, or over its work budget.
    /// </summary>
    public RequestSummary? Get(
        IMethodSymbol method,
        ControlFlowGraph callerGraph,
        EngineOptions options,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        CancellationToken cancellationToken)
    {
        return _cache.GetForCallee(
            method, callerGraph, _context.Session.Bodies, depth, visiting, options.WorkBudget,
            (graph, m, d, v, ct) => Compute(graph, m, options, d, v, ct), cancellationToken);
    }

    private RequestSummary? Compute(
        ControlFlowGraph graph,
        IMethodSymbol method,
        EngineOptions options,
        int depth,
        ImmutableHashSet<IMethodSymbol> visiting,
        CancellationToken cancellationToken)
    {
        // Every parameter, and every variable a local function captures, is its own owner: a use of one of them tells
        // which of the caller's values the helper uses.
        var inputs = RequestOwnershipDomain.CapturedLocations(graph, method);
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.Out)
            {
                inputs = inputs.Add(TrackedLocation.ForSymbol(parameter));
                if (_context.IsQueueParameter(parameter))
                {
                    // The request the helper may retrieve from this queue (QueuedRequests): its effect is followed too.
                    inputs = inputs.Add(QueuedRequests.InQueue(TrackedLocation.ForSymbol(parameter), _context.Api.WdfRequest));
                }
            }
        }

        var entry = RequestState.Empty;
        foreach (var input in inputs)
        {
            if (_context.IsBufferType(input.Type))
            {
                entry = entry.WithOwners(input, input.AsSet);
            }
        }

        var domain = new RequestOwnershipDomain(
            _context, graph, method, method, options, depth, visiting, entry, routine: null, cancellationToken, RequestAnalysisPurpose.HelperSummary);
        var result = ForwardDataflow.Solve(graph, domain, cancellationToken);
        _context.Session.Telemetry.FunctionSolved();
        if (!result.Converged)
        {
            return null;
        }

        var recorder = new Recorder(method);
        result.ReplaySteps((operation, state) => domain.Process(state, operation, recorder), cancellationToken);

        var exit = result.StateAtExit;
        var effects = ImmutableDictionary<TrackedLocation, RequestEffect>.Empty;
        foreach (var input in inputs)
        {
            if (!_context.IsFollowedRequestType(input.Type))
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

        var returnedFrom = RequestState.NoOwners;
        var returns = new ReturnedSides(domain, method, effects);
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

                state = domain.Evaluate(state, returned, out var requests);
                returnedFrom = returnedFrom.Union(requests);
                returns.Add(state, returned, throughFinally: !block.FallThroughSuccessor.FinallyRegions.IsEmpty);
            }
        }

        var outFrom = ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>>.Empty;
        if (!exit.IsUnreached)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind == RefKind.Out && _context.IsBufferType(parameter.Type))
                {
                    var from = exit.OwnersOf(TrackedLocation.ForSymbol(parameter)).Intersect(inputs);
                    if (!from.IsEmpty)
                    {
                        outFrom = outFrom.Add(TrackedLocation.ForSymbol(parameter), from);
                    }
                }
            }
        }

        return new RequestSummary(
            effects, recorder.Used.Intersect(inputs), returnedFrom.Intersect(inputs), outFrom,
            recorder.ParameterEffects, recorder.MemberEffects.ToImmutable(), OutFlags(method, exit, effects),
            returns.Success(), returns.Pending(), TakesIrp(method) && domain.SetsIrpCompletionRoutine());
    }

    private bool TakesIrp(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (_context.IsIrpType(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The <c>out bool</c> parameters whose value at the exit tells the effect on a request parameter: each with the effects
    /// on the paths where it is true and where it is false (only where they differ).
    /// </summary>
    private static ImmutableDictionary<int, ConditionalEffects> OutFlags(
        IMethodSymbol method, RequestState exit, ImmutableDictionary<TrackedLocation, RequestEffect> effects)
    {
        var result = ImmutableDictionary<int, ConditionalEffects>.Empty;
        if (effects.IsEmpty || exit.IsUnreached)
        {
            return result;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.Out || parameter.Type.SpecialType != SpecialType.System_Boolean ||
                exit.OutcomesOf(TrackedLocation.ForSymbol(parameter)) is not var (whenTrue, whenFalse))
            {
                continue;
            }

            if (Split(effects, whenTrue, whenFalse) is { } split)
            {
                result = result.Add(parameter.Ordinal, split);
            }
        }

        return result;
    }

    /// <summary>The effects on each request input on the paths with each outcome of a test; null where no effect differs.</summary>
    internal static ConditionalEffects? Split(
        ImmutableDictionary<TrackedLocation, RequestEffect> effects, FactMap<RequestFacts> whenTrue, FactMap<RequestFacts> whenFalse)
    {
        var onTrue = ImmutableDictionary<TrackedLocation, RequestEffect>.Empty;
        var onFalse = ImmutableDictionary<TrackedLocation, RequestEffect>.Empty;
        var differs = false;
        foreach (var pair in effects)
        {
            var trueFacts = whenTrue.TryGetValue(pair.Key, out var t) ? t : RequestFacts.Initial;
            var falseFacts = whenFalse.TryGetValue(pair.Key, out var f) ? f : RequestFacts.Initial;
            differs |= !trueFacts.SameAs(falseFacts);
            onTrue = onTrue.Add(pair.Key, new RequestEffect(trueFacts.Completion, trueFacts.Ownership, pair.Value.CallsRequestDdi, trueFacts.Site?.CompletedBy));
            onFalse = onFalse.Add(pair.Key, new RequestEffect(falseFacts.Completion, falseFacts.Ownership, pair.Value.CallsRequestDdi, falseFacts.Site?.CompletedBy));
        }

        return differs ? new ConditionalEffects(onTrue, onFalse) : null;
    }

    /// <summary>Records which inputs a helper uses, on which requests it calls DDIs, and what it does to driver-created requests.</summary>
    private sealed class Recorder : RequestObserver
    {
        private readonly IMethodSymbol _method;
        private readonly HelperEffect[] _parameters;

        public Recorder(IMethodSymbol method)
        {
            _method = method;
            _parameters = new HelperEffect[method.Parameters.Length];
        }

        public ImmutableHashSet<TrackedLocation> Used { get; private set; } = ImmutableHashSet<TrackedLocation>.Empty;

        public ImmutableHashSet<TrackedLocation> Called { get; private set; } = ImmutableHashSet<TrackedLocation>.Empty;

        public ImmutableDictionary<ISymbol, HelperEffect>.Builder MemberEffects { get; } =
            ImmutableDictionary.CreateBuilder<ISymbol, HelperEffect>(SymbolEqualityComparer.Default);

        public ImmutableArray<HelperEffect> ParameterEffects => ImmutableArray.Create(_parameters);

        public override void OnUse(IOperation site, TrackedLocation value, ImmutableHashSet<TrackedLocation> owners, RequestState state) =>
            Used = Used.Union(owners);

        public override void OnRequestCall(IOperation call, string callee, ImmutableHashSet<TrackedLocation> requests, RequestState state) =>
            Called = Called.Union(requests);

        public override void OnCreatedRequestEffect(IInvocationOperation call, TrackedLocation written, HelperEffect effect)
        {
            if (written.IsVariable && written.Symbol is IParameterSymbol parameter &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, _method.OriginalDefinition) &&
                parameter.Ordinal < _parameters.Length)
            {
                _parameters[parameter.Ordinal] |= effect;
            }
            else if (written.IsOwnMember && written.Symbol is { } member)
            {
                MemberEffects.TryGetValue(member, out var known);
                MemberEffects[member] = known | effect;
            }
        }
    }
}
