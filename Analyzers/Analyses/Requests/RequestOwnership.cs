using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// The shared request analysis: "which request owns this memory, buffer or MDL; is it completed, sent, formatted, reused
/// here; which requests are driver-created, and what was done to them". Computed at most once per method body (with its
/// lambdas and local functions) and read by every rule that asks, whichever analyzer class it is in: the first rule to
/// ask computes it, the others get the same result (<see cref="SharedBodyResults{TResult}"/>). One per analysis session
/// (compilation); thread-safe.
/// </summary>
internal sealed class RequestOwnership
{
    private readonly SharedBodyResults<RequestOwnershipResult> _results;

    private RequestOwnership(RequestAnalysisContext context)
    {
        Context = context;
        _results = new SharedBodyResults<RequestOwnershipResult>(context.Session.Telemetry);
    }

    public RequestAnalysisContext Context { get; }

    public static RequestOwnership For(AnalysisSession session) =>
        session.Feature(s => new RequestOwnership(RequestAnalysisContext.For(s)));

    /// <summary>
    /// One consumer's visit of <paramref name="body"/>: the analysis of the body when <paramref name="wanted"/> (computed
    /// now, or by another rule before), null when not wanted, when the body has no graph, or when its analysis went over
    /// the work budget (given up silently).
    /// </summary>
    public RequestOwnershipResult? Analyze(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner, bool wanted) =>
        _results.Visit(body, wanted, (Analysis: this, context, body, owner), static s => s.Analysis.Compute(s.context, s.body, s.owner));

    private RequestOwnershipResult? Compute(OperationBlockAnalysisContext context, IOperation body, IMethodSymbol owner)
    {
        var telemetry = Context.Session.Telemetry;
        if (BodyRunner.GraphOf(context, body, telemetry) is not { } graph)
        {
            return null;
        }

        telemetry.BodyAnalyzed();
        var options = AnalysisSession.Options(context.Options, body.Syntax.SyntaxTree);
        RequestOwnershipResult? result = null;
        BodyRunner.TryRunWithinBudget(telemetry, options.WorkBudget, () => result = Run(graph, owner, options, context.CancellationToken));
        return result;
    }

    /// <summary>
    /// Analyzes a body, then its lambdas (each from the state where it is created: a request completed there is completed
    /// whenever the lambda runs) and local functions, without recursion. A completion routine of a driver-created request
    /// (the member itself, a lambda or a local function registered as one) starts with its request formatted and sent.
    /// </summary>
    private RequestOwnershipResult Run(ControlFlowGraph root, IMethodSymbol owner, EngineOptions options, CancellationToken cancellationToken)
    {
        var functions = new List<FunctionResult>();
        var lambdaRoutines = new Dictionary<IFlowAnonymousFunctionOperation, CompletionRoutine>();
        var localRoutines = new Dictionary<IMethodSymbol, CompletionRoutine>(SymbolEqualityComparer.Default);

        var rootRoutine = CompletionRoutine.Registered(Context, owner, cancellationToken);

        var queue = new FunctionQueue<RequestState>(Context.Session.Bodies, root, owner, RequestState.Empty, cancellationToken);
        while (queue.TryNext(out var function))
        {
            // A completion routine (found where it was registered: by the index for the body, in the parent's replay for
            // a lambda or local function) starts with its own request formatted and sent; other nested functions start
            // with no driver-created request.
            CompletionRoutine? routine = function.Lambda is { } lambda ? lambdaRoutines.TryGetValue(lambda, out var l) ? l : null
                : function.LocalFunction is { } local ? localRoutines.TryGetValue(local.OriginalDefinition, out var f) ? f : null
                : rootRoutine;
            var domain = new RequestOwnershipDomain(
                Context, function.Graph, function.Symbol, owner, options, options.HelperDepth,
                ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default, function.Symbol.OriginalDefinition),
                WithRoutine(function.Entry, routine), routine, cancellationToken);
            var solved = ForwardDataflow.Solve(function.Graph, domain, cancellationToken);
            Context.Session.Telemetry.FunctionSolved();

            var events = new RequestEvents();
            var nested = new NestedFunctions(domain, events, lambdaRoutines, localRoutines);
            if (solved.Converged)
            {
                solved.ReplaySteps((operation, state) => domain.Process(state, operation, nested), cancellationToken);
            }

            functions.Add(new FunctionResult(function.Graph, function.Symbol, function.Lambda, function.Depth, domain, solved.Converged ? solved : null, events));
            foreach (var (created, state) in nested.Lambdas)
            {
                queue.AddLambda(function, created, state);
            }

            queue.AddLocalFunctions(function, RequestState.Empty);
        }

        return new RequestOwnershipResult(functions);
    }

    /// <summary>
    /// A function's entry: the driver-created facts start over (the routine's own request, or none). Also the entry of the
    /// store replays (<see cref="HeldRequestStores"/>).
    /// </summary>
    internal static RequestState WithRoutine(RequestState state, CompletionRoutine? routine)
    {
        foreach (var pair in state.Created)
        {
            state = state.WithCreated(pair.Key, null);
        }

        return routine is null ? state : state.WithCreated(routine.Key, CreatedRequestFacts.RoutineEntry(routine.HoldsReference));
    }

    /// <summary>
    /// False when the request was formatted, in this function, only with memory the driver owns; true when it may hold
    /// a reference on memory that belongs to a request (also when that is not known).
    /// </summary>
    public static bool MayHoldForeignMemory(CreatedRequestFacts facts) =>
        !(facts.HoldsReference && facts.Format is not null && !MayHoldMemoryOf(facts, null));

    /// <summary>
    /// True when the memory <paramref name="facts"/>' format holds may belong to <paramref name="completed"/> (any request
    /// when null): memory of an unknown owner may; memory the driver created does not.
    /// </summary>
    public static bool MayHoldMemoryOf(CreatedRequestFacts facts, ImmutableHashSet<TrackedLocation>? completed)
    {
        foreach (var owners in facts.FormatMemory)
        {
            if (owners.IsEmpty)
            {
                return true;
            }

            foreach (var owner in owners)
            {
                if (!ReferenceEquals(owner, TrackedLocation.Driver) && (completed is null || completed.Contains(owner)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Records the replay's events and finds the nested functions: each lambda with the state where it is created, and
    /// the lambdas and local functions registered as completion routines of driver-created requests.
    /// </summary>
    private sealed class NestedFunctions : RequestObserver
    {
        private readonly RequestOwnershipDomain _domain;
        private readonly RequestEvents _events;
        private readonly Dictionary<IFlowAnonymousFunctionOperation, CompletionRoutine> _lambdaRoutines;
        private readonly Dictionary<IMethodSymbol, CompletionRoutine> _localRoutines;

        public NestedFunctions(
            RequestOwnershipDomain domain, RequestEvents events,
            Dictionary<IFlowAnonymousFunctionOperation, CompletionRoutine> lambdaRoutines, Dictionary<IMethodSymbol, CompletionRoutine> localRoutines)
        {
            _domain = domain;
            _events = events;
            _lambdaRoutines = lambdaRoutines;
            _localRoutines = localRoutines;
        }

        public List<(IFlowAnonymousFunctionOperation Lambda, RequestState State)> Lambdas { get; } = new();

        public override void OnUse(IOperation site, TrackedLocation value, ImmutableHashSet<TrackedLocation> owners, RequestState state) =>
            _events.OnUse(site, value, owners, state);

        public override void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<TrackedLocation> requests, RequestState state) =>
            _events.OnCompletion(call, completedBy, requests, state);

        public override void OnRequestCall(IOperation call, string callee, ImmutableHashSet<TrackedLocation> requests, RequestState state) =>
            _events.OnRequestCall(call, callee, requests, state);

        public override void OnCreatedRequestEffect(IInvocationOperation call, TrackedLocation written, HelperEffect effect) =>
            _events.OnCreatedRequestEffect(call, written, effect);

        public override void OnLambda(IFlowAnonymousFunctionOperation lambda, RequestState state)
        {
            _events.OnLambda(lambda, state);
            Lambdas.Add((lambda, state));
        }

        public override void OnInvocation(IInvocationOperation invocation, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, RequestState state)
        {
            _events.OnInvocation(invocation, arguments, state);
            if (!_domain.Context.Catalog.Has(invocation.TargetMethod, DdiRole.SetsCompletionRoutine))
            {
                return;
            }

            var requestArgument = DdiArguments.Request(invocation);
            var requests = ArgumentRequests(invocation, arguments, requestArgument);
            if (_domain.Context.LocationOf(OperationUnwrap.Unwrap(requestArgument)) is not { } named ||
                _domain.CreatedFactsOf(state, requests.IsEmpty ? named.AsSet : requests) is not { } facts)
            {
                return;
            }

            // The routine's request holds foreign memory unless it is known to be formatted with memory the driver owns.
            var holds = MayHoldForeignMemory(facts);
            var routineArgument = OperationUnwrap.Unwrap(DdiArguments.CompletionRoutine(invocation));
            if (routineArgument is IDelegateCreationOperation creation)
            {
                routineArgument = OperationUnwrap.Unwrap(creation.Target);
            }

            if (routineArgument is IFlowAnonymousFunctionOperation lambda && !_lambdaRoutines.ContainsKey(lambda) &&
                CompletionRoutine.For(_domain.Context, lambda.Symbol, named.Symbol, null, holds) is { } lambdaRoutine)
            {
                _lambdaRoutines[lambda] = lambdaRoutine;
            }
            else if (routineArgument is IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference &&
                     !_localRoutines.ContainsKey(reference.Method.OriginalDefinition) &&
                     CompletionRoutine.For(_domain.Context, reference.Method, named.Symbol, reference.Method.Name, holds) is { } localRoutine)
            {
                _localRoutines[reference.Method.OriginalDefinition] = localRoutine;
            }
        }
    }

    /// <summary>The requests the argument <paramref name="argument"/> of <paramref name="invocation"/> is.</summary>
    public static ImmutableHashSet<TrackedLocation> ArgumentRequests(
        IInvocationOperation invocation, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, IOperation? argument)
    {
        for (var i = 0; i < invocation.Arguments.Length && i < arguments.Length; i++)
        {
            if (ReferenceEquals(invocation.Arguments[i].Value, argument))
            {
                return arguments[i];
            }
        }

        return RequestState.NoOwners;
    }
}

/// <summary>The request analysis of one body: each of its functions (the body first, then lambdas and local functions).</summary>
internal sealed class RequestOwnershipResult
{
    public RequestOwnershipResult(IReadOnlyList<FunctionResult> functions) => Functions = functions;

    public IReadOnlyList<FunctionResult> Functions { get; }
}

/// <summary>One function of a body: its graph, its domain (for the questions rules ask), its solved states and its events.</summary>
internal sealed class FunctionResult
{
    public FunctionResult(
        ControlFlowGraph graph, IMethodSymbol symbol, IFlowAnonymousFunctionOperation? lambda, int depth, RequestOwnershipDomain domain,
        DataflowResult<RequestState>? solved, RequestEvents events)
    {
        Depth = depth;
        Graph = graph;
        Symbol = symbol;
        Lambda = lambda;
        Domain = domain;
        Solved = solved;
        Events = events;
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>The method, lambda or local function.</summary>
    public IMethodSymbol Symbol { get; }

    /// <summary>The lambda operation, for a lambda.</summary>
    public IFlowAnonymousFunctionOperation? Lambda { get; }

    /// <summary>How deep the function is nested in the body (0: the body itself).</summary>
    public int Depth { get; }

    public RequestOwnershipDomain Domain { get; }

    /// <summary>The fixed point; null when the solver gave up (the rules then report nothing for this function).</summary>
    public DataflowResult<RequestState>? Solved { get; }

    /// <summary>The replay, in evaluation order (empty when not solved).</summary>
    public RequestEvents Events { get; }
}
