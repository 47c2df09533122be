using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.UserAddresses;

/// <summary>
/// DRV042's dataflow: which locals hold a neither-I/O user address (<c>Irp.UserBuffer</c>,
/// <c>WdfRequestRetrieveUnsafeUserInputBuffer/OutputBuffer</c>, copies and offsets of them), and which of those
/// addresses were probed (<c>ProbeForRead/ProbeForWrite</c>, noting the try block they ran in) or locked
/// (<c>WdfRequestProbeAndLockUserBufferForRead/Write</c>) on every path.
/// </summary>
internal sealed class UserAddressDomain : MustFactDomain<UserAddressFact>
{
    public const string UserBuffer = nameof(UserBuffer);
    public const string Type3InputBuffer = nameof(Type3InputBuffer);
    public const string MmGetMdlVirtualAddress = nameof(MmGetMdlVirtualAddress);

    private readonly UserAddressAnalysis _analysis;
    private readonly DdiCatalog _catalog;
    private readonly IoModeSymbols _symbols;
    private readonly ISymbol? _owner;

    /// <param name="graph">The control flow graph of one method, lambda or local function.</param>
    /// <param name="analysis">The analysis (catalog, types, what helpers may probe).</param>
    /// <param name="owner">The method, lambda or local function of <paramref name="graph"/>: user addresses read from
    /// variables it captures from an enclosing method were probed (or not) there, and are left alone here.</param>
    public UserAddressDomain(ControlFlowGraph graph, UserAddressAnalysis analysis, ISymbol? owner)
        : base(graph, UserAddressLattice.Instance)
    {
        _analysis = analysis;
        _catalog = analysis.Catalog;
        _symbols = analysis.Symbols;
        _owner = owner;
    }

    /// <summary>The location of a member address (<c>irp.UserBuffer</c>, the stack location's <c>Type3InputBuffer</c>) of one IRP variable.</summary>
    public static TrackedLocation MemberAddress(ISymbol root, string member) =>
        TrackedLocation.Derived(member, ImmutableArray.Create(TrackedLocation.ForSymbol(root)), null, root.Name + "." + member);

    private static TrackedLocation? VariableLocation(IOperation? operation) =>
        IoModeSymbols.VariableOf(operation) is { } variable ? TrackedLocation.ForSymbol(variable) : null;

    /// <summary>The user address <paramref name="operation"/> evaluates to, or null when it is not one (or unknown).</summary>
    public UserPointer? Evaluate(IOperation? operation, FactMap<UserAddressFact> state)
    {
        var current = operation;
        for (var depth = 0; current is not null && depth < 16; depth++)
        {
            current = IoModeSymbols.Unwrap(current);
            switch (current)
            {
                case IPropertyReferenceOperation property
                    when IoModeSymbols.IsProperty(property.Property, _symbols.Irp, UserBuffer):
                    return MemberPointer(property, IoModeSymbols.VariableOf(property.Instance), UserBuffer);
                case IPropertyReferenceOperation property
                    when property.Property.Name == Type3InputBuffer &&
                         IsStackParametersMember(property.Instance, "DeviceIoControl", out var stack):
                    return MemberPointer(property, StackRoot(stack, state), Type3InputBuffer);
                case IInvocationOperation invocation
                    when IsUserVirtualAddressOfMdl(invocation.TargetMethod) &&
                         IoModeSymbols.Argument(invocation, 0)?.Value is { } mdl &&
                         IoModeSymbols.Unwrap(mdl) is IPropertyReferenceOperation mdlAddress &&
                         IoModeSymbols.IsProperty(mdlAddress.Property, _symbols.Irp, "MdlAddress"):
                    // The user-mode virtual address of the direct-I/O buffer, not a system mapping of it.
                    return MemberPointer(invocation, IoModeSymbols.VariableOf(mdlAddress.Instance), MmGetMdlVirtualAddress);
                case ILocalReferenceOperation or IParameterReferenceOperation:
                    return FactAt(state, VariableLocation(current)) as UserPointer;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary
                    when IsPvoid(binary.Type):
                    current = binary.LeftOperand;
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary><c>MmGetMdlVirtualAddress</c>: a WDM DDI that hands out a user address.</summary>
    private bool IsUserVirtualAddressOfMdl(IMethodSymbol method) =>
        _catalog.Has(method, DdiRole.RetrievesUserAddress) && !_catalog.IsWdf(method);

    /// <summary>A user address read from <paramref name="member"/> of <paramref name="root"/>, or null when the root is captured.</summary>
    private UserPointer? MemberPointer(IOperation read, ISymbol? root, string member)
    {
        // Only IRPs (and stack locations) held in this function's own locals and parameters: the same address read
        // through a field, a call or a captured variable cannot be matched with its probe, so it is left alone.
        if (root is null || (_owner is not null && !SymbolEqualityComparer.Default.Equals(root.ContainingSymbol, _owner)))
        {
            return null;
        }

        return new UserPointer(MemberAddress(root, member), read, read.Syntax.ToString());
    }

    /// <summary>True for <c>X.Parameters.&lt;member&gt;</c> of an <c>IO_STACK_LOCATION</c>; <paramref name="stack"/> is X.</summary>
    private bool IsStackParametersMember(IOperation? operation, string member, out IOperation? stack)
    {
        stack = null;
        if (operation is IPropertyReferenceOperation inner && inner.Property.Name == member &&
            SymbolEqualityComparer.Default.Equals(inner.Property.ContainingType, _symbols.StackParameters) &&
            inner.Instance is IPropertyReferenceOperation { Property.Name: "Parameters" } parameters &&
            SymbolEqualityComparer.Default.Equals(parameters.Property.ContainingType, _symbols.StackLocation))
        {
            stack = parameters.Instance;
            return stack is not null;
        }

        return false;
    }

    /// <summary>The IRP behind a stack-location expression (a call or a local known to hold one), else the variable itself.</summary>
    private ISymbol? StackRoot(IOperation? stack, FactMap<UserAddressFact> state)
    {
        if (stack is null)
        {
            return null;
        }

        if (IrpOfCurrentStackLocation(stack) is { } irp)
        {
            return irp;
        }

        var variable = IoModeSymbols.VariableOf(stack);
        return variable is not null && FactAt(state, TrackedLocation.ForSymbol(variable)) is StackLocationOf known ? known.Irp : variable;
    }

    private ISymbol? IrpOfCurrentStackLocation(IOperation value) =>
        IoModeSymbols.Unwrap(value) is IInvocationOperation invocation &&
        _catalog.Has(invocation.TargetMethod, DdiRole.GetsStackLocation)
            ? IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, 0)?.Value)
            : null;

    protected override FactMap<UserAddressFact> Step(FactMap<UserAddressFact> state, IOperation operation, BasicBlock? block)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                if (VariableLocation(assignment.Target) is { } variable)
                {
                    state = state.KillDependents(variable);
                    if (IrpOfCurrentStackLocation(assignment.Value) is { } stackOf)
                    {
                        return Set(state, variable, new StackLocationOf(stackOf));
                    }

                    if (IoModeSymbols.Unwrap(assignment.Value) is IInvocationOperation read && FetchOf(read, state) is { } fetch)
                    {
                        return Set(state, variable, new FetchedValue(fetch.Key, read));
                    }

                    return Set(state, variable, Evaluate(assignment.Value, state));
                }

                if (assignment.Target is IPropertyReferenceOperation property &&
                    IoModeSymbols.IsProperty(property.Property, _symbols.Irp, UserBuffer) &&
                    IoModeSymbols.VariableOf(property.Instance) is { } irp)
                {
                    return state.Remove(MemberAddress(irp, UserBuffer));
                }

                return state;

            case ICompoundAssignmentOperation compound:
                // p += offset keeps pointing into the same user buffer.
                return compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract &&
                       IsPvoid(compound.Target.Type)
                    ? state
                    : Kill(state, VariableLocation(compound.Target));

            case IIncrementOrDecrementOperation increment:
                return Kill(state, VariableLocation(increment.Target));

            case IDeconstructionAssignmentOperation:
                foreach (var key in new List<TrackedLocation>(state.Keys))
                {
                    if (key.IsVariable)
                    {
                        state = state.Kill(key);
                    }
                }

                return state;

            case IInvocationOperation invocation:
                return StepInvocation(state, invocation, block);

            default:
                return state;
        }
    }

    private static FactMap<UserAddressFact> Kill(FactMap<UserAddressFact> state, TrackedLocation? location) =>
        location is null ? state : state.Kill(location);

    /// <summary>
    /// For <c>p.Read&lt;T&gt;(offset)</c> of a user address at a constant offset (also <c>(p + k).Read</c>): the location of
    /// that fetch (<c>Derived("Fetch@offset:T", [origin])</c>) and the address; else null.
    /// </summary>
    public (TrackedLocation Key, UserPointer Pointer)? FetchOf(IInvocationOperation read, FactMap<UserAddressFact> state)
    {
        if (read.Instance is not { } instance || read.TargetMethod.Name != "Read" || read.TargetMethod.TypeArguments.Length != 1 ||
            !UserMemoryAccess.IsPointerAccessor(read.TargetMethod, _catalog.Api.Pvoid) ||
            IoModeSymbols.Argument(read, 0)?.Value.ConstantValue is not { HasValue: true, Value: { } offsetValue })
        {
            return null;
        }

        var offset = System.Convert.ToInt64(offsetValue, System.Globalization.CultureInfo.InvariantCulture);
        var address = IoModeSymbols.Unwrap(instance);
        for (var i = 0; i < 8 && address is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add && IsPvoid(add.Type); i++)
        {
            if (IoModeSymbols.Unwrap(add.RightOperand).ConstantValue is not { HasValue: true, Value: { } step })
            {
                return null;
            }

            offset += System.Convert.ToInt64(step, System.Globalization.CultureInfo.InvariantCulture);
            address = IoModeSymbols.Unwrap(add.LeftOperand);
        }

        if (Evaluate(address, state) is not { } pointer)
        {
            return null;
        }

        var kind = "Fetch@" + offset.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + read.TargetMethod.TypeArguments[0].ToDisplayString();
        return (TrackedLocation.Derived(kind, ImmutableArray.Create(pointer.Origin), read.Type, pointer.SourceName), pointer);
    }

    /// <summary>A branch that tests a value read from user memory (directly, or through the local it went to) checks that fetch.</summary>
    private FactMap<UserAddressFact> MarkChecked(FactMap<UserAddressFact> state, IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var (fetch, read) = operation switch
            {
                ILocalReferenceOperation local when FactAt(state, TrackedLocation.ForSymbol(local.Local)) is FetchedValue value => (value.Fetch, value.Read),
                IInvocationOperation inPlace when FetchOf(inPlace, state) is { } key => (key.Key, inPlace),
                _ => (null, null),
            };
            if (fetch is not null && read is not null && FactAt(state, fetch) is not Fetched)
            {
                state = Set(state, fetch, new Fetched(read, isChecked: true));
            }
        }

        return state;
    }

    private FactMap<UserAddressFact> StepInvocation(
        FactMap<UserAddressFact> state, IInvocationOperation invocation, BasicBlock? block)
    {
        var method = invocation.TargetMethod;
        var before = state;

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
            {
                state = Kill(state, VariableLocation(argument.Value));
            }
        }

        if (!_catalog.IsDdi(method))
        {
            return _analysis.MayProbe(method) ? TrustHelper(state, before, invocation) : state;
        }

        var roles = _catalog.RolesOf(method);
        if ((roles & DdiRole.RetrievesUserAddress) != 0 && _catalog.IsWdf(method))
        {
            // WdfRequestRetrieveUnsafeUser*Buffer(request, minimum, out buffer, out length)
            if (VariableLocation(IoModeSymbols.Argument(invocation, 2)?.Value) is { } buffer)
            {
                var origin = TrackedLocation.ForOperation(invocation);
                return Set(state.Remove(origin), buffer, new UserPointer(origin, invocation, method.Name));
            }

            return state;
        }

        if ((roles & DdiRole.ProbesUserAddress) != 0)
        {
            if (_catalog.IsWdf(method))
            {
                // WdfRequestProbeAndLockUserBufferFor*(request, buffer, length, out memory): locked, nothing to guard.
                return Evaluate(IoModeSymbols.Argument(invocation, 1)?.Value, before) is { } locked
                    ? Set(state, locked.Origin, new Probed(ProbeKind.Locked, null, invocation))
                    : state;
            }

            if (Evaluate(IoModeSymbols.Argument(invocation, 0)?.Value, before) is { } pointer)
            {
                var tryRegion = EnclosingTry(block);
                return Set(
                    state,
                    pointer.Origin,
                    new Probed(tryRegion is null ? ProbeKind.WithoutTry : ProbeKind.InTry, tryRegion, invocation));
            }
        }

        return state;
    }

    /// <summary>
    /// A helper given a user address, or the IRP (or stack location) it comes from, that may probe it: what it was
    /// given counts as checked from here on (the helper's own accesses are its business).
    /// </summary>
    private FactMap<UserAddressFact> TrustHelper(
        FactMap<UserAddressFact> state, FactMap<UserAddressFact> before, IInvocationOperation invocation)
    {
        var trusted = new Probed(ProbeKind.Locked, null, invocation);
        var arguments = new List<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            arguments.Add(argument.Value);
        }

        if (invocation.Instance is { } instance)
        {
            arguments.Add(instance);
        }

        foreach (var value in arguments)
        {
            if (Evaluate(value, before) is { } pointer)
            {
                state = Set(state, pointer.Origin, trusted);
            }

            var root = IoModeSymbols.VariableOf(value) is { } variable
                ? (FactAt(before, TrackedLocation.ForSymbol(variable)) as StackLocationOf)?.Irp ?? variable
                : IrpOfCurrentStackLocation(value);
            if (root is not null)
            {
                state = Set(state, MemberAddress(root, UserBuffer), trusted);
                state = Set(state, MemberAddress(root, Type3InputBuffer), trusted);
                state = Set(state, MemberAddress(root, MmGetMdlVirtualAddress), trusted);
            }
        }

        return state;
    }

    /// <summary>
    /// On the branch where <c>irp.RequestorMode</c> is <c>KernelMode</c> the buffer comes from kernel-mode code and
    /// needs no probe: <c>irp.UserBuffer</c> counts as checked there.
    /// </summary>
    protected override FactMap<UserAddressFact> Assume(FactMap<UserAddressFact> state, IOperation condition, bool whenTrue)
    {
        state = MarkChecked(state, condition);
        var value = IoModeSymbols.BooleanTested(condition, ref whenTrue);
        if (value is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary)
        {
            return state;
        }

        var (mode, constant) = RequestorModeOf(binary.LeftOperand) is { } left
            ? (left, binary.RightOperand)
            : (RequestorModeOf(binary.RightOperand), binary.LeftOperand);
        var api = _catalog.Api;
        if (mode is null || IoModeSymbols.Unwrap(constant) is not IFieldReferenceOperation field ||
            !(api.IsConstant(field.Field, "KernelMode") || api.IsConstant(field.Field, "UserMode")))
        {
            return state;
        }

        var equal = whenTrue == (binary.OperatorKind == BinaryOperatorKind.Equals);
        var kernelMode = equal == (field.Field.Name == "KernelMode");
        return kernelMode ? Set(state, MemberAddress(mode, UserBuffer), new Probed(ProbeKind.Locked, null, condition)) : state;
    }

    /// <summary>The IRP variable when <paramref name="operation"/> is <c>irp.RequestorMode</c>.</summary>
    private ISymbol? RequestorModeOf(IOperation operation) =>
        IoModeSymbols.Unwrap(operation) is IPropertyReferenceOperation property &&
        IoModeSymbols.IsProperty(property.Property, _symbols.Irp, "RequestorMode")
            ? IoModeSymbols.VariableOf(property.Instance)
            : null;

    /// <summary>The innermost <c>try</c> block (of a try/catch) that contains <paramref name="block"/>.</summary>
    internal static ControlFlowRegion? EnclosingTry(BasicBlock? block)
    {
        for (var region = block?.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try &&
                region.EnclosingRegion?.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                return region;
            }
        }

        return null;
    }

    public bool IsPvoid(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, _catalog.Api.Pvoid);
}
