using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>A call whose NTSTATUS is owed a test: a checked copy (DRV021) or a retrieve (DRV022).</summary>
internal sealed class StatusCall : IEquatable<StatusCall>
{
    public StatusCall(IInvocationOperation invocation, ValueKey? status)
    {
        Ddi = invocation.TargetMethod.Name;
        Location = invocation.Syntax.GetLocation();
        Status = status;
    }

    private StatusCall(string ddi, Location location, ValueKey? status)
    {
        Ddi = ddi;
        Location = location;
        Status = status;
    }

    public string Ddi { get; }

    public Location Location { get; }

    /// <summary>The variable holding the call's status, or null once it was dropped or overwritten.</summary>
    public ValueKey? Status { get; }

    public StatusCall WithoutStatus() => new(Ddi, Location, null);

    public bool Equals(StatusCall? other) => other is not null && Location.Equals(other.Location) && Equals(Status, other.Status);

    public override bool Equals(object? obj) => Equals(obj as StatusCall);

    public override int GetHashCode() => Location.GetHashCode();
}

/// <summary>
/// The state of <see cref="StatusDomain"/>: which status variables hold an untested checked-copy status, and which
/// retrieved memory objects, buffers and MDLs come from a retrieve whose status may still be a failure.
/// Both are may-facts: they hold when they hold on some path. Immutable.
/// </summary>
internal sealed class StatusState
{
    public static readonly StatusState Unreached = new(true,
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>>.Empty, ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>>.Empty);

    public static readonly StatusState Empty = new(false,
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>>.Empty, ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>>.Empty);

    public StatusState(bool isUnreached, ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> untested,
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> pendingUses)
    {
        IsUnreached = isUnreached;
        Untested = untested;
        Unchecked = pendingUses;
    }

    public bool IsUnreached { get; }

    /// <summary>Status variable → the checked copies whose status it holds, not tested yet (DRV021).</summary>
    public ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> Untested { get; }

    /// <summary>Retrieved handle, pointer or MDL → the retrieves whose status may be a failure here (DRV022).</summary>
    public ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> Unchecked { get; }

    public StatusState With(
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>>? untested = null,
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>>? pendingUses = null) =>
        new(false, untested ?? Untested, pendingUses ?? Unchecked);

    public StatusState Join(StatusState other)
    {
        if (IsUnreached)
        {
            return other;
        }

        return other.IsUnreached ? this : new StatusState(false, Union(Untested, other.Untested), Union(Unchecked, other.Unchecked));
    }

    public bool StateEquals(StatusState other) =>
        IsUnreached == other.IsUnreached && SameEntries(Untested, other.Untested) && SameEntries(Unchecked, other.Unchecked);

    private static ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> Union(
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> left, ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> right)
    {
        var result = left;
        foreach (var entry in right)
        {
            result = result.SetItem(entry.Key, result.TryGetValue(entry.Key, out var calls) ? calls.Union(entry.Value) : entry.Value);
        }

        return result;
    }

    private static bool SameEntries(
        ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> left, ImmutableDictionary<ValueKey, ImmutableHashSet<StatusCall>> right) =>
        left.Count == right.Count && left.All(e => right.TryGetValue(e.Key, out var calls) && calls.SetEquals(e.Value));
}

/// <summary>
/// Status obligations (DRV021, DRV022): the NTSTATUS of <c>WdfMemoryCopyFromBuffer</c>/<c>CopyToBuffer</c>
/// stored in a variable and not read yet; the outputs of <c>WdfRequestRetrieve*</c> until a branch tests the
/// call's status (<c>NT_SUCCESS(status)</c>, <c>status == STATUS_SUCCESS</c>, or the output against NULL).
/// </summary>
internal sealed class StatusDomain : IStepwiseDomain<StatusState>
{
    private readonly DriverApi _api;

    /// <summary>Assignment targets the CFG spilled into flow captures (<c>status = Call(c ? a : b)</c>).</summary>
    private readonly CaptureAliases _aliases = new();

    public StatusDomain(DriverApi api) => _api = api;

    public StatusState Entry => StatusState.Empty;

    public StatusState Unreached => StatusState.Unreached;

    public StatusState Join(StatusState left, StatusState right) => left.Join(right);

    public bool AreEqual(StatusState left, StatusState right) => left.StateEquals(right);

    public StatusState Transfer(StatusState state, IOperation operation, CancellationToken cancellationToken) =>
        StepwiseDataflow.Transfer(this, state, operation, cancellationToken);

    public bool IsUnreached(StatusState state) => state.IsUnreached;

    /// <summary>The state after one operation (its children already stepped).</summary>
    public StatusState Step(StatusState state, IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when _aliases.AssignedKey(assignment.Target) is { } target:
                return Assign(state, target, assignment.Value);
            case IFlowCaptureOperation capture:
                _aliases.Note(capture);
                return Assign(state, ValueKey.ForCapture(capture.Id), capture.Value);
            case IInvocationOperation invocation when CopyDdis.Retrieve(_api, invocation.TargetMethod, out _) != RetrieveKind.None:
                return Retrieve(state, invocation);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IFlowCaptureReferenceOperation
                when IsRead(operation) && ValueKey.ForReference(operation) is { } read && state.Untested.ContainsKey(read):
                return state.With(untested: state.Untested.Remove(read));
            default:
                return state;
        }
    }

    private StatusState Assign(StatusState state, ValueKey target, IOperation value)
    {
        var untested = state.Untested.Remove(target);
        if (OperationUnwrap.Unwrap(value) is IInvocationOperation call && CopyDdis.IsCheckedCopy(_api, call.TargetMethod))
        {
            untested = untested.SetItem(target, ImmutableHashSet.Create(new StatusCall(call, target)));
        }
        else if (ValueKey.ForReference(value) is { } copiedStatus && state.Untested.TryGetValue(copiedStatus, out var moved))
        {
            // status2 = status: the test now may happen on either; reading status already cleared it.
            untested = untested.SetItem(target, moved);
        }

        // The status variable of pending retrieves is overwritten: their status can no longer be tested.
        // (Not the retrieve being assigned now: it has just recorded this very variable as its status.)
        var assigned = (OperationUnwrap.Unwrap(value) as IInvocationOperation)?.Syntax.GetLocation();
        bool Overwritten(StatusCall c) => target.Equals(c.Status) && !c.Location.Equals(assigned);
        var pendingUses = state.Unchecked;
        foreach (var entry in state.Unchecked)
        {
            if (entry.Value.Any(Overwritten))
            {
                pendingUses = pendingUses.SetItem(entry.Key, entry.Value.Select(c => Overwritten(c) ? c.WithoutStatus() : c).ToImmutableHashSet());
            }
        }

        // A retrieved output reassigned forgets its retrieve; a copy of one (also plus an offset) inherits it.
        pendingUses = pendingUses.Remove(target);
        if (RetrievedSource(value) is { } source && state.Unchecked.TryGetValue(source, out var calls))
        {
            pendingUses = pendingUses.SetItem(target, calls);
        }

        return state.With(untested, pendingUses);
    }

    /// <summary>The tracked pointer or handle <paramref name="value"/> copies (<c>p = buffer</c>, <c>p = buffer + 4</c>).</summary>
    private ValueKey? RetrievedSource(IOperation value)
    {
        var unwrapped = OperationUnwrap.Unwrap(value);
        if (unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } arithmetic &&
            SymbolEqualityComparer.Default.Equals(arithmetic.LeftOperand.Type, _api.Pvoid))
        {
            unwrapped = OperationUnwrap.Unwrap(arithmetic.LeftOperand);
        }

        return ValueKey.ForReference(unwrapped);
    }

    private StatusState Retrieve(StatusState state, IInvocationOperation invocation)
    {
        var status = StatusTarget(invocation, _aliases);
        var call = new StatusCall(invocation, status);
        var pendingUses = state.Unchecked;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out && IsBufferType(argument.Value.Type) &&
                ValueKey.ForReference(argument.Value) is { } output)
            {
                pendingUses = pendingUses.SetItem(output, ImmutableHashSet.Create(call));
            }
        }

        return state.With(pendingUses: pendingUses);
    }

    /// <summary>The variable a call's status is stored in (<c>status = Call(...)</c>), or null.</summary>
    public static ValueKey? StatusTarget(IInvocationOperation invocation, CaptureAliases? aliases = null)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is ISimpleAssignmentOperation assignment
            ? aliases?.AssignedKey(assignment.Target) ?? ValueKey.ForReference(assignment.Target)
            : null;
    }

    private bool IsBufferType(ITypeSymbol? type) =>
        SymbolEqualityComparer.Default.Equals(type, _api.Pvoid) ||
        SymbolEqualityComparer.Default.Equals(type, _api.WdfMemory) ||
        SymbolEqualityComparer.Default.Equals(type, _api.Pmdl);

    public StatusState AssumeCondition(StatusState state, IOperation condition, bool whenTrue)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        var operation = StepwiseDataflow.StripNegations(condition, ref whenTrue);

        if (operation is IInvocationOperation invocation && _api.IsWdm(invocation.TargetMethod, CopyDdis.NtSuccess) && invocation.Arguments.Length == 1)
        {
            return whenTrue ? Succeeded(state, invocation.Arguments[0].Value) : state;
        }

        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary)
        {
            var equal = binary.OperatorKind == BinaryOperatorKind.Equals ? whenTrue : !whenTrue;
            if (IsStatusSuccess(binary.RightOperand) || IsStatusSuccess(binary.LeftOperand))
            {
                return equal ? Succeeded(state, IsStatusSuccess(binary.RightOperand) ? binary.LeftOperand : binary.RightOperand) : state;
            }

            if (!equal && (IsNull(binary.RightOperand) || IsNull(binary.LeftOperand)) &&
                ValueKey.ForReference(IsNull(binary.RightOperand) ? binary.LeftOperand : binary.RightOperand) is { } nonNull)
            {
                return state.With(pendingUses: state.Unchecked.Remove(nonNull));
            }
        }

        return state;
    }

    /// <summary>The branch where the status <paramref name="tested"/> is a success: its retrieves' outputs are valid.</summary>
    private static StatusState Succeeded(StatusState state, IOperation tested)
    {
        tested = OperationUnwrap.Unwrap(tested)!;
        var key = tested is ISimpleAssignmentOperation assignment ? ValueKey.ForReference(assignment.Target) : ValueKey.ForReference(tested);
        var call = (tested is ISimpleAssignmentOperation a ? OperationUnwrap.Unwrap(a.Value) : tested) as IInvocationOperation;
        var callLocation = call?.Syntax.GetLocation();

        var pendingUses = state.Unchecked;
        foreach (var entry in state.Unchecked)
        {
            var remaining = entry.Value.Where(c => !(key is not null && key.Equals(c.Status)) && !c.Location.Equals(callLocation)).ToImmutableHashSet();
            pendingUses = remaining.IsEmpty ? pendingUses.Remove(entry.Key) : pendingUses.SetItem(entry.Key, remaining);
        }

        return state.With(pendingUses: pendingUses);
    }

    private bool IsStatusSuccess(IOperation operation) =>
        OperationUnwrap.Unwrap(operation) is IFieldReferenceOperation field && _api.IsConstant(field.Field, CopyDdis.StatusSuccess);

    private bool IsNull(IOperation operation)
    {
        var unwrapped = OperationUnwrap.Unwrap(operation);
        return unwrapped is IDefaultValueOperation ||
               (unwrapped is ILiteralOperation && unwrapped.ConstantValue is { HasValue: true, Value: null }) ||
               (unwrapped is IFieldReferenceOperation field && (_api.IsConstant(field.Field, "NULL") || _api.IsConstant(field.Field, "WDF_NO_HANDLE")));
    }

    /// <summary>True when the reference reads the variable (not the target of an assignment or an <c>out</c> argument).</summary>
    public static bool IsRead(IOperation reference)
    {
        var parent = reference.Parent;
        if (parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
        {
            return false;
        }

        if (parent is IDeclarationExpressionOperation)
        {
            return false;
        }

        return parent is not IArgumentOperation { Parameter.RefKind: RefKind.Out };
    }

    /// <summary>
    /// True when <paramref name="reference"/> uses a retrieved output: anything but assigning it, copying it to
    /// another variable (which inherits the obligation), or comparing it with NULL.
    /// </summary>
    public bool IsUse(IOperation reference)
    {
        if (!IsRead(reference))
        {
            return false;
        }

        var parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case ISimpleAssignmentOperation:
            case IFlowCaptureOperation:
                return false;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals }:
                return false;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } arithmetic
                when arithmetic.Parent is ISimpleAssignmentOperation or IConversionOperation { Parent: ISimpleAssignmentOperation }:
                return false;
            default:
                return true;
        }
    }

    /// <summary>The calls whose status <paramref name="state"/> still owes a test, per status variable.</summary>
    public static IEnumerable<StatusCall> UntestedCalls(StatusState state) => state.Untested.Values.SelectMany(c => c);
}
