using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// The request-lifetime analysis: which request every memory object, buffer pointer and MDL belongs to (through
/// locals, <c>out</c> arguments, pointer arithmetic, <c>WdfMemoryGetBuffer</c>, <c>MmGetSystemAddressForMdlSafe</c>,
/// flow captures), and each request's state along every path: live, completed or maybe completed; owned by the
/// driver, or let go of (completed, forwarded, sent, kept). Calls of helpers in the same compilation apply their
/// <see cref="MethodSummary"/>; calls of unknown methods that are given a request count as keeping it.
/// </summary>
internal sealed class RequestLifetimeDomain : IDataflowDomain<RequestLifetimeState>
{
    private readonly ControlFlowGraph _graph;
    private readonly MethodSummaries? _summaries;
    private readonly LifetimeOptions _options;
    private readonly int _helperDepth;
    private readonly ImmutableHashSet<IMethodSymbol> _visiting;

    public RequestLifetimeDomain(
        RequestOrigins origins,
        ControlFlowGraph graph,
        MethodSummaries? summaries,
        LifetimeOptions options,
        int helperDepth,
        ImmutableHashSet<IMethodSymbol> visiting,
        RequestLifetimeState? entry = null)
    {
        Origins = origins;
        _graph = graph;
        _summaries = summaries;
        _options = options;
        _helperDepth = helperDepth;
        _visiting = visiting;
        Entry = entry ?? RequestLifetimeState.Empty;
    }

    public RequestOrigins Origins { get; }

    public RequestLifetimeState Entry { get; }

    public RequestLifetimeState Unreached => RequestLifetimeState.Unreached;

    public RequestLifetimeState Join(RequestLifetimeState left, RequestLifetimeState right) =>
        RequestLifetimeState.Join(left, right);

    public bool AreEqual(RequestLifetimeState left, RequestLifetimeState right) =>
        RequestLifetimeState.AreEqual(left, right);

    public RequestLifetimeState Transfer(RequestLifetimeState state, IOperation operation, CancellationToken cancellationToken) =>
        Process(state, operation, observer: null, cancellationToken);

    /// <summary>
    /// Refines the state on a branch that tests the outcome of <c>WdfRequestSend</c> (a <c>bool</c>) or of
    /// <c>WdfRequestForwardToIoQueue</c> (through <c>NT_SUCCESS</c>): where the hand-off failed, the driver still
    /// owns the request.
    /// </summary>
    public RequestLifetimeState AssumeCondition(RequestLifetimeState state, IOperation condition, bool whenTrue)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        if (BoolConstant(condition) is { } constant)
        {
            // while (true), if (false): the other edge is never taken.
            return constant == whenTrue ? state : RequestLifetimeState.Unreached;
        }

        var (tested, truth, isStatus) = Peel(condition, whenTrue);
        state = Correlate(state, tested, truth);
        return state.Outcomes.IsEmpty ? state : Apply(state, tested, truth, isStatus);
    }

    /// <summary>
    /// What a condition tests: conversions, <c>!</c>, <c>== true/false</c> and <c>NT_SUCCESS(...)</c> peeled off, with
    /// the outcome the edge stands for (for <c>NT_SUCCESS</c>, whether the status is a success).
    /// </summary>
    private (IOperation Tested, bool Truth, bool IsStatus) Peel(IOperation condition, bool whenTrue)
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
                case IInvocationOperation invocation when Origins.IsNtSuccess(invocation.TargetMethod) && invocation.Arguments.Length == 1:
                    return (OperationUnwrap.Unwrap(invocation.Arguments[0].Value)!, truth, true);
            }

            break;
        }

        return (OperationUnwrap.Unwrap(current)!, truth, false);
    }

    /// <summary>
    /// Remembers the outcome of a test of a local <c>bool</c> (or <c>NT_SUCCESS</c> of a local <c>NTSTATUS</c>) on this
    /// edge; where the two outcomes met before and nothing changed since, takes the facts of the matching side.
    /// </summary>
    private static RequestLifetimeState Correlate(RequestLifetimeState state, IOperation tested, bool truth)
    {
        if (tested is not (ILocalReferenceOperation or IParameterReferenceOperation) || ValueKey.TryCreate(tested) is not { } key)
        {
            return state;
        }

        if (state.Branches.TryGetValue(key, out var known) && known.Truth is null &&
            RequestLifetimeState.FactsEqual(known.Joined!, state.Requests))
        {
            state = state.WithRequests(truth ? known.WhenTrue! : known.WhenFalse!);
        }

        return state.WithBranch(key, BranchCorrelation.Marker(truth));
    }

    private static bool? BoolConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: bool value } ? value : null;

    private static RequestLifetimeState Apply(RequestLifetimeState state, IOperation tested, bool succeeded, bool isStatus)
    {
        tested = OperationUnwrap.Unwrap(tested)!;
        var key = tested is IInvocationOperation ? ValueKey.ForOperation(tested) : ValueKey.TryCreate(tested);
        if (key is null || !state.Outcomes.TryGetValue(key.Value, out var outcome) || outcome.IsStatus != isStatus)
        {
            return state;
        }

        foreach (var pair in outcome.FactsBefore)
        {
            var current = state.FactsOf(pair.Key);

            // Succeeded: the target or queue has the request. Failed: the driver still owns it, as before the call.
            var ownership = succeeded ? OwnershipState.Released : pair.Value.Ownership;
            state = state.WithFacts(pair.Key, new RequestFacts(current.Completion, ownership, current.Site));
        }

        return state;
    }

    /// <summary>
    /// The state after the root operation <paramref name="root"/>, telling <paramref name="observer"/> (when given)
    /// of every use, completion and request call in evaluation order, each with the state just before it.
    /// </summary>
    public RequestLifetimeState Process(
        RequestLifetimeState state, IOperation root, IRequestLifetimeObserver? observer, CancellationToken cancellationToken) =>
        Run(state, root, observer, cancellationToken, out _);

    /// <summary>
    /// The requests the value of <paramref name="root"/> (a block's branch value, such as a returned expression) is or
    /// belongs to, in <paramref name="state"/>.
    /// </summary>
    public ImmutableHashSet<ValueKey> RequestsOf(RequestLifetimeState state, IOperation root, CancellationToken cancellationToken)
    {
        Run(state, root, observer: null, cancellationToken, out var value);
        return value.Requests;
    }

    private RequestLifetimeState Run(
        RequestLifetimeState state, IOperation root, IRequestLifetimeObserver? observer, CancellationToken cancellationToken, out Value rootValue)
    {
        rootValue = Value.None;
        if (state.IsUnreached)
        {
            return state;
        }

        var values = new Dictionary<IOperation, Value>();
        foreach (var operation in OperationOrder.PostOrder(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or
                    IFlowCaptureReferenceOperation:
                    values[operation] = Read(state, operation, observer, cancellationToken);
                    break;
                case IConversionOperation conversion:
                    values[operation] = ValueOf(values, conversion.Operand);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary:
                    {
                        var left = ValueOf(values, binary.LeftOperand).Requests;
                        var right = ValueOf(values, binary.RightOperand).Requests;
                        var union = left.IsEmpty ? right : right.IsEmpty ? left : left.Union(right);
                        values[operation] = new Value(union, isRequest: false);
                        break;
                    }

                case IFlowCaptureOperation capture:
                    state = state.WithOrigins(ValueKey.ForCapture(capture.Id, capture.Value.Type), ValueOf(values, capture.Value).Requests);
                    break;
                case ISimpleAssignmentOperation assignment:
                    state = Assign(state, assignment, ValueOf(values, assignment.Value));
                    values[operation] = ValueOf(values, assignment.Value);
                    break;
                case ICompoundAssignmentOperation compound when ValueKey.TryCreate(compound.Target) is { } target:
                    {
                        var added = ValueOf(values, compound.Value).Requests;
                        if (!added.IsEmpty)
                        {
                            state = state.WithOrigins(target, state.OriginsOf(target).Union(added));
                        }

                        break;
                    }

                case IInvocationOperation invocation:
                    state = Invoke(state, invocation, values, observer, cancellationToken);
                    break;
                case IObjectCreationOperation creation:
                    state = KeepRequestArguments(state, creation.Arguments, values);
                    break;
                case IFlowAnonymousFunctionOperation lambda:
                    state = KeepCaptured(state, lambda);
                    break;
            }
        }

        rootValue = ValueOf(values, root);
        return state;
    }

    private Value Read(RequestLifetimeState state, IOperation reference, IRequestLifetimeObserver? observer, CancellationToken cancellationToken)
    {
        if (ValueKey.TryCreate(reference) is not { } key || IsWritten(reference))
        {
            return Value.None;
        }

        if (Origins.IsRequestType(reference.Type))
        {
            return new Value(state.ResolveRequest(key), isRequest: true);
        }

        var requests = state.OriginsOf(key);
        if (!requests.IsEmpty && observer is not null && IsUse(reference, cancellationToken))
        {
            observer.OnUse(reference, key, requests, state);
        }

        return new Value(requests, isRequest: false);
    }

    private static Value ValueOf(Dictionary<IOperation, Value> values, IOperation? operation) =>
        operation is not null && values.TryGetValue(operation, out var value) ? value : Value.None;

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
    private bool IsUse(IOperation reference, CancellationToken cancellationToken)
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
                    !Origins.IsWdfDdi(call.TargetMethod) && !Origins.IsWdmDdi(call.TargetMethod) &&
                    Summarize(call.TargetMethod, cancellationToken) is { } summary)
                {
                    return summary.Uses(parameter);
                }

                return true;
            default:
                return false;
        }
    }

    private RequestLifetimeState Assign(RequestLifetimeState state, ISimpleAssignmentOperation assignment, Value value)
    {
        var target = ValueKey.TryCreate(assignment.Target);
        if (target is not { } key)
        {
            // Stored in an array element, a property or another object's field: the driver keeps the request.
            return value.IsRequest ? Release(state, value.Requests) : state;
        }

        state = state.Forget(key);
        if (key.Kind is ValueKeyKind.Local && BoolConstant(assignment.Value) is { } constant)
        {
            // A flag such as 'completed = true': a later test of it takes the facts of the paths that set it so.
            state = state.WithBranch(key, BranchCorrelation.Marker(constant));
        }

        if (value.IsRequest && key.Kind == ValueKeyKind.Field)
        {
            state = Release(state, value.Requests);
        }

        if (Origins.IsRequestType(key.Type) || Origins.IsRequestType(assignment.Target.Type))
        {
            state = value.IsRequest && !value.Requests.IsEmpty
                ? state.WithOrigins(key, value.Requests)
                : NewRequest(state, key);
        }
        else
        {
            state = state.WithOrigins(key, value.Requests);
        }

        var source = OperationUnwrap.Unwrap(assignment.Value);
        if (source is IInvocationOperation && state.Outcomes.TryGetValue(ValueKey.ForOperation(source), out var outcome))
        {
            state = state.WithOutcome(ValueKey.ForOperation(source), null).WithOutcome(key, outcome);
        }

        return state;
    }

    /// <summary>A request-typed location now holds a request the analysis has not seen: a new root, live and owned.</summary>
    private static RequestLifetimeState NewRequest(RequestLifetimeState state, ValueKey key) =>
        state.WithOrigins(key, RequestLifetimeState.NoRequests).WithFacts(key, RequestFacts.Initial);

    private static RequestLifetimeState Release(RequestLifetimeState state, ImmutableHashSet<ValueKey> requests, bool onAllPaths = true)
    {
        foreach (var request in requests)
        {
            state = state.WithFacts(request, state.FactsOf(request).Release(onAllPaths));
        }

        return state;
    }

    private static RequestLifetimeState Complete(
        RequestLifetimeState state, ImmutableHashSet<ValueKey> requests, CompletionSite site, bool onAllPaths)
    {
        // Completing one of several requests a value may be completes each of them only on some paths.
        var definite = onAllPaths && requests.Count == 1;
        foreach (var request in requests)
        {
            state = state.WithFacts(request, state.FactsOf(request).Complete(site, definite));
        }

        return state;
    }

    private RequestLifetimeState Invoke(
        RequestLifetimeState state,
        IInvocationOperation invocation,
        Dictionary<IOperation, Value> values,
        IRequestLifetimeObserver? observer,
        CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var isWdf = Origins.IsWdfDdi(method);
        if (isWdf || Origins.IsWdmDdi(method))
        {
            return InvokeDdi(state, invocation, values, observer, isWdf);
        }

        if (_options.IsCompletionHelper(method))
        {
            foreach (var argument in invocation.Arguments)
            {
                var value = ValueOf(values, argument.Value);
                if (value.IsRequest && !value.Requests.IsEmpty)
                {
                    observer?.OnCompletion(invocation, method.Name, value.Requests, state);
                    state = Complete(state, value.Requests, new CompletionSite(invocation.Syntax, method.Name), onAllPaths: true);
                    break;
                }
            }

            return KillOutArguments(state, invocation.Arguments);
        }

        var summary = Summarize(method, cancellationToken);
        if (summary is null)
        {
            // An unknown method given a request may keep it (store it, complete it later): no finding either way.
            state = KeepRequestArguments(state, invocation.Arguments, values);
            return KillOutArguments(state, invocation.Arguments);
        }

        foreach (var argument in invocation.Arguments)
        {
            var value = ValueOf(values, argument.Value);
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
            values[invocation] = new Value(
                MapInputs(state, summary.ReturnedFrom, invocation, values), isRequest: Origins.IsRequestType(method.ReturnType));
        }

        state = KillOutArguments(state, invocation.Arguments);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out } parameter &&
                summary.OutFrom.TryGetValue(ValueKey.ForSymbol(parameter.OriginalDefinition), out var inputs) &&
                ValueKey.TryCreate(argument.Value) is { } target && !Origins.IsRequestType(target.Type))
            {
                state = state.WithOrigins(target, MapInputs(state, inputs, invocation, values));
            }
        }

        return state;
    }

    /// <summary>The caller's requests behind a helper's inputs: its parameters (by argument) or captured variables.</summary>
    private ImmutableHashSet<ValueKey> MapInputs(
        RequestLifetimeState state, ImmutableHashSet<ValueKey> inputs, IInvocationOperation invocation, Dictionary<IOperation, Value> values)
    {
        var requests = RequestLifetimeState.NoRequests;
        foreach (var input in inputs)
        {
            if (input.Symbol is IParameterSymbol parameter &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, invocation.TargetMethod.OriginalDefinition))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is not null &&
                        SymbolEqualityComparer.Default.Equals(argument.Parameter.OriginalDefinition, parameter))
                    {
                        requests = requests.Union(ValueOf(values, argument.Value).Requests);
                    }
                }
            }
            else
            {
                requests = requests.Union(Origins.IsRequestType(input.Type) ? state.ResolveRequest(input) : state.OriginsOf(input));
            }
        }

        return requests;
    }

    private static RequestLifetimeState ApplyEffect(
        RequestLifetimeState state,
        IInvocationOperation invocation,
        IMethodSymbol method,
        RequestEffect effect,
        ImmutableHashSet<ValueKey> requests,
        IRequestLifetimeObserver? observer)
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
    private RequestLifetimeState ApplyCapturedEffects(
        RequestLifetimeState state,
        IInvocationOperation invocation,
        IMethodSymbol method,
        MethodSummary summary,
        IRequestLifetimeObserver? observer)
    {
        foreach (var used in summary.UsedValues)
        {
            if (!IsOwnSymbol(used, method) && observer is not null && state.OriginsOf(used) is { IsEmpty: false } requests)
            {
                observer.OnUse(invocation, used, requests, state);
            }
        }

        foreach (var pair in summary.Requests)
        {
            if (!IsOwnSymbol(pair.Key, method))
            {
                state = ApplyEffect(state, invocation, method, pair.Value, state.ResolveRequest(pair.Key), observer);
            }
        }

        return state;
    }

    private static bool IsOwnSymbol(ValueKey key, IMethodSymbol method) =>
        key.Symbol is { } symbol && SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, method);

    private RequestLifetimeState InvokeDdi(
        RequestLifetimeState state,
        IInvocationOperation invocation,
        Dictionary<IOperation, Value> values,
        IRequestLifetimeObserver? observer,
        bool isWdf)
    {
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments;
        var firstRequests = arguments.Length > 0 ? ValueOf(values, arguments[0].Value) : Value.None;

        if (Origins.IsCompletion(method))
        {
            if (firstRequests.IsRequest && !firstRequests.Requests.IsEmpty)
            {
                observer?.OnCompletion(invocation, method.Name, firstRequests.Requests, state);
                state = Complete(state, firstRequests.Requests, new CompletionSite(invocation.Syntax, method.Name), onAllPaths: true);
            }

            return state;
        }

        if (isWdf)
        {
            foreach (var argument in arguments)
            {
                var value = ValueOf(values, argument.Value);
                if (!value.IsRequest || value.Requests.IsEmpty || argument.Parameter is null ||
                    argument.Parameter.RefKind == RefKind.Out)
                {
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

        if ((Origins.IsSend(method) || Origins.IsForward(method)) && firstRequests.IsRequest)
        {
            var before = ImmutableDictionary<ValueKey, RequestFacts>.Empty;
            foreach (var request in firstRequests.Requests)
            {
                before = before.SetItem(request, state.FactsOf(request));
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
                state = state.WithOutcome(ValueKey.ForOperation(invocation), new HandOffOutcome(before, isStatus: Origins.IsForward(method)));
            }
        }

        var retrieval = Origins.IsRetrieval(method);
        var creation = Origins.IsCreation(method);
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.RefKind != RefKind.Out || ValueKey.TryCreate(argument.Value) is not { } target)
            {
                continue;
            }

            if (creation && Origins.IsRequestType(target.Type))
            {
                state = NewRequest(state, target);
            }
            else if (retrieval && firstRequests.IsRequest && Origins.IsFollowedType(target.Type))
            {
                state = state.WithOrigins(target, firstRequests.Requests);
            }
            else
            {
                state = state.WithOrigins(target, RequestLifetimeState.NoRequests);
            }

            state = state.Forget(target);
        }

        if (Origins.DerivesFromFirstArgument(method) && arguments.Length > 0)
        {
            values[invocation] = new Value(ValueOf(values, arguments[0].Value).Requests, isRequest: false);
        }

        return state;
    }

    private RequestLifetimeState KillOutArguments(RequestLifetimeState state, ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && ValueKey.TryCreate(argument.Value) is { } target)
            {
                state = Origins.IsRequestType(target.Type) ? NewRequest(state, target) : state.WithOrigins(target, RequestLifetimeState.NoRequests);
                state = state.Forget(target);
            }
        }

        return state;
    }

    private static RequestLifetimeState KeepRequestArguments(
        RequestLifetimeState state, ImmutableArray<IArgumentOperation> arguments, Dictionary<IOperation, Value> values)
    {
        foreach (var argument in arguments)
        {
            var value = ValueOf(values, argument.Value);
            if (value.IsRequest)
            {
                state = Release(state, value.Requests);
            }
        }

        return state;
    }

    /// <summary>A lambda that captures a request keeps it (typically a completion routine or a work item).</summary>
    private RequestLifetimeState KeepCaptured(RequestLifetimeState state, IFlowAnonymousFunctionOperation lambda)
    {
        ControlFlowGraph body;
        try
        {
            body = _graph.GetAnonymousFunctionControlFlowGraphInScope(lambda);
        }
        catch (System.ArgumentException)
        {
            return state;
        }

        foreach (var key in CapturedKeys(body, lambda.Symbol))
        {
            if (Origins.IsRequestType(key.Type))
            {
                state = Release(state, state.ResolveRequest(key));
            }
        }

        return state;
    }

    /// <summary>The locals and parameters of enclosing methods that a lambda or local function body refers to.</summary>
    internal static ImmutableHashSet<ValueKey> CapturedKeys(ControlFlowGraph body, IMethodSymbol function)
    {
        var captured = ImmutableHashSet<ValueKey>.Empty;
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
                        captured = captured.Add(ValueKey.ForSymbol(symbol));
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

    private MethodSummary? Summarize(IMethodSymbol method, CancellationToken cancellationToken) =>
        _summaries?.Get(method, _graph, _options, _helperDepth, _visiting, cancellationToken);

    /// <summary>The abstract value of one operation: the requests it is, or belongs to.</summary>
    private readonly struct Value
    {
        public static readonly Value None = new(RequestLifetimeState.NoRequests, isRequest: false);

        public Value(ImmutableHashSet<ValueKey> requests, bool isRequest)
        {
            Requests = requests;
            IsRequest = isRequest;
        }

        /// <summary>For a request, the root requests it may be; for anything else, the requests it belongs to.</summary>
        public ImmutableHashSet<ValueKey> Requests { get; }

        public bool IsRequest { get; }
    }
}
