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

using DriverBuffers.Analyzers.Analyses.Sizes;

namespace DriverBuffers.Analyzers.Analyses.Statuses;

/// <summary>
/// Status obligations (DRV021, DRV022): the NTSTATUS of <c>WdfMemoryCopyFromBuffer</c>/<c>CopyToBuffer</c>
/// stored in a variable and not read yet; the outputs of <c>WdfRequestRetrieve*</c> until a branch tests the
/// call's status (<c>NT_SUCCESS(status)</c>, <c>status == STATUS_SUCCESS</c>, or the output against NULL).
/// </summary>
internal sealed class StatusDomain : IDataflowDomain<StatusState>
{
    private readonly SizeDdis _ddis;
    private readonly DriverApi _api;
    private readonly SizeLocations _locations;
    private readonly OperationSteps<StatusState> _steps;

    /// <summary>Assignment targets the CFG spilled into flow captures (<c>status = Call(c ? a : b)</c>).</summary>
    private readonly CaptureSources _spilled;

    private readonly Func<IMethodSymbol, ImmutableArray<RetrievedOutput>>? _retrievingHelper;
    private readonly Dictionary<IMethodSymbol, ImmutableArray<RetrievedOutput>> _helperOutputs = new(SymbolEqualityComparer.Default);

    /// <param name="retrievingHelper">The buffers a helper of the driver hands out from its retrieves (<see cref="RetrievingHelpers"/>).</param>
    public StatusDomain(SizeDdis ddis, SizeLocations locations, Func<IMethodSymbol, ImmutableArray<RetrievedOutput>>? retrievingHelper = null)
    {
        _retrievingHelper = retrievingHelper;
        _ddis = ddis;
        _api = ddis.Api;
        _locations = locations;
        _spilled = new CaptureSources(value => locations.Of(value) is { } location && KnownSizesDomain.IsStorage(location) ? location : null);
        _steps = new OperationSteps<StatusState>(Step, s => s.IsUnreached);
    }

    public StatusState Entry => StatusState.Empty;

    public StatusState Unreached => StatusState.Unreached;

    public StatusState Join(StatusState left, StatusState right) => StatusState.Join(left, right);

    public bool AreEqual(StatusState left, StatusState right) => StatusState.AreEqual(left, right);

    /// <summary>Every operation of the root, in evaluation order.</summary>
    public StatusState Transfer(StatusState state, IOperation operation, CancellationToken cancellationToken) =>
        _steps.Transfer(state, operation, cancellationToken);

    /// <summary>
    /// Replays the solved function into <paramref name="events"/>: what the status rules observe (<see cref="Record"/>) at
    /// every reached operation that can be observed (<see cref="IsObservable"/>), with the state just before it.
    /// </summary>
    public void Replay(DataflowResult<StatusState> result, List<StatusEvent> events, CancellationToken cancellationToken) =>
        _steps.Replay(result, IsObservable, (operation, state) => Record(operation, state, events), cancellationToken);

    /// <summary>The operations <see cref="Record"/> may observe: assignments (an untested status overwritten) and reads.</summary>
    private static bool IsObservable(IOperation operation) =>
        operation is ISimpleAssignmentOperation or ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
            or IFlowCaptureReferenceOperation;

    /// <summary>What the status rules observe at <paramref name="operation"/>, with the state just before it.</summary>
    private void Record(IOperation operation, StatusState state, List<StatusEvent> events)
    {
        if (operation is ISimpleAssignmentOperation assignment && !state.Untested.IsEmpty &&
            _locations.Of(assignment.Target) is { } target && state.Untested.TryGetValue(target, out var overwritten))
        {
            events.Add(new StatusEvent(StatusEventKind.Overwritten, assignment, target, overwritten));
        }

        if (operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IFlowCaptureReferenceOperation &&
            !state.Unchecked.IsEmpty && _locations.Of(operation) is { } used && state.Unchecked.TryGetValue(used, out var retrieves) && IsUse(operation))
        {
            events.Add(new StatusEvent(StatusEventKind.UsedUnchecked, operation, used, retrieves));
        }
    }

    /// <summary>The location a reference refers to, or null.</summary>
    public TrackedLocation? LocationOf(IOperation? operation) => _locations.Of(operation);

    /// <summary>The state after one operation (its children already stepped).</summary>
    public StatusState Step(StatusState state, IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when (_spilled.Of(assignment.Target) ?? _locations.Of(assignment.Target)) is { } target:
                return Assign(state, target, assignment.Value);
            case IFlowCaptureOperation capture:
                _spilled.Note(capture);
                return Assign(state, TrackedLocation.ForCapture(capture.Id, capture.Value.Type), capture.Value);
            case IInvocationOperation invocation when _ddis.Retrieve(invocation.TargetMethod, out _) != RetrieveKind.None:
                return Retrieve(state, invocation);
            case IInvocationOperation invocation when RetrievedThrough(invocation.TargetMethod) is { IsEmpty: false } outputs:
                return RetrieveThroughHelper(OutArgumentsWritten(state, invocation), invocation, outputs);
            case IInvocationOperation invocation when !state.Unchecked.IsEmpty:
                return OutArgumentsWritten(state, invocation);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IFlowCaptureReferenceOperation
                when !state.Untested.IsEmpty && IsRead(operation) && _locations.Of(operation) is { } read && state.Untested.ContainsKey(read):
                return state.With(untested: state.Untested.Remove(read));
            default:
                return state;
        }
    }

    private StatusState Assign(StatusState state, TrackedLocation target, IOperation value)
    {
        var untested = state.Untested.Remove(target);
        if (OperationUnwrap.Unwrap(value) is IInvocationOperation call && _ddis.IsCheckedCopy(call.TargetMethod))
        {
            untested = untested.SetItem(target, ImmutableHashSet.Create(new StatusCall(call, target)), StatusCallSetLattice.Instance);
        }
        else if (!state.Untested.IsEmpty && _locations.Of(value) is { } copiedStatus && state.Untested.TryGetValue(copiedStatus, out var moved))
        {
            // status2 = status: the test now may happen on either; reading status already cleared it.
            untested = untested.SetItem(target, moved, StatusCallSetLattice.Instance);
        }

        if (state.Unchecked.IsEmpty)
        {
            return state.With(untested);
        }

        // The status location of pending retrieves is overwritten: their status can no longer be tested.
        // (Not the retrieve being assigned now: it has just recorded this very location as its status.)
        var pendingUses = state.Unchecked;
        if (state.StatusLocations.ContainsKey(target))
        {
            var assigned = (OperationUnwrap.Unwrap(value) as IInvocationOperation)?.Syntax.GetLocation();
            foreach (var entry in state.Unchecked)
            {
                WorkMeter.Steps(1);
                if (AnyOverwritten(entry.Value, target, assigned))
                {
                    var rewritten = ImmutableHashSet.CreateBuilder<StatusCall>();
                    foreach (var pending in entry.Value)
                    {
                        rewritten.Add(IsOverwritten(pending, target, assigned) ? pending.WithoutStatus() : pending);
                    }

                    pendingUses = pendingUses.SetItem(entry.Key, rewritten.ToImmutable(), StatusCallSetLattice.Instance);
                }
            }
        }

        // A retrieved output reassigned forgets its retrieve; a copy of one (also plus an offset) inherits it.
        pendingUses = pendingUses.Remove(target);
        if (RetrievedSource(value) is { } source && state.Unchecked.TryGetValue(source, out var calls))
        {
            pendingUses = pendingUses.SetItem(target, calls, StatusCallSetLattice.Instance);
        }

        return state.With(untested, pendingUses);
    }

    /// <summary>True when a call of <paramref name="calls"/> kept its status in <paramref name="target"/> and is not the call assigned now.</summary>
    private static bool AnyOverwritten(ImmutableHashSet<StatusCall> calls, TrackedLocation target, Location? assigned)
    {
        foreach (var call in calls)
        {
            if (IsOverwritten(call, target, assigned))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOverwritten(StatusCall call, TrackedLocation target, Location? assigned) =>
        target.Equals(call.Status) && !call.Location.Equals(assigned);

    /// <summary>
    /// A call that is not a retrieve writes its <c>out</c> arguments (C# requires it): what they held before, and the
    /// retrieve it came from, is gone (a helper that retrieves and checks the status itself hands out a valid buffer).
    /// </summary>
    private StatusState OutArgumentsWritten(StatusState state, IInvocationOperation invocation)
    {
        var pendingUses = state.Unchecked;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out && _locations.Of(argument.Value) is { } written)
            {
                pendingUses = pendingUses.Remove(written);
            }
        }

        return state.With(@unchecked: pendingUses);
    }

    /// <summary>The tracked pointer or handle <paramref name="value"/> copies (<c>p = buffer</c>, <c>p = buffer + 4</c>).</summary>
    private TrackedLocation? RetrievedSource(IOperation value)
    {
        var unwrapped = OperationUnwrap.Unwrap(value);
        if (unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } arithmetic &&
            SymbolEqualityComparer.Default.Equals(arithmetic.LeftOperand.Type, _api.Pvoid))
        {
            unwrapped = OperationUnwrap.Unwrap(arithmetic.LeftOperand);
        }

        return _locations.Of(unwrapped);
    }

    private StatusState Retrieve(StatusState state, IInvocationOperation invocation)
    {
        var status = StatusTarget(invocation, _spilled, _locations);
        var call = new StatusCall(invocation, status);
        var pendingUses = state.Unchecked;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out && IsBufferType(argument.Value.Type) &&
                _locations.Of(argument.Value) is { } output)
            {
                pendingUses = pendingUses.SetItem(output, ImmutableHashSet.Create(call), StatusCallSetLattice.Instance);
            }
        }

        var statusLocations = status is null ? state.StatusLocations : state.StatusLocations.SetItem(status, true, MayFlagLattice.Instance);
        return state.With(@unchecked: pendingUses, statusLocations: statusLocations);
    }

    /// <summary>The outputs a helper hands out from its retrieves, asked once per callee and function.</summary>
    private ImmutableArray<RetrievedOutput> RetrievedThrough(IMethodSymbol method)
    {
        if (_retrievingHelper is null || method.MethodKind != MethodKind.Ordinary)
        {
            return ImmutableArray<RetrievedOutput>.Empty;
        }

        if (!_helperOutputs.TryGetValue(method, out var outputs))
        {
            _helperOutputs[method] = outputs = _retrievingHelper(method);
        }

        return outputs;
    }

    /// <summary>
    /// A helper's call that hands out buffers it retrieved (<see cref="RetrievingHelpers"/>): like a retrieve, its outputs
    /// (<c>packet.reportBuffer</c> of <c>out packet</c>) wait for a test of the helper's status.
    /// </summary>
    private StatusState RetrieveThroughHelper(StatusState state, IInvocationOperation invocation, ImmutableArray<RetrievedOutput> outputs)
    {
        var status = StatusTarget(invocation, _spilled, _locations);
        var call = new StatusCall(invocation, status);
        var pendingUses = state.Unchecked;
        foreach (var output in outputs)
        {
            var argument = _locations.Of(SizeDdis.Argument(invocation, output.Parameter));
            var location = output.Member is null ? argument : argument?.Member(output.Member);
            if (location is not null)
            {
                pendingUses = pendingUses.SetItem(location, ImmutableHashSet.Create(call), StatusCallSetLattice.Instance);
            }
        }

        var statusLocations = status is null ? state.StatusLocations : state.StatusLocations.SetItem(status, true, MayFlagLattice.Instance);
        return state.With(@unchecked: pendingUses, statusLocations: statusLocations);
    }

    /// <summary>The location a call's status is stored in (<c>status = Call(...)</c>), or null.</summary>
    public static TrackedLocation? StatusTarget(IInvocationOperation invocation, CaptureSources? spilled, SizeLocations locations)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is ISimpleAssignmentOperation assignment
            ? spilled?.Of(assignment.Target) ?? locations.Of(assignment.Target)
            : null;
    }

    private bool IsBufferType(ITypeSymbol? type) => IsBufferType(_api, type);

    /// <summary>What a retrieve hands out: a <c>PVOID</c>, a <c>WDFMEMORY</c> or a <c>PMDL</c>.</summary>
    public static bool IsBufferType(DriverApi api, ITypeSymbol? type) =>
        SymbolEqualityComparer.Default.Equals(type, api.Pvoid) ||
        SymbolEqualityComparer.Default.Equals(type, api.WdfMemory) ||
        SymbolEqualityComparer.Default.Equals(type, api.Pmdl);

    public StatusState AssumeCondition(StatusState state, IOperation condition, bool whenTrue)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        var operation = BranchConditions.StripNegations(condition, ref whenTrue);

        if (operation is IInvocationOperation invocation && _ddis.IsNtSuccess(invocation.TargetMethod) && invocation.Arguments.Length == 1)
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
                _locations.Of(IsNull(binary.RightOperand) ? binary.LeftOperand : binary.RightOperand) is { } nonNull)
            {
                return state.With(@unchecked: state.Unchecked.Remove(nonNull));
            }
        }

        return state;
    }

    /// <summary>The branch where the status <paramref name="tested"/> is a success: its retrieves' outputs are valid.</summary>
    private StatusState Succeeded(StatusState state, IOperation tested)
    {
        tested = OperationUnwrap.Unwrap(tested)!;
        var key = tested is ISimpleAssignmentOperation assignment ? _locations.Of(assignment.Target) : _locations.Of(tested);
        var call = (tested is ISimpleAssignmentOperation a ? OperationUnwrap.Unwrap(a.Value) : tested) as IInvocationOperation;
        var callLocation = call?.Syntax.GetLocation();

        var pendingUses = state.Unchecked;
        foreach (var entry in state.Unchecked)
        {
            var remaining = entry.Value.Where(c => !(key is not null && key.Equals(c.Status)) && !c.Location.Equals(callLocation)).ToImmutableHashSet();
            WorkMeter.Steps(1);
            pendingUses = remaining.IsEmpty ? pendingUses.Remove(entry.Key) : pendingUses.SetItem(entry.Key, remaining, StatusCallSetLattice.Instance);
        }

        return state.With(@unchecked: pendingUses);
    }

    private bool IsStatusSuccess(IOperation operation) =>
        OperationUnwrap.Unwrap(operation) is IFieldReferenceOperation field && _api.IsConstant(field.Field, SizeDdis.StatusSuccess);

    private bool IsNull(IOperation operation) => IsNull(_api, operation);

    /// <summary><c>default</c>, <c>null</c>, <c>NULL</c> or <c>WDF_NO_HANDLE</c>.</summary>
    public static bool IsNull(DriverApi api, IOperation operation)
    {
        var unwrapped = OperationUnwrap.Unwrap(operation);
        return unwrapped is IDefaultValueOperation ||
               (unwrapped is ILiteralOperation && unwrapped.ConstantValue is { HasValue: true, Value: null }) ||
               (unwrapped is IFieldReferenceOperation field && (api.IsConstant(field.Field, "NULL") || api.IsConstant(field.Field, "WDF_NO_HANDLE")));
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
    public static IEnumerable<StatusCall> UntestedCalls(StatusState state) => state.Untested.SelectMany(c => c.Value);
}
