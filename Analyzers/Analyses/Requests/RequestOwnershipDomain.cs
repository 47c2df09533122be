using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// The request-ownership analysis of one function (a method, lambda or local function): which request owns every memory
/// object, buffer pointer and MDL (through locals, fields and field paths, <c>out</c> arguments, pointer arithmetic,
/// <c>WdfMemoryGetBuffer</c>, MDL mappings, flow captures, helpers) or whether the driver does, which requests every
/// <c>WDFREQUEST</c> value may be, and along every path each request's lifetime (live or completed; owned or let go of:
/// completed, forwarded, sent, kept) and, for driver-created requests, what was done to them (formatted with whose
/// memory, sent, reused, completion routine set). Calls of helpers in the same compilation apply their
/// <see cref="RequestSummary"/>; calls of unknown methods that are given a request count as keeping it.
/// </summary>
internal sealed class RequestOwnershipDomain : IDataflowDomain<RequestState>
{
    /// <summary><c>WDF_REQUEST_SEND_OPTION_SYNCHRONOUS | WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET</c>: a send that needs no completion routine.</summary>
    private const uint SynchronousOrForget = 0x2 | 0x8;

    private readonly RequestAnalysisContext _context;
    private readonly ControlFlowGraph _graph;
    private readonly EngineOptions _options;
    private readonly int _helperDepth;
    private readonly ImmutableHashSet<IMethodSymbol> _visiting;
    private readonly CancellationToken _cancellationToken;

    // The value stack of a walk (the evaluation order is the graph's shared RootWalk): reused by every walk (one at a
    // time: the solver, then the replay), so a walk allocates nothing.
    private Value[] _stack = new Value[32];
    private int _top;

    public RequestOwnershipDomain(
        RequestAnalysisContext context,
        ControlFlowGraph graph,
        IMethodSymbol function,
        IMethodSymbol owner,
        EngineOptions options,
        int helperDepth,
        ImmutableHashSet<IMethodSymbol> visiting,
        RequestState entry,
        CompletionRoutine? routine,
        CancellationToken cancellationToken,
        RequestAnalysisPurpose purpose = RequestAnalysisPurpose.Body)
    {
        Purpose = purpose;
        _context = context;
        _graph = graph;
        Function = function;
        Owner = owner;
        _options = options;
        _helperDepth = helperDepth;
        _visiting = visiting;
        Entry = entry;
        Routine = routine;
        _cancellationToken = cancellationToken;
    }

    public RequestAnalysisContext Context => _context;

    /// <summary>The function analyzed (the method, lambda or local function).</summary>
    public IMethodSymbol Function { get; }

    /// <summary>The member whose body holds the function.</summary>
    public IMethodSymbol Owner { get; }

    /// <summary>The completion routine context when the function is the routine of a driver-created request.</summary>
    public CompletionRoutine? Routine { get; }

    public RequestState Entry { get; }

    /// <summary>The interprocedural options of the body analyzed.</summary>
    public EngineOptions Options => _options;

    /// <summary>Why the function is analyzed (a body, a helper's summary, a replay of its field stores).</summary>
    public RequestAnalysisPurpose Purpose { get; }

    /// <summary>
    /// True when the function is summarized for its callers: a request it retrieves from a queue parameter is then the
    /// request <see cref="QueuedRequests.InQueue"/> of that parameter, whose effect the caller maps to the requests it
    /// forwarded to the queue it passes.
    /// </summary>
    public bool FollowsQueueParameters => Purpose == RequestAnalysisPurpose.HelperSummary;

    public RequestState Unreached => RequestState.Unreached;

    public RequestState Join(RequestState left, RequestState right) => RequestState.Join(left, right);

    public bool AreEqual(RequestState left, RequestState right) => RequestState.AreEqual(left, right);

    public RequestState Transfer(RequestState state, IOperation operation, CancellationToken cancellationToken) =>
        Process(state, operation, observer: null);

    // ------------------------------------------------------------------ resolution

    /// <summary>The requests a request-typed location may be: its aliases, the routine's own request, or itself.</summary>
    public ImmutableHashSet<TrackedLocation> ResolveRequest(RequestState state, TrackedLocation location)
    {
        if (state.Owners.TryGetValue(location, out var roots))
        {
            return roots;
        }

        return Routine is { } routine && routine.IsAlias(location) ? routine.Key.AsSet : location.AsSet;
    }

    /// <summary>
    /// The driver-created facts of a root request: those of the state, or, for a request held in a field that the
    /// compilation fills from <c>WdfRequestCreate</c>, what an earlier call left (sent, when the compilation sends it and
    /// not every caller reuses it first). Null when the request is not known to be driver-created.
    /// </summary>
    public CreatedRequestFacts? CreatedFactsOf(RequestState state, TrackedLocation request)
    {
        if (state.Created.TryGetValue(request, out var facts))
        {
            return facts;
        }

        if (request.Root == LocationRoot.Parameter && request.IsVariable && request.Symbol is IParameterSymbol parameter)
        {
            // A helper handed a driver-created request by every caller (a read pump's request): what the caller left is
            // unknown, so it is not taken as sent; a reuse here and what follows are judged.
            return !_context.IsIrpType(request.Type) && ReusesParameter(parameter) &&
                   _context.Index.IsDriverCreatedParameter(parameter, _cancellationToken)
                ? CreatedRequestFacts.FieldEntry(false)
                : null;
        }

        if (!request.IsMember || request.Symbol is not { } member || _context.IsIrpType(request.Type) ||
            !_context.Index.IsDriverCreatedMember(member, _cancellationToken))
        {
            return null;
        }

        if (JudgesStores)
        {
            // What an earlier call left in the field is what this replay is asked to find: the request starts fresh.
            return CreatedRequestFacts.Fresh;
        }

        // What the stores of the compilation put back in a field whose request some body takes out: a request sent and not
        // reused since (an earlier call may format or send it again), or one a reuse left without its completion routine.
        var stored = _context.Index.IsTakenOutMember(member, _cancellationToken)
            ? _context.HeldStores.Of(member, _options, _cancellationToken)
            : StoredRequests.Clean;
        var sentByAnEarlierCall = _context.Index.IsSentMember(member, _cancellationToken);
        var putBackSent = stored.SentUnreused is not null;
        var sent = (sentByAnEarlierCall || putBackSent) && !_context.Index.FreshOnEveryCall(Owner, member, _cancellationToken);
        return CreatedRequestFacts.FieldEntry(
            sent, sentByAnEarlierCall ? SentOrigin.EarlierCall : SentOrigin.PutBackUnreused, stored.RoutineCleared is not null);
    }

    /// <summary>
    /// True when the function is replayed to find what it stores in fields (<see cref="HeldRequestStores"/>): a request
    /// loaded from a field starts fresh, and what the stores of other calls left there is not asked (no cycle).
    /// </summary>
    public bool JudgesStores => Purpose == RequestAnalysisPurpose.StoresReplay;

    /// <summary>The joined driver-created facts of the requests a value may be; null when none is driver-created.</summary>
    public CreatedRequestFacts? CreatedFactsOf(RequestState state, ImmutableHashSet<TrackedLocation> requests)
    {
        CreatedRequestFacts? result = null;
        foreach (var request in requests)
        {
            if (CreatedFactsOf(state, request) is { } facts)
            {
                result = result is null ? facts : result.Join(facts);
            }
        }

        return result;
    }

    /// <summary>
    /// What a completion completes, for the reuse rules: the requests the argument is, or the location it names when it
    /// is not a request value (<c>(WDFREQUEST)Context</c>); null when nothing can be named.
    /// </summary>
    public ImmutableHashSet<TrackedLocation>? CompletedRequests(IOperation? argument, ImmutableHashSet<TrackedLocation> requests)
    {
        if (!requests.IsEmpty)
        {
            return requests;
        }

        return _context.LocationOf(OperationUnwrap.Unwrap(argument)) is { } location ? location.AsSet : null;
    }

    private bool? _setsIrpCompletionRoutine;

    /// <summary>The request parameters this function reuses (<c>WdfRequestReuse</c>); null until first asked.</summary>
    private HashSet<IParameterSymbol>? _reusedParameters;

    /// <summary>
    /// True when the function reuses its request parameter <paramref name="parameter"/>: only a request the driver created
    /// is reused, so only then are its callers asked whether they all hand it a driver-created one (a helper given the
    /// application's request, the frequent case, binds no call site for this). Computed once per function.
    /// </summary>
    private bool ReusesParameter(IParameterSymbol parameter)
    {
        if (_reusedParameters is null)
        {
            _reusedParameters = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            foreach (var block in _graph.Blocks)
            {
                foreach (var root in BlockOperations(block))
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        if (operation is IInvocationOperation invocation && (_context.Catalog.RolesOf(invocation.TargetMethod) & DdiRole.ReusesRequest) != 0 &&
                            OperationUnwrap.Unwrap(DdiArguments.Request(invocation)) is IParameterReferenceOperation reused)
                        {
                            _reusedParameters.Add(reused.Parameter);
                        }
                    }
                }
            }
        }

        return _reusedParameters.Contains(parameter);
    }

    /// <summary>
    /// True when the function calls <c>IoSetCompletionRoutine</c> (on any IRP, on any path), itself or through a helper it
    /// gives an IRP (followed to <c>helper_depth</c>): an IRP it passes down may come back to it. Computed once per
    /// function, on the first <c>IoCallDriver</c> (and for a helper's summary).
    /// </summary>
    public bool SetsIrpCompletionRoutine()
    {
        if (_setsIrpCompletionRoutine is { } known)
        {
            return known;
        }

        foreach (var block in _graph.Blocks)
        {
            foreach (var root in BlockOperations(block))
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation invocation &&
                        (_context.Api.IsWdm(invocation.TargetMethod, "IoSetCompletionRoutine") || HelperSetsIrpCompletionRoutine(invocation)))
                    {
                        _setsIrpCompletionRoutine = true;
                        return true;
                    }
                }
            }
        }

        _setsIrpCompletionRoutine = false;
        return false;
    }

    /// <summary>A helper of the compilation, given an IRP, whose summary says it sets a completion routine.</summary>
    private bool HelperSetsIrpCompletionRoutine(IInvocationOperation invocation)
    {
        if (_helperDepth <= 0 || _context.Catalog.IsDdi(invocation.TargetMethod) || invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (_context.IsIrpType(argument.Value.Type) || _context.IsIrpType(OperationUnwrap.Unwrap(argument.Value)?.Type))
            {
                return LifetimeSummaryOf(invocation.TargetMethod)?.SetsIrpCompletionRoutine == true;
            }
        }

        return false;
    }

    private List<(TrackedLocation Request, IInvocationOperation Reuse)>? _reusedHeldRequests;

    /// <summary>
    /// The requests held in fields or contexts that this function reuses (<c>WdfRequestReuse</c>) and that may hold a
    /// reference on a request's memory when it starts: the compilation formats them with memory the driver may not own,
    /// and not every caller reuses them first. Computed once per function, on first need.
    /// </summary>
    public IReadOnlyList<(TrackedLocation Request, IInvocationOperation Reuse)> ReusedHeldRequests()
    {
        if (_reusedHeldRequests is { } known)
        {
            return known;
        }

        var found = new List<(TrackedLocation Request, IInvocationOperation Reuse)>();
        foreach (var block in _graph.Blocks)
        {
            foreach (var root in BlockOperations(block))
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation invocation && _context.Catalog.Has(invocation.TargetMethod, DdiRole.ReusesRequest) &&
                        _context.LocationOf(OperationUnwrap.Unwrap(DdiArguments.Request(invocation))) is { IsMember: true, Symbol: { } member } location &&
                        !found.Exists(f => f.Request.Equals(location)) &&
                        _context.Index.MayHoldForeignMemoryMember(member, _cancellationToken) &&
                        !_context.Index.FreshOnEveryCall(Owner, member, _cancellationToken))
                    {
                        found.Add((location, invocation));
                    }
                }
            }
        }

        return _reusedHeldRequests = found;
    }

    /// <summary>What a helper does to the driver-created requests it is given and shares; null when it is not followed.</summary>
    public RequestSummary? CreatedSummaryOf(IMethodSymbol method) =>
        _helperDepth <= 0 || method.DeclaringSyntaxReferences.IsEmpty || _context.Catalog.IsDdi(method) ? null : Summarize(method);

    /// <summary>The helper's summary for lifetime purposes: none for a call that may run an override.</summary>
    private RequestSummary? LifetimeSummaryOf(IMethodSymbol method) =>
        MethodBodies.IsOverridable(method) ? null : Summarize(method);

    /// <summary>True when the helper call runs on <c>this</c> (or is static): it shares the caller's fields.</summary>
    public static bool SharesMembers(IInvocationOperation call) =>
        call.TargetMethod.IsStatic || OperationUnwrap.Unwrap(call.Instance) is null or IInstanceReferenceOperation;

    // ------------------------------------------------------------------ conditions

    /// <summary>
    /// Refines the state on a branch: a constant condition cuts the edge never taken; a tested <c>bool</c> or
    /// <c>NT_SUCCESS(status)</c> local is remembered (and correlated); where a send or forward is known to have failed the
    /// driver still owns the request; where a format's status is a failure, the format took no reference.
    /// </summary>
    public RequestState AssumeCondition(RequestState state, IOperation condition, bool whenTrue)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        if (BoolConstant(condition) is { } constant)
        {
            // while (true), if (false): the other edge is never taken.
            return constant == whenTrue ? state : RequestState.Unreached;
        }

        var (tested, truth, isStatus, pending) = Peel(condition, whenTrue);
        var paths = state.Paths;
        state = AssumeTested(state, tested, truth, isStatus, pending);
        if (paths is { IsTooMany: false } && !state.IsUnreached)
        {
            state = AssumeOnEachPath(state, paths, tested, truth, isStatus, pending);
            if (state.IsUnreached)
            {
                return state;
            }
        }

        if (!state.Cancel.IsEmpty)
        {
            state = AssumeCancelStatus(state, condition, whenTrue);
        }

        return state.Created.IsEmpty ? state : AssumeFormatStatus(state, condition, whenTrue);
    }

    /// <summary>What a test of a local (or a helper's result) tells on one path: its tested outcome and a hand-off's.</summary>
    private static RequestState AssumeTested(RequestState state, IOperation tested, bool truth, bool isStatus, bool pending)
    {
        state = Correlate(state, tested, truth, pending);
        return state.Outcomes.IsEmpty || pending ? state : ApplyOutcome(state, tested, truth, isStatus);
    }

    /// <summary>
    /// A test where the paths of a join were kept apart (<see cref="JoinedPaths"/>): each path takes the test, those on
    /// which it cannot hold are dropped, and the request facts, tested locals and outcomes are the join of the rest (the
    /// other parts of <paramref name="state"/>, the test applied to the joined state, are kept). Unreached when no path
    /// is left.
    /// </summary>
    private static RequestState AssumeOnEachPath(
        RequestState state, JoinedPaths paths, IOperation tested, bool truth, bool isStatus, bool pending)
    {
        var kept = new RequestState[paths.Paths.Length];
        var count = 0;
        RequestState? joined = null;
        foreach (var path in paths.Paths)
        {
            var refined = AssumeTested(path, tested, truth, isStatus, pending);
            if (refined.IsUnreached)
            {
                continue;
            }

            kept[count++] = refined;
            joined = joined is null ? refined : RequestState.JoinTested(joined, refined);
        }

        return joined is null
            ? RequestState.Unreached
            : state.WithTestedPaths(joined.Lifetime, joined.Branches, joined.Outcomes, JoinedPaths.Of(kept, count));
    }

    /// <summary>
    /// On an edge that tests the status of <c>WdfRequestMarkCancelableEx</c> or <c>WdfRequestUnmarkCancelable</c>
    /// (<c>NT_SUCCESS(status)</c>, <c>status != STATUS_CANCELLED</c>, the call itself): where the mark failed the request
    /// is not marked; where the unmark did not return <c>STATUS_CANCELLED</c> the driver may complete it; where it did,
    /// the cancel routine owns it (it completes it), so the driver has let go of it.
    /// </summary>
    private RequestState AssumeCancelStatus(RequestState state, IOperation condition, bool whenTrue)
    {
        var operation = OperationUnwrap.Unwrap(condition);
        for (var i = 0; i < 8 && operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; i++)
        {
            whenTrue = !whenTrue;
            operation = OperationUnwrap.Unwrap(not.Operand);
        }

        IOperation? status;
        bool? succeeded = null;
        bool notCancelled;
        if (operation is IInvocationOperation { Arguments.Length: 1 } check && _context.Catalog.Has(check.TargetMethod, DdiRole.ChecksStatus))
        {
            status = OperationUnwrap.Unwrap(check.Arguments[0].Value);
            succeeded = whenTrue;
            notCancelled = whenTrue;
        }
        else if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary &&
                 (IsCancelled(binary.RightOperand) ? binary.LeftOperand : IsCancelled(binary.LeftOperand) ? binary.RightOperand : null) is { } tested)
        {
            status = OperationUnwrap.Unwrap(tested);
            notCancelled = (binary.OperatorKind == BinaryOperatorKind.NotEquals) == whenTrue;
        }
        else
        {
            return state;
        }

        foreach (var pair in state.Cancel)
        {
            var facts = pair.Value;
            if (facts.Unmark is { } unmark && IsStatusOf(status, unmark))
            {
                if (notCancelled)
                {
                    facts = facts.NotCancelled();
                }
                else
                {
                    // STATUS_CANCELLED (or a failure): the cancel routine completes the request.
                    state = Release(state, pair.Key.AsSet);
                }
            }

            if (succeeded == false && facts.Marked is { } mark && IsStatusOf(status, mark))
            {
                facts = facts.NotMarked();
            }

            state = state.WithCancel(pair.Key, facts);
        }

        return state;
    }

    private bool IsCancelled(IOperation operation) =>
        OperationUnwrap.Unwrap(operation) is IFieldReferenceOperation field && _context.Api.IsConstant(field.Field, "STATUS_CANCELLED");

    /// <summary>
    /// True when <paramref name="routine"/> (a cancel routine) completes the request it is given on some path, or is not
    /// known (the framework's contract: a cancel routine completes its request); false when its summary says it never does.
    /// </summary>
    public bool CancelRoutineMayComplete(IMethodSymbol routine)
    {
        if (routine.Parameters.Length != 1 || routine.MethodKind != MethodKind.Ordinary || LifetimeSummaryOf(routine) is not { } summary)
        {
            return true;
        }

        return summary.EffectOn(routine.Parameters[0]) is { } effect && effect.Completion != CompletionState.Live;
    }

    /// <summary>
    /// What a condition tests: conversions, <c>!</c>, <c>== true/false</c>, <c>NT_SUCCESS(...)</c> and
    /// <c>== STATUS_PENDING</c> / <c>!= STATUS_PENDING</c> peeled off, with the outcome the edge stands for (for
    /// <c>NT_SUCCESS</c>, whether the status is a success; for a comparison with <c>STATUS_PENDING</c>, whether it is pending).
    /// </summary>
    private (IOperation Tested, bool Truth, bool IsStatus, bool Pending) Peel(IOperation condition, bool whenTrue)
    {
        var truth = whenTrue;
        var current = condition;
        for (var guard = 0; guard < 64; guard++)
        {
            switch (current)
            {
                case IConversionOperation conversion:
                    current = conversion.Operand;
                    continue;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    truth = !truth;
                    current = not.Operand;
                    continue;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when BoolConstant(binary.RightOperand) is { } right:
                    truth = truth == (right == (binary.OperatorKind == BinaryOperatorKind.Equals));
                    current = binary.LeftOperand;
                    continue;
                case IInvocationOperation invocation when _context.Catalog.Has(invocation.TargetMethod, DdiRole.ChecksStatus) && invocation.Arguments.Length == 1:
                    return (OperationUnwrap.Unwrap(invocation.Arguments[0].Value)!, truth, true, false);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when (IsPending(binary.RightOperand) ? binary.LeftOperand : IsPending(binary.LeftOperand) ? binary.RightOperand : null) is { } status:
                    truth = truth == (binary.OperatorKind == BinaryOperatorKind.Equals);
                    return (OperationUnwrap.Unwrap(status)!, truth, true, true);
            }

            break;
        }

        return (OperationUnwrap.Unwrap(current)!, truth, false, false);
    }

    private bool IsPending(IOperation operation) =>
        OperationUnwrap.Unwrap(operation) is IFieldReferenceOperation field && _context.Api.IsConstant(field.Field, "STATUS_PENDING");

    /// <summary>Whether <paramref name="value"/> is <c>STATUS_PENDING</c> when it is a <c>STATUS_*</c> constant; otherwise null.</summary>
    private bool? PendingConstant(IOperation value) =>
        StatusConstants.IsSuccess(value, _context.Api) is null ? null : IsPending(value);

    /// <summary>"<paramref name="status"/> is <c>STATUS_PENDING</c>": the key of what a path knows about that test.</summary>
    private static TrackedLocation IsPendingOf(TrackedLocation status) =>
        TrackedLocation.Derived("IsPending", ImmutableArray.Create(status), null, status.Name + " == STATUS_PENDING");

    /// <summary>
    /// The key of what a path knows about a tested value: a local or parameter, or the result of a helper call (tested
    /// where it is made: <c>if (Helper(Irp) == STATUS_PENDING)</c>); for a comparison with <c>STATUS_PENDING</c>, the
    /// derived "is pending" of it. Null for anything else.
    /// </summary>
    private static TrackedLocation? TestedKey(IOperation tested, bool pending)
    {
        var key = tested switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation => TrackedLocation.TryCreate(tested),
            IInvocationOperation => TrackedLocation.ForOperation(tested),
            _ => null,
        };

        return key is null || !pending ? key : IsPendingOf(key);
    }

    /// <summary>
    /// Remembers the outcome of a test of a local <c>bool</c> (or <c>NT_SUCCESS</c> of a local <c>NTSTATUS</c>) on this
    /// edge; where the two outcomes met before and nothing changed since, takes the facts of the matching side.
    /// </summary>
    private static RequestState Correlate(RequestState state, IOperation tested, bool truth, bool pending)
    {
        if (TestedKey(tested, pending) is not { } key)
        {
            return state;
        }

        // A helper's result tested where it is made: only what its summary correlated, and forgotten once tested.
        var isResult = tested is IInvocationOperation;
        if (!state.Branches.TryGetValue(key, out var known))
        {
            return isResult ? state : state.WithBranch(key, BranchCorrelation.Marker(truth));
        }

        if (known.Truth is bool before && before != truth)
        {
            // The local holds a known value on every path here (a constant, or the outcome of an earlier test of
            // it, unchanged since): this edge is never taken.
            return RequestState.Unreached;
        }

        if (known.Truth is null && FactMap<RequestFacts>.AreEqual(known.Joined!, state.Lifetime, RequestFactsLattice.Instance))
        {
            state = state.WithLifetime(truth ? known.WhenTrue! : known.WhenFalse!);
        }

        return state.WithBranch(key, isResult ? null : BranchCorrelation.Marker(truth));
    }

    /// <summary>
    /// The request facts of the paths on which a returned value (<paramref name="returned"/>, evaluated in
    /// <paramref name="state"/>) passes a test, and on which it fails: <c>NT_SUCCESS</c> of a status or a <c>bool</c>'s
    /// truth, or (<paramref name="pending"/>) a status being <c>STATUS_PENDING</c>. A constant, or a local or helper
    /// result the path knows, gives one side (null for the other) or both sides of a correlation; anything else, the
    /// path's facts on both sides.
    /// </summary>
    public (FactMap<RequestFacts>? WhenTrue, FactMap<RequestFacts>? WhenFalse) ReturnedOutcome(RequestState state, IOperation returned, bool pending)
    {
        if (OperationUnwrap.Unwrap(returned) is not { } value)
        {
            return (state.Lifetime, state.Lifetime);
        }

        var known = pending ? PendingConstant(value) : BoolConstant(value) ?? StatusConstants.IsSuccess(value, _context.Api);
        if (known is null && TestedKey(value, pending) is { } key && state.Branches.TryGetValue(key, out var branch))
        {
            if (branch.Truth is null && state.OutcomesOf(key) is var (whenTrue, whenFalse))
            {
                return (whenTrue, whenFalse);
            }

            known = branch.Truth;
        }

        return known switch
        {
            true => (state.Lifetime, null),
            false => (null, state.Lifetime),
            _ => (state.Lifetime, state.Lifetime),
        };
    }

    /// <summary>
    /// What a later test of the assigned value will find: a <c>bool</c> constant; <c>NT_SUCCESS</c> of a <c>STATUS_*</c>
    /// constant; and for <c>WdfRequestGetStatus(request)</c> where the request's send or forward is known to have failed
    /// on every path (the WDK samples ask for the status then), a failure.
    /// </summary>
    private bool? KnownOutcome(RequestState state, IOperation value)
    {
        if (BoolConstant(value) is { } constant)
        {
            return constant;
        }

        if (StatusConstants.IsSuccess(value, _context.Api) is { } success)
        {
            return success;
        }

        if (OperationUnwrap.Unwrap(value) is IInvocationOperation { Arguments.Length: 1 } query &&
            _context.Api.IsWdf(query.TargetMethod, DdiNames.WdfRequestGetStatus) &&
            _context.LocationOf(OperationUnwrap.Unwrap(query.Arguments[0].Value)) is { } asked &&
            ResolveRequest(state, asked) is { Count: 1 } requests)
        {
            foreach (var request in requests)
            {
                if (state.Branches.TryGetValue(HandOffFailed(request), out var failed) && failed.Truth == true)
                {
                    return false;
                }
            }
        }

        return null;
    }

    private static bool? BoolConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: bool value } ? value : null;

    private static RequestState ApplyOutcome(RequestState state, IOperation tested, bool succeeded, bool isStatus)
    {
        tested = OperationUnwrap.Unwrap(tested)!;
        var key = tested is IInvocationOperation ? TrackedLocation.ForOperation(tested) : TrackedLocation.TryCreate(tested);
        if (key is null || !state.Outcomes.TryGetValue(key, out var outcome) || outcome is null || outcome.IsStatus != isStatus)
        {
            return state;
        }

        foreach (var pair in outcome.FactsBefore)
        {
            var current = state.FactsOf(pair.Key);

            // Succeeded: the target or queue has the request. Failed: the driver still owns it, as before the call, and
            // its status (WdfRequestGetStatus) is the failure.
            var ownership = succeeded ? OwnershipState.Released : pair.Value.Ownership;
            state = state.WithFacts(pair.Key, new RequestFacts(current.Completion, ownership, current.Site));
            state = state.WithBranch(HandOffFailed(pair.Key), succeeded ? null : BranchCorrelation.Marker(true));
            if (!succeeded && state.Created.TryGetValue(pair.Key, out var created) && created.AfterFailedSend() is var failed && !ReferenceEquals(failed, created))
            {
                state = state.WithCreated(pair.Key, failed);
            }
        }

        return state;
    }

    /// <summary>"The last hand-off of <paramref name="request"/> failed on every path here" (a marker; gone where the request is written).</summary>
    private static TrackedLocation HandOffFailed(TrackedLocation request) =>
        TrackedLocation.Derived("HandOffFailed", ImmutableArray.Create(request), null, "hand-off of " + request.Name + " failed");

    /// <summary>
    /// On the edge where a format's status is a failure (<c>if (!NT_SUCCESS(status))</c> after
    /// <c>status = WdfIoTargetFormatRequestFor…(…)</c>, or the format inside <c>NT_SUCCESS</c>), the format took no
    /// reference on the memory.
    /// </summary>
    private RequestState AssumeFormatStatus(RequestState state, IOperation condition, bool whenTrue)
    {
        var operation = OperationUnwrap.Unwrap(condition);
        for (var i = 0; i < 8 && operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; i++)
        {
            whenTrue = !whenTrue;
            operation = OperationUnwrap.Unwrap(not.Operand);
        }

        if (whenTrue || operation is not IInvocationOperation check || !_context.Catalog.Has(check.TargetMethod, DdiRole.ChecksStatus) ||
            check.Arguments.Length != 1)
        {
            return state;
        }

        var status = OperationUnwrap.Unwrap(check.Arguments[0].Value);
        foreach (var pair in state.Created)
        {
            if (pair.Value.Format is { } format && IsStatusOf(status, format))
            {
                state = state.WithCreated(pair.Key, pair.Value.WithoutReference());
            }
        }

        return state;
    }

    /// <summary>True when <paramref name="status"/> is the format itself or the local its status was stored in.</summary>
    private static bool IsStatusOf(IOperation? status, IInvocationOperation format)
    {
        if (ReferenceEquals(status, format))
        {
            return true;
        }

        return status is ILocalReferenceOperation local &&
            format.Parent is ISimpleAssignmentOperation assignment &&
            OperationUnwrap.Unwrap(assignment.Target) is ILocalReferenceOperation target &&
            SymbolEqualityComparer.Default.Equals(target.Local, local.Local);
    }

    // ------------------------------------------------------------------ transfer

    /// <summary>
    /// The state after the root operation <paramref name="root"/>, telling <paramref name="observer"/> (when given) of
    /// every event in evaluation order, each with the state just before it.
    /// </summary>
    public RequestState Process(RequestState state, IOperation root, RequestObserver? observer) =>
        Run(state, root, observer, out _);

    /// <summary>
    /// The state after <paramref name="root"/> (a block's branch value, such as a returned expression), with the requests
    /// its value is or belongs to.
    /// </summary>
    public RequestState Evaluate(RequestState state, IOperation root, out ImmutableHashSet<TrackedLocation> requests)
    {
        state = Run(state, root, observer: null, out var value);
        requests = value.Requests;
        return state;
    }

    private RequestState Run(RequestState state, IOperation root, RequestObserver? observer, out Value rootValue)
    {
        rootValue = Value.None;
        if (state.IsUnreached)
        {
            return state;
        }

        var walk = RootWalks.Of(root);
        var order = walk.Order;
        var children = walk.Children;
        _cancellationToken.ThrowIfCancellationRequested();
        WorkMeter.Steps(order.Length);

        // Evaluation with a value stack: each operation pops its children's values (in evaluation order) and pushes its own.
        _top = 0;
        for (var i = 0; i < order.Length; i++)
        {
            var operation = order[i];
            var childCount = children[i];
            var first = _top - childCount;
            var value = Value.None;
            switch (operation)
            {
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or
                    IFlowCaptureReferenceOperation or IPropertyReferenceOperation { Arguments.IsEmpty: true }:
                    value = Read(state, operation, observer);
                    break;
                case IConversionOperation or IArgumentOperation or IParenthesizedOperation when childCount == 1:
                    value = _stack[first];
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } when childCount == 2:
                    {
                        var left = _stack[first].Requests;
                        var right = _stack[first + 1].Requests;
                        value = new Value(left.IsEmpty ? right : right.IsEmpty ? left : left.Union(right), isRequest: false);
                        break;
                    }

                case IFlowCaptureOperation capture when childCount == 1:
                    state = state.WithOwners(TrackedLocation.ForCapture(capture.Id, capture.Value.Type), _stack[first].Requests);
                    break;
                case ISimpleAssignmentOperation assignment when childCount == 2:
                    value = _stack[first + 1];
                    state = Assign(state, assignment, value, observer);
                    break;
                case ICompoundAssignmentOperation compound when childCount == 2 && TrackedLocation.TryCreate(compound.Target) is { } target:
                    {
                        var added = _stack[first + 1].Requests;
                        if (!added.IsEmpty)
                        {
                            state = state.WithOwners(target, state.OwnersOf(target).Union(added));
                        }

                        break;
                    }

                case IInvocationOperation invocation:
                    state = Invoke(state, invocation, new ArgumentValues(_stack, first + (invocation.Instance is null ? 0 : 1), invocation.Arguments), observer, out value);
                    break;
                case IObjectCreationOperation creation:
                    state = KeepRequestArguments(state, new ArgumentValues(_stack, first, creation.Arguments));
                    break;
                case IFlowAnonymousFunctionOperation lambda:
                    observer?.OnLambda(lambda, state);
                    state = KeepCaptured(state, lambda);
                    break;
            }

            _top = first;
            Push(value);
        }

        rootValue = _top > 0 ? _stack[_top - 1] : Value.None;
        return state;
    }

    private void Push(Value value)
    {
        if (_top == _stack.Length)
        {
            System.Array.Resize(ref _stack, _stack.Length * 2);
        }

        _stack[_top++] = value;
    }

    private Value Read(RequestState state, IOperation reference, RequestObserver? observer)
    {
        if (IsWritten(reference))
        {
            return Value.None;
        }

        if (_context.LocationOf(reference) is not { } key)
        {
            return new Value(CompletionParamsOwners(state, reference), isRequest: false);
        }

        if (_context.IsFollowedRequestType(reference.Type))
        {
            return new Value(ResolveRequest(state, key), isRequest: true);
        }

        var owners = state.OwnersOf(key);
        if (owners.IsEmpty)
        {
            owners = CompletionParamsOwners(state, reference);
        }
        if (!owners.IsEmpty && observer is not null && IsUse(reference))
        {
            observer.OnUse(reference, key, owners, state);
        }

        return new Value(owners, isRequest: false);
    }

    /// <summary>
    /// In a completion routine (<c>Request</c> first, a <c>WDF_REQUEST_COMPLETION_PARAMS</c> parameter) of a request the
    /// driver forwarded (not one it created), the memory its parameters name (<c>Params.Parameters.Ioctl.Output.Buffer</c>,
    /// <c>….Read.Buffer</c>, an MDL) belongs to the routine's request: completing it ends that memory too.
    /// </summary>
    private ImmutableHashSet<TrackedLocation> CompletionParamsOwners(RequestState state, IOperation reference)
    {
        // In the routine of a driver-created request that memory is what the request was formatted with: the original
        // request's, or the driver's (not known here).
        if (Routine is not null || !_context.IsBufferType(reference.Type) || Function.Parameters.Length < 3 ||
            !_context.IsRequestType(Function.Parameters[0].Type) || _context.CompletionParamsType is not { } paramsType)
        {
            return RequestState.NoOwners;
        }

        var current = reference;
        for (var i = 0; i < 8 && current is IMemberReferenceOperation member; i++)
        {
            current = OperationUnwrap.Unwrap(member.Instance);
        }

        return current is IParameterReferenceOperation { Parameter: var parameter } &&
               SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, Function) &&
               SymbolEqualityComparer.Default.Equals(parameter.Type, paramsType)
            ? ResolveRequest(state, TrackedLocation.ForSymbol(Function.Parameters[0]))
            : RequestState.NoOwners;
    }

    /// <summary>True for the target of an assignment and an <c>out</c> argument: they are written, not read.</summary>
    private static bool IsWritten(IOperation reference)
    {
        var current = reference;
        if (current.Parent is IDeclarationExpressionOperation declaration)
        {
            current = declaration;
        }

        return current.Parent switch
        {
            IAssignmentOperation assignment when ReferenceEquals(assignment.Target, current) &&
                                                  assignment is ISimpleAssignmentOperation => true,
            IArgumentOperation { Parameter.RefKind: RefKind.Out } => true,
            _ => false,
        };
    }

    /// <summary>
    /// True where a followed value is used: as the receiver of a call or property (<c>buffer.Write</c>), or as an
    /// argument of a method that uses it. Copies, pointer arithmetic and comparisons only move or test the handle.
    /// </summary>
    private bool IsUse(IOperation reference)
    {
        var current = reference;
        while (current.Parent is IConversionOperation conversion)
        {
            current = conversion;
        }

        switch (current.Parent)
        {
            case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, current):
            case IPropertyReferenceOperation property when ReferenceEquals(property.Instance, current):
                return true;
            case IArgumentOperation argument when argument.Parameter?.RefKind != RefKind.Out:
                if (argument.Parent is IInvocationOperation call && argument.Parameter is { } parameter &&
                    !_context.Catalog.IsDdi(call.TargetMethod) && LifetimeSummaryOf(call.TargetMethod) is { } summary)
                {
                    return summary.Uses(parameter);
                }

                return true;
            default:
                return false;
        }
    }

    private RequestState Assign(RequestState state, ISimpleAssignmentOperation assignment, Value value, RequestObserver? observer)
    {
        if (_context.LocationOf(assignment.Target) is not { } target)
        {
            // Stored in an array element, an indexer or a place not followed: the driver keeps the request.
            return value.IsRequest ? Release(state, value.Requests) : state;
        }

        if (observer is not null && value.IsRequest && target.IsMember && !value.Requests.IsEmpty)
        {
            observer.OnStore(assignment, target, value.Requests, state);
        }

        state = state.Forget(target).KillDependents(target);
        if (target.IsVariable && KnownOutcome(state, assignment.Value) is { } constant)
        {
            // A flag such as 'completed = true', or a status whose NT_SUCCESS is decided: a later test of it takes the
            // facts of the paths that set it so.
            state = state.WithBranch(target, BranchCorrelation.Marker(constant));
        }

        if (target.IsVariable && ReturnsStatus && PendingConstant(assignment.Value) is { } pending)
        {
            // 'status = STATUS_PENDING' (or another status) in a function that returns it: what its callers test.
            state = state.WithBranch(IsPendingOf(target), BranchCorrelation.Marker(pending));
        }

        if (value.IsRequest && target.IsMember)
        {
            state = Release(state, value.Requests);
        }

        if (_context.IsFollowedRequestType(target.Type) || _context.IsFollowedRequestType(assignment.Target.Type))
        {
            state = ForgetCreated(state, target);
            state = value.IsRequest && !value.Requests.IsEmpty
                ? state.WithOwners(target, value.Requests)
                : NewRequest(state, target);
        }
        else
        {
            state = state.WithOwners(target, value.Requests);
        }

        var source = OperationUnwrap.Unwrap(assignment.Value);
        if (source is IInvocationOperation && state.Outcomes.TryGetValue(TrackedLocation.ForOperation(source), out var outcome))
        {
            state = state.WithOutcome(TrackedLocation.ForOperation(source), null).WithOutcome(target, outcome);
        }

        if (source is IInvocationOperation && target.IsVariable && !state.Branches.IsEmpty)
        {
            // 'status = Helper(Irp)': what the helper's result tells about its effects now holds for the local.
            var result = TrackedLocation.ForOperation(source);
            state = MoveBranch(state, result, target);
            state = MoveBranch(state, IsPendingOf(result), IsPendingOf(target));
        }

        return state;
    }

    private static RequestState MoveBranch(RequestState state, TrackedLocation from, TrackedLocation to) =>
        state.Branches.TryGetValue(from, out var branch) ? state.WithBranch(from, null).WithBranch(to, branch) : state;

    /// <summary>True when the function returns an <c>NTSTATUS</c> (what its callers may test).</summary>
    private bool ReturnsStatus => SymbolEqualityComparer.Default.Equals(Function.ReturnType, _context.Api.NtStatus);

    /// <summary>
    /// A request-typed location is written: the driver-created facts kept under it as a root go, unless another
    /// location still names that request.
    /// </summary>
    private static RequestState ForgetCreated(RequestState state, TrackedLocation target)
    {
        if (!state.Created.ContainsKey(target))
        {
            return state;
        }

        foreach (var pair in state.Owners)
        {
            if (!pair.Key.Equals(target) && pair.Value.Contains(target))
            {
                return state;
            }
        }

        return state.WithCreated(target, null);
    }

    /// <summary>The location of a call's <c>WDFQUEUE</c> argument (by value), if any.</summary>
    private TrackedLocation? QueueArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (_context.IsQueueParameter(argument.Parameter))
            {
                return _context.LocationOf(OperationUnwrap.Unwrap(argument.Value));
            }
        }

        return null;
    }

    /// <summary>
    /// For a helper's <c>WDFQUEUE</c> parameter given the queue at <paramref name="argument"/>: the summary's key of the
    /// request the helper retrieves from that parameter, and the requests forwarded to that queue here (one may be it).
    /// </summary>
    private (TrackedLocation Key, ImmutableHashSet<TrackedLocation> Requests)? QueuedArgument(RequestState state, IArgumentOperation argument)
    {
        if (argument.Parameter is not { } parameter || !_context.IsQueueParameter(parameter) ||
            _context.LocationOf(OperationUnwrap.Unwrap(argument.Value)) is not { } queue ||
            state.OwnersOf(QueuedRequests.InQueue(queue, _context.Api.WdfRequest)) is not { IsEmpty: false } requests)
        {
            return null;
        }

        return (QueuedRequests.InQueue(TrackedLocation.ForSymbol(parameter.OriginalDefinition), _context.Api.WdfRequest), requests);
    }

    /// <summary>A request-typed location now holds a request the analysis has not seen: a new root, live and owned.</summary>
    private static RequestState NewRequest(RequestState state, TrackedLocation key) =>
        state.WithOwners(key, RequestState.NoOwners).WithFacts(key, RequestFacts.Initial);

    private static RequestState Release(RequestState state, ImmutableHashSet<TrackedLocation> requests, bool onAllPaths = true)
    {
        foreach (var request in requests)
        {
            state = state.WithFacts(request, state.FactsOf(request).Release(onAllPaths));
        }

        return state;
    }

    private static RequestState Complete(
        RequestState state, ImmutableHashSet<TrackedLocation> requests, CompletionSite site, bool onAllPaths)
    {
        // Completing one of several requests a value may be completes each of them only on some paths.
        var definite = onAllPaths && requests.Count == 1;
        foreach (var request in requests)
        {
            state = state.WithFacts(request, state.FactsOf(request).Complete(site, definite));
        }

        return state;
    }

    // ------------------------------------------------------------------ calls

    private RequestState Invoke(
        RequestState state,
        IInvocationOperation invocation,
        ArgumentValues values,
        RequestObserver? observer,
        out Value result)
    {
        result = Value.None;
        if (observer is not null)
        {
            var arguments = ImmutableArray.CreateBuilder<ImmutableHashSet<TrackedLocation>>(invocation.Arguments.Length);
            for (var i = 0; i < invocation.Arguments.Length; i++)
            {
                var value = values[i];
                arguments.Add(value.IsRequest ? value.Requests : RequestState.NoOwners);
            }

            observer.OnInvocation(invocation, arguments.MoveToImmutable(), state);
        }

        var method = invocation.TargetMethod;
        if (_context.Catalog.IsDdi(method))
        {
            return InvokeDdi(state, invocation, values, observer, out result);
        }

        state = ApplyCreatedEffects(state, invocation, values, observer);

        if (_options.IsCompletionHelper(method))
        {
            for (var i = 0; i < invocation.Arguments.Length; i++)
            {
                var value = values[i];
                if (value.IsRequest && !value.Requests.IsEmpty)
                {
                    observer?.OnCompletion(invocation, method.Name, value.Requests, state);
                    state = Complete(state, value.Requests, new CompletionSite(invocation.Syntax, method.Name), onAllPaths: true);
                    break;
                }
            }

            return KillOutArguments(state, invocation.Arguments);
        }

        var summary = LifetimeSummaryOf(method);
        if (summary is null)
        {
            // An unknown method given a request may keep it (store it, complete it later): no finding either way.
            state = KeepRequestArguments(state, values);
            return KillOutArguments(state, invocation.Arguments);
        }

        var beforeEffects = state;
        for (var i = 0; i < invocation.Arguments.Length; i++)
        {
            var argument = invocation.Arguments[i];
            var value = values[i];
            if (!value.IsRequest && QueuedArgument(state, argument) is var (queuedKey, queued) &&
                summary.Requests.TryGetValue(queuedKey, out var queuedEffect))
            {
                state = ApplyEffect(state, invocation, method, QueuedRequests.OnSomePaths(queuedEffect), queued, observer);
                continue;
            }

            if (!value.IsRequest || value.Requests.IsEmpty || argument.Parameter is null)
            {
                continue;
            }

            if (argument.Parameter.RefKind != RefKind.None)
            {
                state = Release(state, value.Requests);
                continue;
            }

            if (summary.EffectOn(argument.Parameter) is { } effect)
            {
                state = ApplyEffect(state, invocation, method, effect, value.Requests, observer);
            }
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            state = ApplyCapturedEffects(state, invocation, method, summary, observer);
        }

        // What the helper returns, or gives back through out arguments, may belong to the caller's requests.
        if (!summary.ReturnedFrom.IsEmpty)
        {
            result = new Value(
                MapInputs(state, summary.ReturnedFrom, invocation, values), isRequest: _context.IsFollowedRequestType(method.ReturnType));
        }

        state = KillOutArguments(state, invocation.Arguments);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out } parameter &&
                summary.OutFrom.TryGetValue(TrackedLocation.ForSymbol(parameter.OriginalDefinition), out var inputs) &&
                _context.LocationOf(argument.Value) is { } target && !_context.IsFollowedRequestType(target.Type))
            {
                state = state.WithOwners(target, MapInputs(state, inputs, invocation, values));
            }
        }

        if ((summary.ReturnedSuccess is not null || summary.ReturnedPending is not null) &&
            method.MethodKind != MethodKind.LocalFunction && invocation.Parent is not IExpressionStatementOperation)
        {
            // What the helper returns tells what it did: its result (tested here, or in the local it is stored in) is
            // correlated with its effects on each side.
            var resultKey = TrackedLocation.ForOperation(invocation);
            if (summary.ReturnedSuccess is { } success)
            {
                state = Correlated(state, beforeEffects, invocation, method, success, values, resultKey);
            }

            if (summary.ReturnedPending is { } pending)
            {
                state = Correlated(state, beforeEffects, invocation, method, pending, values, IsPendingOf(resultKey));
            }
        }

        return summary.OutFlags.IsEmpty ? state : ApplyOutFlags(state, beforeEffects, invocation, method, summary, values);
    }

    /// <summary>
    /// The state after a helper call whose effects depend on a value it gives back: the joined effects, with the value's
    /// <paramref name="tested"/> key correlated with the effects on each side. Each side is the state after the call
    /// (<paramref name="state"/>: out arguments, captured requests, …) with the facts of the request arguments the
    /// conditional effects name taken from those effects applied to <paramref name="before"/>.
    /// </summary>
    private RequestState Correlated(
        RequestState state, RequestState before, IInvocationOperation invocation, IMethodSymbol method, ConditionalEffects effects,
        ArgumentValues values, TrackedLocation tested)
    {
        var trueState = before;
        var falseState = before;
        var touched = RequestState.NoOwners;
        for (var i = 0; i < invocation.Arguments.Length; i++)
        {
            var value = values[i];
            TrackedLocation key;
            ImmutableHashSet<TrackedLocation> requests;
            var queued = false;
            if (!value.IsRequest && QueuedArgument(before, invocation.Arguments[i]) is var (queuedKey, queuedRequests))
            {
                (key, requests, queued) = (queuedKey, queuedRequests, true);
            }
            else if (!value.IsRequest || value.Requests.IsEmpty || invocation.Arguments[i].Parameter is not { RefKind: RefKind.None } parameter)
            {
                continue;
            }
            else
            {
                (key, requests) = (TrackedLocation.ForSymbol(parameter.OriginalDefinition), value.Requests);
            }

            if (effects.WhenTrue.TryGetValue(key, out var onTrue))
            {
                trueState = ApplyEffect(trueState, invocation, method, queued ? QueuedRequests.OnSomePaths(onTrue) : onTrue, requests, observer: null);
                touched = touched.Union(requests);
            }

            if (effects.WhenFalse.TryGetValue(key, out var onFalse))
            {
                falseState = ApplyEffect(falseState, invocation, method, queued ? QueuedRequests.OnSomePaths(onFalse) : onFalse, requests, observer: null);
                touched = touched.Union(requests);
            }
        }

        var whenTrue = state.Lifetime;
        var whenFalse = state.Lifetime;
        foreach (var request in touched)
        {
            whenTrue = whenTrue.SetItem(request, trueState.FactsOf(request), RequestFactsLattice.Instance);
            whenFalse = whenFalse.SetItem(request, falseState.FactsOf(request), RequestFactsLattice.Instance);
        }

        var joined = FactMap<RequestFacts>.Join(whenTrue, whenFalse, RequestFactsLattice.Instance);
        return state.WithLifetime(joined).WithBranch(tested, BranchCorrelation.Correlation(whenTrue, whenFalse, joined));
    }

    /// <summary>
    /// An <c>out bool</c> the helper sets to tell what it did with a request (<c>ReadReport(q, Request, out completeRequest)</c>
    /// sets it FALSE only where it forwarded the request): the caller's flag is correlated with the helper's effect on each
    /// side, so a later <c>if (completeRequest)</c> takes the facts of the matching paths.
    /// </summary>
    private RequestState ApplyOutFlags(
        RequestState state, RequestState before, IInvocationOperation invocation, IMethodSymbol method, RequestSummary summary, ArgumentValues values)
    {
        foreach (var flagArgument in invocation.Arguments)
        {
            if (flagArgument.Parameter is not { } flag || !summary.OutFlags.TryGetValue(flag.Ordinal, out var effects) ||
                _context.LocationOf(flagArgument.Value) is not { IsVariable: true } target)
            {
                continue;
            }

            state = Correlated(state, before, invocation, method, effects, values, target);
        }

        return state;
    }

    /// <summary>The caller's requests behind a helper's inputs: its parameters (by argument) or captured variables.</summary>
    private ImmutableHashSet<TrackedLocation> MapInputs(
        RequestState state, ImmutableHashSet<TrackedLocation> inputs, IInvocationOperation invocation, ArgumentValues values)
    {
        var requests = RequestState.NoOwners;
        foreach (var input in inputs)
        {
            if (input.Symbol is IParameterSymbol parameter && input.IsVariable &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, invocation.TargetMethod.OriginalDefinition))
            {
                for (var i = 0; i < invocation.Arguments.Length; i++)
                {
                    var argument = invocation.Arguments[i];
                    if (argument.Parameter is not null &&
                        SymbolEqualityComparer.Default.Equals(argument.Parameter.OriginalDefinition, parameter))
                    {
                        requests = requests.Union(values[i].Requests);
                    }
                }
            }
            else
            {
                requests = requests.Union(_context.IsFollowedRequestType(input.Type) ? ResolveRequest(state, input) : state.OwnersOf(input));
            }
        }

        return requests;
    }

    private static RequestState ApplyEffect(
        RequestState state,
        IInvocationOperation invocation,
        IMethodSymbol method,
        RequestEffect effect,
        ImmutableHashSet<TrackedLocation> requests,
        RequestObserver? observer)
    {
        if (effect.CallsRequestDdi && effect.Completion == CompletionState.Live)
        {
            observer?.OnRequestCall(invocation, method.Name, requests, state);
        }

        if (effect.Completion != CompletionState.Live)
        {
            observer?.OnCompletion(invocation, method.Name, requests, state);
            state = Complete(state, requests, new CompletionSite(invocation.Syntax, method.Name),
                effect.Completion == CompletionState.Completed);
        }

        if (effect.Ownership != OwnershipState.Owned)
        {
            state = Release(state, requests, effect.Ownership == OwnershipState.Released);
        }

        return state;
    }

    /// <summary>A local function's effect on the requests and buffers it captures from the enclosing method.</summary>
    private RequestState ApplyCapturedEffects(
        RequestState state,
        IInvocationOperation invocation,
        IMethodSymbol method,
        RequestSummary summary,
        RequestObserver? observer)
    {
        foreach (var used in summary.UsedValues)
        {
            if (!IsOwnSymbol(used, method) && observer is not null && state.OwnersOf(used) is { IsEmpty: false } owners)
            {
                observer.OnUse(invocation, used, owners, state);
            }
        }

        foreach (var pair in summary.Requests)
        {
            if (!IsOwnSymbol(pair.Key, method))
            {
                state = ApplyEffect(state, invocation, method, pair.Value, ResolveRequest(state, pair.Key), observer);
            }
        }

        return state;
    }

    private static bool IsOwnSymbol(TrackedLocation key, IMethodSymbol method) =>
        key.Symbol is { } symbol && SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, method);

    /// <summary>
    /// What a helper does to the driver-created requests it is given (by parameter) and shares (fields of <c>this</c>,
    /// statics), from its summary; recorded for the summary of the method being analyzed.
    /// </summary>
    private RequestState ApplyCreatedEffects(
        RequestState state, IInvocationOperation call, ArgumentValues values, RequestObserver? observer)
    {
        if (CreatedSummaryOf(call.TargetMethod) is not { } summary)
        {
            return state;
        }

        for (var i = 0; i < call.Arguments.Length; i++)
        {
            var argument = call.Arguments[i];
            if (argument.Parameter is not { } parameter || summary.CreatedEffectOn(parameter.Ordinal) is var effect && effect == HelperEffect.None)
            {
                continue;
            }

            if (_context.LocationOf(OperationUnwrap.Unwrap(argument.Value)) is { } written)
            {
                observer?.OnCreatedRequestEffect(call, written, effect);
            }

            var value = values[i];
            if (value.IsRequest)
            {
                state = ApplyCreated(state, value.Requests, effect, call, values);
            }
        }

        if (SharesMembers(call))
        {
            foreach (var pair in summary.MemberEffects)
            {
                var member = TrackedLocation.ForSymbol(pair.Key);
                observer?.OnCreatedRequestEffect(call, member, pair.Value);
                state = ApplyCreated(state, ResolveRequest(state, member), pair.Value, call, values);
            }
        }

        return state;
    }

    private RequestState ApplyCreated(
        RequestState state, ImmutableHashSet<TrackedLocation> requests, HelperEffect effect, IInvocationOperation call, ArgumentValues values)
    {
        foreach (var request in requests)
        {
            if (CreatedFactsOf(state, request) is not { } facts)
            {
                continue;
            }

            if ((effect & HelperEffect.Reuses) != 0) facts = facts.AfterReuse(call);
            if ((effect & HelperEffect.Formats) != 0) facts = facts.AfterFormat(call, MemoryOwners(state, call, values), holdsReference: true);
            if ((effect & HelperEffect.SetsRoutine) != 0) facts = facts.AfterSetRoutine(call);
            if ((effect & HelperEffect.Sends) != 0) facts = facts.AfterSend(call);
            if ((effect & HelperEffect.Deletes) != 0) facts = CreatedRequestFacts.Fresh;
            state = state.WithCreated(request, facts);
        }

        return state;
    }

    /// <summary>Who owns each memory argument of a format (or of a helper that formats): see <see cref="CreatedRequestFacts.FormatMemory"/>.</summary>
    private ImmutableArray<ImmutableHashSet<TrackedLocation>> MemoryOwners(RequestState state, IInvocationOperation format, ArgumentValues values)
    {
        var memory = DdiArguments.FormatMemory(_context.Api, format);
        var builder = ImmutableArray.CreateBuilder<ImmutableHashSet<TrackedLocation>>(memory.Count);
        foreach (var argument in memory)
        {
            var owners = values.Of(argument).Requests;
            if (owners.IsEmpty && _context.LocationOf(OperationUnwrap.Unwrap(argument)) is { IsMember: true, Symbol: { } member } location &&
                state.OwnersOf(location).IsEmpty && _context.Index.IsDriverOwnedMemoryMember(member, _cancellationToken))
            {
                owners = TrackedLocation.Driver.AsSet;
            }

            builder.Add(owners);
        }

        return builder.MoveToImmutable();
    }

    private RequestState InvokeDdi(
        RequestState state,
        IInvocationOperation invocation,
        ArgumentValues values,
        RequestObserver? observer,
        out Value result)
    {
        result = Value.None;
        var method = invocation.TargetMethod;
        var roles = _context.Catalog.RolesOf(method);
        var isWdf = _context.Catalog.IsWdf(method);
        var arguments = invocation.Arguments;
        var firstRequests = arguments.Length > 0 ? values[0] : Value.None;
        var requestArgument = DdiArguments.Request(invocation);
        var requestValue = values.Of(requestArgument);

        if (observer is not null && HelperEffectOf(roles) is var effect && effect != HelperEffect.None &&
            _context.LocationOf(OperationUnwrap.Unwrap(requestArgument)) is { } written)
        {
            observer.OnCreatedRequestEffect(invocation, written, effect);
        }

        if ((roles & (DdiRole.PassesIrpDown | DdiRole.MarksIrpPending)) != 0)
        {
            // IoCallDriver: the lower driver has the IRP and completes it, whatever status it returns. When the function
            // sets a completion routine anywhere, that routine may return STATUS_MORE_PROCESSING_REQUIRED and give the IRP
            // back (completion routines' returns are not followed): then it is only let go of, and a later completion is
            // not judged. IoMarkIrpPending: the driver keeps it, to complete it later.
            var completedBelow = (roles & DdiRole.PassesIrpDown) != 0 && !SetsIrpCompletionRoutine();
            for (var i = 0; i < arguments.Length; i++)
            {
                var value = values[i];
                if (!value.IsRequest || value.Requests.IsEmpty)
                {
                    continue;
                }

                if (completedBelow)
                {
                    observer?.OnCompletion(invocation, method.Name, value.Requests, state);
                    state = Complete(state, value.Requests, new CompletionSite(invocation.Syntax, method.Name), onAllPaths: true);
                }
                else
                {
                    state = Release(state, value.Requests);
                }
            }

            return state;
        }

        if ((roles & (DdiRole.CompletesRequest | DdiRole.CompletesIrp)) != 0)
        {
            if (firstRequests.IsRequest && !firstRequests.Requests.IsEmpty)
            {
                observer?.OnCompletion(invocation, method.Name, firstRequests.Requests, state);
                state = Complete(state, firstRequests.Requests, new CompletionSite(invocation.Syntax, method.Name), onAllPaths: true);
                foreach (var request in firstRequests.Requests)
                {
                    state = state.WithCancel(request, null);
                }
            }

            return state;
        }

        if ((roles & (DdiRole.MarksCancelable | DdiRole.UnmarksCancelable)) != 0 && firstRequests.IsRequest)
        {
            foreach (var request in firstRequests.Requests)
            {
                state = state.WithCancel(request, (roles & DdiRole.MarksCancelable) != 0
                    ? CancelFacts.AfterMark(invocation)
                    : (state.CancelOf(request) ?? CancelFacts.None).AfterUnmark(invocation));
            }
        }

        if (isWdf && (roles & DdiRole.ReleasesReference) == 0)
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                var argument = arguments[i];
                var value = values[i];
                if (!value.IsRequest || value.Requests.IsEmpty || argument.Parameter is null ||
                    argument.Parameter.RefKind == RefKind.Out || _context.IsIrpType(argument.Parameter.Type))
                {
                    // An IRP given to a WDF DDI (WdfDeviceWdmDispatchPreprocessedIrp, …) is no request DDI call (DRV003 is WDF's).
                    continue;
                }

                if (argument.Parameter.Type.SpecialType == SpecialType.System_Object)
                {
                    // Passed as a completion context: the driver keeps it for its completion routine.
                    state = Release(state, value.Requests);
                }
                else
                {
                    observer?.OnRequestCall(invocation, method.Name, value.Requests, state);
                }
            }
        }

        if ((roles & (DdiRole.SendsRequest | DdiRole.ForwardsRequest)) != 0 && firstRequests.IsRequest)
        {
            var before = FactMap<RequestFacts>.Empty;
            foreach (var request in firstRequests.Requests)
            {
                before = before.SetItem(request, state.FactsOf(request), AlwaysKeptFacts.Instance);
            }

            if ((roles & DdiRole.ForwardsRequest) != 0 && QueueArgument(invocation) is { } queue)
            {
                // The request may wait in that queue now: a helper given the queue may take it from there.
                var waiting = QueuedRequests.InQueue(queue, _context.Api.WdfRequest);
                state = state.WithOwners(waiting, state.OwnersOf(waiting).Union(firstRequests.Requests));
            }

            if (invocation.Parent is IExpressionStatementOperation)
            {
                // The result is dropped: where the send or forward fails, nobody completes the request.
                state = Release(state, firstRequests.Requests, onAllPaths: false);
            }
            else
            {
                // The result is tested (or handed on): released until a branch learns that it failed.
                state = Release(state, firstRequests.Requests);
                state = state.WithOutcome(
                    TrackedLocation.ForOperation(invocation), new HandOffOutcome(before, isStatus: (roles & DdiRole.ForwardsRequest) != 0));
            }
        }

        // Driver-created requests: what the DDI does to the request it is given (before out arguments are written).
        if (requestValue.IsRequest && (roles & (DdiRole.FormatsRequest | DdiRole.SendsSynchronously | DdiRole.SendsRequest |
                                                 DdiRole.ReusesRequest | DdiRole.SetsCompletionRoutine | DdiRole.DeletesObject)) != 0)
        {
            state = StepCreated(state, invocation, roles, requestValue.Requests, values);
        }

        var retrieval = (roles & DdiRole.RetrievesFromRequest) != 0;
        var creation = (roles & (DdiRole.CreatesRequest | DdiRole.ReceivesRequest)) != 0;
        var memoryCreation = (roles & DdiRole.CreatesMemory) != 0;
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.RefKind != RefKind.Out || _context.LocationOf(argument.Value) is not { } target)
            {
                continue;
            }

            state = state.KillDependents(target);
            if (creation && _context.IsRequestType(target.Type))
            {
                state = ForgetCreated(state, target);
                state = NewRequest(state, target);
                if ((roles & DdiRole.ReceivesRequest) != 0 && FollowsQueueParameters && QueueArgument(invocation) is { IsVariable: true, Symbol: IParameterSymbol parameter } queue &&
                    SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, Function))
                {
                    state = state.WithOwners(target, QueuedRequests.InQueue(queue, target.Type).AsSet);
                }
                if ((roles & DdiRole.CreatesRequest) != 0)
                {
                    state = state.WithCreated(target, CreatedRequestFacts.Fresh);
                }
            }
            else if (retrieval && firstRequests.IsRequest && _context.IsBufferType(target.Type))
            {
                state = state.WithOwners(target, firstRequests.Requests);
            }
            else if (memoryCreation && SymbolEqualityComparer.Default.Equals(target.Type, _context.Api.WdfMemory))
            {
                state = state.WithOwners(target, TrackedLocation.Driver.AsSet);
            }
            else
            {
                state = state.WithOwners(target, RequestState.NoOwners);
            }

            state = state.Forget(target);
        }

        if ((roles & DdiRole.InitializesSendOptions) != 0 &&
            OperationUnwrap.Unwrap(DdiArguments.Argument(invocation, "Options", 0)?.Value) is ILocalReferenceOperation options &&
            DdiArguments.Argument(invocation, "Flags", 1)?.Value.ConstantValue is { HasValue: true, Value: uint flags } &&
            (flags & SynchronousOrForget) != 0)
        {
            state = state.WithSynchronousOptions(TrackedLocation.ForSymbol(options.Local));
        }

        if ((roles & DdiRole.DerivesFromArgument) != 0 && arguments.Length > 0)
        {
            result = new Value(values[0].Requests, isRequest: false);
        }

        return state;
    }

    /// <summary>A DDI's effect on the driver-created requests its request argument may be.</summary>
    private RequestState StepCreated(
        RequestState state, IInvocationOperation invocation, DdiRole roles, ImmutableHashSet<TrackedLocation> requests, ArgumentValues values)
    {
        foreach (var request in requests)
        {
            if (CreatedFactsOf(state, request) is not { } facts)
            {
                continue;
            }

            if ((roles & DdiRole.FormatsRequest) != 0)
            {
                var memory = MemoryOwners(state, invocation, values);
                facts = facts.AfterFormat(invocation, memory, holdsReference: memory.Length > 0);
            }
            else if ((roles & DdiRole.SendsSynchronously) != 0)
            {
                facts = facts.AfterSynchronousSend(invocation);
            }
            else if ((roles & DdiRole.SendsRequest) != 0)
            {
                facts = facts.AfterSend(invocation);
            }
            else if ((roles & DdiRole.ReusesRequest) != 0)
            {
                facts = facts.AfterReuse(invocation);
            }
            else if ((roles & DdiRole.SetsCompletionRoutine) != 0)
            {
                facts = facts.AfterSetRoutine(invocation);
            }
            else if ((roles & DdiRole.DeletesObject) != 0)
            {
                facts = CreatedRequestFacts.Fresh;
            }

            state = state.WithCreated(request, facts);
        }

        return state;
    }

    /// <summary>What a DDI does to the driver-created request it is given, as a helper's summary records it.</summary>
    public static HelperEffect HelperEffectOf(DdiRole roles)
    {
        if ((roles & DdiRole.ReusesRequest) != 0) return HelperEffect.Reuses;
        if ((roles & DdiRole.DeletesObject) != 0) return HelperEffect.Deletes;
        if ((roles & DdiRole.FormatsRequest) != 0) return HelperEffect.Formats;
        if ((roles & (DdiRole.SendsSynchronously | DdiRole.SendsRequest)) != 0) return HelperEffect.Sends;
        if ((roles & DdiRole.SetsCompletionRoutine) != 0) return HelperEffect.SetsRoutine;
        if ((roles & DdiRole.CompletesRequest) != 0) return HelperEffect.Completes;
        return HelperEffect.None;
    }

    private RequestState KillOutArguments(RequestState state, ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && _context.LocationOf(argument.Value) is { } target)
            {
                state = state.KillDependents(target);
                state = _context.IsFollowedRequestType(target.Type)
                    ? NewRequest(ForgetCreated(state, target), target)
                    : state.WithOwners(target, RequestState.NoOwners);
                state = state.Forget(target);
            }
        }

        return state;
    }

    private static RequestState KeepRequestArguments(RequestState state, ArgumentValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value.IsRequest)
            {
                state = Release(state, value.Requests);
            }
        }

        return state;
    }

    /// <summary>A lambda that captures a request keeps it (typically a completion routine or a work item).</summary>
    private RequestState KeepCaptured(RequestState state, IFlowAnonymousFunctionOperation lambda)
    {
        ControlFlowGraph body;
        try
        {
            body = _graph.GetAnonymousFunctionControlFlowGraphInScope(lambda, _cancellationToken);
        }
        catch (System.ArgumentException)
        {
            return state;
        }

        foreach (var key in CapturedLocations(body, lambda.Symbol))
        {
            if (_context.IsFollowedRequestType(key.Type))
            {
                state = Release(state, ResolveRequest(state, key));
            }
        }

        return state;
    }

    /// <summary>The locals and parameters of enclosing methods that a lambda or local function body refers to.</summary>
    internal static ImmutableHashSet<TrackedLocation> CapturedLocations(ControlFlowGraph body, IMethodSymbol function)
    {
        var captured = ImmutableHashSet<TrackedLocation>.Empty;
        foreach (var block in body.Blocks)
        {
            foreach (var operation in BlockOperations(block))
            {
                foreach (var node in operation.DescendantsAndSelf())
                {
                    ISymbol? symbol = node switch
                    {
                        ILocalReferenceOperation local => local.Local,
                        IParameterReferenceOperation parameter => parameter.Parameter,
                        _ => null,
                    };

                    if (symbol is not null && !IsDeclaredWithin(symbol, function))
                    {
                        captured = captured.Add(TrackedLocation.ForSymbol(symbol));
                    }
                }
            }
        }

        return captured;
    }

    private static bool IsDeclaredWithin(ISymbol symbol, IMethodSymbol function)
    {
        for (var container = symbol.ContainingSymbol; container is not null; container = container.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(container, function))
            {
                return true;
            }

            if (container is not IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
            {
                return false;
            }
        }

        return false;
    }

    internal static IEnumerable<IOperation> BlockOperations(BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is { } branch)
        {
            yield return branch;
        }
    }

    private RequestSummary? Summarize(IMethodSymbol method) =>
        _context.Summaries.Get(method, _graph, _options, _helperDepth, _visiting, _cancellationToken);

    /// <summary>The abstract value of one operation: the requests it is, or who owns it.</summary>
    private readonly struct Value
    {
        public static readonly Value None = new(RequestState.NoOwners, isRequest: false);

        public Value(ImmutableHashSet<TrackedLocation> requests, bool isRequest)
        {
            Requests = requests;
            IsRequest = isRequest;
        }

        /// <summary>For a request, the root requests it may be; for anything else, who owns it.</summary>
        public ImmutableHashSet<TrackedLocation> Requests { get; }

        public bool IsRequest { get; }
    }

    /// <summary>The values of a call's arguments, on the evaluation stack, by position (the order of <c>Arguments</c>).</summary>
    private readonly struct ArgumentValues
    {
        private readonly Value[] _stack;
        private readonly int _first;
        private readonly ImmutableArray<IArgumentOperation> _arguments;

        public ArgumentValues(Value[] stack, int first, ImmutableArray<IArgumentOperation> arguments)
        {
            _stack = stack;
            _first = first;
            _arguments = arguments;
        }

        public int Count => _arguments.Length;

        public Value this[int index] => _stack[_first + index];

        /// <summary>The value of the argument whose value operation is <paramref name="value"/>.</summary>
        public Value Of(IOperation? value)
        {
            for (var i = 0; i < _arguments.Length; i++)
            {
                if (ReferenceEquals(_arguments[i].Value, value))
                {
                    return this[i];
                }
            }

            return Value.None;
        }
    }

    /// <summary>Facts recorded as they are (a snapshot of the facts before a hand-off keeps the initial ones too).</summary>
    private sealed class AlwaysKeptFacts : FactLattice<RequestFacts>
    {
        public static readonly AlwaysKeptFacts Instance = new();

        public override bool AreEqual(RequestFacts left, RequestFacts right) => left.SameAs(right);

        public override RequestFacts Join(RequestFacts left, RequestFacts right) => RequestFacts.Join(left, right);
    }
}
