using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// A completion routine of a driver-created request: its <c>Request</c> parameter IS that request, and inside
/// the routine the variable or field it was registered through names the same request.
/// </summary>
internal sealed class RoutineContext
{
    public RoutineContext(IParameterSymbol request, IParameterSymbol? context, ISymbol? alias, string? routineName, bool holdsReference)
    {
        Request = request;
        Context = context;
        Alias = alias;
        RoutineName = routineName;
        HoldsReference = holdsReference;
    }

    /// <summary>False when the request is known to be formatted only with memory the driver owns.</summary>
    public bool HoldsReference { get; }

    public IParameterSymbol Request { get; }

    public IParameterSymbol? Context { get; }

    /// <summary>The local, captured variable or field the routine was registered through.</summary>
    public ISymbol? Alias { get; }

    /// <summary>The routine's name when it can name itself (a method or local function); null for a lambda.</summary>
    public string? RoutineName { get; }

    public RequestKey Key => RequestKey.ForSymbol(Request);

    public static RoutineContext? ForMethod(IMethodSymbol method, ISymbol? alias, string? routineName, bool holdsReference)
    {
        var parameters = method.Parameters;
        if (parameters.Length < 1 || parameters[0].Type.Name != "WDFREQUEST")
        {
            return null;
        }

        return new RoutineContext(parameters[0], parameters.Length > 3 ? parameters[3] : null, alias, routineName, holdsReference);
    }
}

/// <summary>
/// The reuse rules' dataflow domain over one body (method, local function or lambda): per driver-created
/// request (a local from <c>WdfRequestCreate</c>, a field that holds one, a completion routine's own request),
/// its <see cref="RequestFacts"/>. <see cref="Step"/> is the effect of one operation; the analyzer replays it
/// with the solved states to report.
/// </summary>
internal sealed class ReuseDomain : IDataflowDomain<ReuseState>
{
    private readonly DriverApi _api;
    private readonly ReuseModel _model;
    private readonly RoutineContext? _routine;
    private readonly int _helperDepth;
    private readonly IMethodSymbol _owner;
    private readonly CancellationToken _cancellationToken;

    public ReuseDomain(
        DriverApi api, ReuseModel model, IMethodSymbol owner, RoutineContext? routine, ReuseState entry, int helperDepth,
        CancellationToken cancellationToken)
    {
        _owner = owner;
        _api = api;
        _model = model;
        _routine = routine;
        Entry = entry;
        _helperDepth = helperDepth;
        _cancellationToken = cancellationToken;
    }

    public ReuseState Entry { get; }

    public ReuseState Unreached => ReuseState.Unreached;

    public RoutineContext? Routine => _routine;

    public ReuseState Join(ReuseState left, ReuseState right) => left.Join(right);

    public bool AreEqual(ReuseState left, ReuseState right) => left.SameAs(right);

    /// <summary>
    /// On the edge where a format's status is a failure (<c>if (!NT_SUCCESS(status))</c> after
    /// <c>status = WdfIoTargetFormatRequestFor…(…)</c>, or the format inside <c>NT_SUCCESS</c>), the format took no
    /// reference on the memory.
    /// </summary>
    public ReuseState AssumeCondition(ReuseState state, IOperation condition, bool whenTrue)
    {
        if (state.Requests is null)
        {
            return state;
        }

        var operation = OperationUnwrap.Unwrap(condition);
        for (var i = 0; i < 8 && operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not; i++)
        {
            whenTrue = !whenTrue;
            operation = OperationUnwrap.Unwrap(not.Operand);
        }

        if (whenTrue || operation is not IInvocationOperation check || !_api.IsWdm(check.TargetMethod, "NT_SUCCESS") ||
            check.Arguments.Length != 1)
        {
            return state;
        }

        var status = OperationUnwrap.Unwrap(check.Arguments[0].Value);
        foreach (var pair in state.Requests)
        {
            if (pair.Value.Format is { } format && IsStatusOf(status, format))
            {
                var facts = pair.Value;
                state = state.With(pair.Key, new RequestFacts(
                    false, null, facts.Sent, facts.Send, facts.SentOrigin, facts.RoutineCleared, facts.Reuse, facts.RoutineSet, facts.LastRoutine));
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

    public ReuseState Transfer(ReuseState state, IOperation operation, CancellationToken cancellationToken)
    {
        foreach (var op in OperationOrder.PostOrder(operation))
        {
            cancellationToken.ThrowIfCancellationRequested();
            state = Step(state, op);
        }

        return state;
    }

    /// <summary>The key of a request reference, mapped to the routine's own request where it names it.</summary>
    public RequestKey? KeyOf(IOperation? operation)
    {
        if (RequestKey.From(operation) is not { } key)
        {
            return null;
        }

        if (_routine?.Alias is { } alias &&
            SymbolEqualityComparer.Default.Equals(key.Symbol.OriginalDefinition, alias.OriginalDefinition))
        {
            return _routine.Key;
        }

        return key;
    }

    /// <summary>The facts of a driver-created request; a field that holds one starts in the state an earlier call left.</summary>
    public RequestFacts? FactsOf(ReuseState state, RequestKey key)
    {
        if (state[key] is { } facts)
        {
            return facts;
        }

        if (!key.IsField || !_model.IsDriverCreatedMember(key.Symbol.OriginalDefinition))
        {
            return null;
        }

        var member = key.Symbol.OriginalDefinition;
        return RequestFacts.FieldEntry(
            _model.IsSentMember(member) && !_model.FreshOnEveryCall(_owner, member, _cancellationToken));
    }

    /// <summary>The state after <paramref name="operation"/> alone (its children are stepped before it).</summary>
    public ReuseState Step(ReuseState state, IOperation operation)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        switch (operation)
        {
            case IInvocationOperation invocation:
                return StepInvocation(state, invocation);

            case ISimpleAssignmentOperation assignment when KeyOf(assignment.Target) is { } target:
                if (KeyOf(assignment.Value) is { } source && FactsOf(state, source) is { } copied)
                {
                    return state.With(target, copied);
                }

                return target.IsField ? state : state.Without(target);

            default:
                return state;
        }
    }

    private ReuseState StepInvocation(ReuseState state, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!_api.IsDdi(method))
        {
            return StepHelper(state, invocation);
        }

        if (_api.IsWdf(method, ReuseDdis.WdfRequestCreate))
        {
            return KeyOf(ReuseDdis.RequestArgument(invocation)) is { } created ? state.With(created, RequestFacts.Fresh) : state;
        }

        if (KeyOf(ReuseDdis.RequestArgument(invocation)) is not { } key || FactsOf(state, key) is not { } facts)
        {
            return state;
        }

        if (ReuseDdis.IsFormat(_api, method))
        {
            return state.With(key, facts.AfterFormat(invocation, FormatMemory(invocation).Count > 0));
        }

        if (ReuseDdis.IsSynchronousSend(_api, method))
        {
            return state.With(key, facts.AfterSynchronousSend(invocation));
        }

        if (_api.IsWdf(method, ReuseDdis.WdfRequestSend))
        {
            return state.With(key, facts.AfterSend(invocation));
        }

        if (_api.IsWdf(method, ReuseDdis.WdfRequestReuse))
        {
            return state.With(key, facts.AfterReuse(invocation));
        }

        if (_api.IsWdf(method, ReuseDdis.WdfRequestSetCompletionRoutine))
        {
            return state.With(key, facts.AfterSetRoutine(invocation));
        }

        if (_api.IsWdf(method, ReuseDdis.WdfObjectDelete))
        {
            return state.With(key, RequestFacts.Fresh);
        }

        return state;
    }

    /// <summary>What a helper method does to the driver-created requests passed to it, from its summary.</summary>
    public HelperEffect EffectOn(IInvocationOperation call, IArgumentOperation argument) =>
        argument.Parameter is { } parameter
            ? _model.Helpers.EffectOn(call.TargetMethod, parameter.Ordinal, _helperDepth, _cancellationToken)
            : HelperEffect.None;

    /// <summary>What a helper call does to requests held in fields of <c>this</c> (the same object as the caller's).</summary>
    public IReadOnlyDictionary<ISymbol, HelperEffect> MemberEffectsOf(IInvocationOperation call) =>
        call.TargetMethod.IsStatic || OperationUnwrap.Unwrap(call.Instance) is null or IInstanceReferenceOperation
            ? _model.Helpers.MemberEffects(call.TargetMethod, _helperDepth, _cancellationToken)
            : new Dictionary<ISymbol, HelperEffect>(SymbolEqualityComparer.Default);

    /// <summary>The key of a field of <c>this</c>, mapped to the routine's own request where it names it.</summary>
    public RequestKey Canonical(ISymbol member) =>
        _routine?.Alias is { } alias && SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, alias.OriginalDefinition)
            ? _routine.Key
            : RequestKey.ForSymbol(member);

    private ReuseState StepHelper(ReuseState state, IInvocationOperation call)
    {
        if (_helperDepth <= 0 || call.TargetMethod.DeclaringSyntaxReferences.IsEmpty)
        {
            return state;
        }

        foreach (var argument in call.Arguments)
        {
            if (KeyOf(argument.Value) is { } key && FactsOf(state, key) is { } facts)
            {
                state = Apply(state, key, facts, EffectOn(call, argument), call);
            }
        }

        foreach (var pair in MemberEffectsOf(call))
        {
            var key = Canonical(pair.Key);
            if (FactsOf(state, key) is { } facts)
            {
                state = Apply(state, key, facts, pair.Value, call);
            }
        }

        return state;
    }

    private static ReuseState Apply(ReuseState state, RequestKey key, RequestFacts facts, HelperEffect effect, IInvocationOperation call)
    {
        if (effect == HelperEffect.None)
        {
            return state;
        }

        if ((effect & HelperEffect.Reuses) != 0) facts = facts.AfterReuse(call);
        if ((effect & HelperEffect.Formats) != 0) facts = facts.AfterFormat(call, holdsReference: true);
        if ((effect & HelperEffect.SetsRoutine) != 0) facts = facts.AfterSetRoutine(call);
        if ((effect & HelperEffect.Sends) != 0) facts = facts.AfterSend(call);
        if ((effect & HelperEffect.Deletes) != 0) facts = RequestFacts.Fresh;
        return state.With(key, facts);
    }

    /// <summary>The memory arguments of a format that are not null handles.</summary>
    public List<IOperation> FormatMemory(IInvocationOperation format) => ReuseDdis.FormatMemory(_api, format);
}
