using System.Collections.Generic;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>What is known, on every path, about neither-I/O user addresses.</summary>
internal abstract class UserAddressFact : System.IEquatable<UserAddressFact>
{
    public abstract bool Equals(UserAddressFact? other);

    public override bool Equals(object? obj) => obj is UserAddressFact other && Equals(other);

    public override int GetHashCode() => GetType().GetHashCode();
}

/// <summary>A variable that holds a user-mode address (or an offset into one) and where that address came from.</summary>
internal sealed class UserPointer : UserAddressFact
{
    public UserPointer(object origin, IOperation source, string sourceName)
    {
        Origin = origin;
        Source = source;
        SourceName = sourceName;
    }

    /// <summary>The key probes are recorded under: an <see cref="MemberAddressKey"/> or the retrieving call.</summary>
    public object Origin { get; }

    public IOperation Source { get; }

    /// <summary>"Irp.UserBuffer" or the DDI that retrieved the address.</summary>
    public string SourceName { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is UserPointer o && Equals(o.Origin, Origin) && ReferenceEquals(o.Source, Source);
}

/// <summary>How a user address was made safe to touch.</summary>
internal enum ProbeKind
{
    /// <summary>
    /// <c>WdfRequestProbeAndLockUserBuffer*</c> (the pages are locked; no exception to guard), or a branch where the
    /// IRP's <c>RequestorMode</c> is <c>KernelMode</c>.
    /// </summary>
    Locked,

    /// <summary><c>ProbeFor*</c> inside the try block of a try/catch: safe to touch inside a try/catch.</summary>
    InTry,

    /// <summary><c>ProbeFor*</c> outside any try/catch: a bad address raises an unhandled exception.</summary>
    WithoutTry,
}

/// <summary>An origin that was probed (keyed by the origin) on every path.</summary>
internal sealed class Probed : UserAddressFact
{
    public Probed(ProbeKind kind, ControlFlowRegion? tryRegion, IOperation probe)
    {
        Kind = kind;
        TryRegion = tryRegion;
        Probe = probe;
    }

    public ProbeKind Kind { get; }

    public ControlFlowRegion? TryRegion { get; }

    public IOperation Probe { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is Probed o && o.Kind == Kind && ReferenceEquals(o.TryRegion, TryRegion) && ReferenceEquals(o.Probe, Probe);

    /// <summary>
    /// True when an access in <paramref name="block"/> is covered by this probe: the address was locked, or it was
    /// probed inside a try/catch and the access is inside a try/catch too (the probe's or another one: each touch
    /// of user memory must be guarded, as MSDN asks).
    /// </summary>
    public bool Covers(BasicBlock? block) =>
        Kind == ProbeKind.Locked ||
        (Kind == ProbeKind.InTry && UserAddressDomain.EnclosingTry(block) is not null);
}

/// <summary>
/// The origin of a user address read from a member: <c>irp.UserBuffer</c> for one IRP variable, or
/// <c>Parameters.DeviceIoControl.Type3InputBuffer</c> of one IRP's (or stack-location variable's) stack location.
/// Every read of it is the same user address.
/// </summary>
internal sealed class MemberAddressKey
{
    public MemberAddressKey(ISymbol root, string member)
    {
        Root = root;
        Member = member;
    }

    public ISymbol Root { get; }

    public string Member { get; }

    public override bool Equals(object? obj) =>
        obj is MemberAddressKey other && other.Member == Member && SymbolEqualityComparer.Default.Equals(other.Root, Root);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Root) ^ Member.GetHashCode();
}

/// <summary>A stack-location local that holds <c>IoGetCurrentIrpStackLocation(irp)</c> on every path.</summary>
internal sealed class StackLocationOf : UserAddressFact
{
    public StackLocationOf(ISymbol irp) => Irp = irp;

    public ISymbol Irp { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is StackLocationOf o && SymbolEqualityComparer.Default.Equals(o.Irp, Irp);
}

/// <summary>
/// DRV042's dataflow: which locals hold a neither-I/O user address (<c>Irp.UserBuffer</c>,
/// <c>WdfRequestRetrieveUnsafeUserInputBuffer/OutputBuffer</c>, copies and offsets of them), and which of those
/// addresses were probed (<c>ProbeForRead/ProbeForWrite</c>, noting the try block they ran in) or locked
/// (<c>WdfRequestProbeAndLockUserBufferForRead/Write</c>) on every path.
/// </summary>
internal sealed class UserAddressDomain : FactFlowDomain<UserAddressFact>
{
    public const string UserBuffer = nameof(UserBuffer);
    public const string Type3InputBuffer = nameof(Type3InputBuffer);
    public const string MmGetMdlVirtualAddress = nameof(MmGetMdlVirtualAddress);

    public static readonly string[] UnsafeRetrievers =
    {
        "WdfRequestRetrieveUnsafeUserInputBuffer", "WdfRequestRetrieveUnsafeUserOutputBuffer",
    };

    private static readonly string[] Probes = { "ProbeForRead", "ProbeForWrite" };

    private static readonly string[] Locks =
    {
        "WdfRequestProbeAndLockUserBufferForRead", "WdfRequestProbeAndLockUserBufferForWrite",
    };

    private readonly DriverApi _api;
    private readonly IoModeSymbols _symbols;

    private readonly ISymbol? _owner;
    private readonly Dictionary<IMethodSymbol, bool> _mayProbe = new(SymbolEqualityComparer.Default);

    /// <param name="graph">The control flow graph of one method, lambda or local function.</param>
    /// <param name="symbols">The API's symbols.</param>
    /// <param name="owner">The method, lambda or local function of <paramref name="graph"/>: user addresses read from
    /// variables it captures from an enclosing method were probed (or not) there, and are left alone here.</param>
    public UserAddressDomain(ControlFlowGraph graph, IoModeSymbols symbols, ISymbol? owner)
        : base(graph)
    {
        _symbols = symbols;
        _api = symbols.Api;
        _owner = owner;
    }

    protected override UserAddressFact? JoinFacts(UserAddressFact left, UserAddressFact right)
    {
        switch (left)
        {
            case UserPointer l when right is UserPointer r && Equals(l.Origin, r.Origin):
                return l.Source.Syntax.SpanStart <= r.Source.Syntax.SpanStart ? l : r;
            case Probed l when right is Probed r:
                return JoinProbes(l, r);
            default:
                return null;
        }
    }

    /// <summary>The weaker of two probes: what holds whichever path was taken.</summary>
    private static Probed? JoinProbes(Probed left, Probed right)
    {
        if (left.Kind == ProbeKind.Locked)
        {
            return right;
        }

        if (right.Kind == ProbeKind.Locked)
        {
            return left;
        }

        if (left.Kind == ProbeKind.WithoutTry)
        {
            return left;
        }

        if (right.Kind == ProbeKind.WithoutTry)
        {
            return right;
        }

        // Both probed inside a try/catch: either serves (the access must be inside a try/catch in any case).
        return left.Probe.Syntax.SpanStart <= right.Probe.Syntax.SpanStart ? left : right;
    }

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
                    when _api.IsWdm(invocation.TargetMethod, MmGetMdlVirtualAddress) &&
                         IoModeSymbols.Argument(invocation, 0)?.Value is { } mdl &&
                         IoModeSymbols.Unwrap(mdl) is IPropertyReferenceOperation mdlAddress &&
                         IoModeSymbols.IsProperty(mdlAddress.Property, _symbols.Irp, "MdlAddress"):
                    // The user-mode virtual address of the direct-I/O buffer, not a system mapping of it.
                    return MemberPointerOf(invocation, IoModeSymbols.VariableOf(mdlAddress.Instance), MmGetMdlVirtualAddress);
                case ILocalReferenceOperation or IParameterReferenceOperation:
                    return state.Get(IoModeSymbols.VariableOf(current)) as UserPointer;
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

    /// <summary>A user address read from <paramref name="member"/> of <paramref name="root"/>, or null when the root is captured.</summary>
    private UserPointer? MemberPointer(IPropertyReferenceOperation read, ISymbol? root, string member) =>
        MemberPointerOf(read, root, member);

    private UserPointer? MemberPointerOf(IOperation read, ISymbol? root, string member)
    {
        // Only IRPs (and stack locations) held in this function's own locals and parameters: the same address read
        // through a field, a call or a captured variable cannot be matched with its probe, so it is left alone.
        if (root is null || (_owner is not null && !SymbolEqualityComparer.Default.Equals(root.ContainingSymbol, _owner)))
        {
            return null;
        }

        return new UserPointer(new MemberAddressKey(root, member), read, read.Syntax.ToString());
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
        return state.Get(variable) is StackLocationOf known ? known.Irp : variable;
    }

    private ISymbol? IrpOfCurrentStackLocation(IOperation value) =>
        IoModeSymbols.Unwrap(value) is IInvocationOperation invocation &&
        _api.IsWdm(invocation.TargetMethod, "IoGetCurrentIrpStackLocation")
            ? IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, 0)?.Value)
            : null;

    protected override FactMap<UserAddressFact> Step(FactMap<UserAddressFact> state, IOperation operation, BasicBlock? block)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                if (IoModeSymbols.VariableOf(assignment.Target) is { } variable)
                {
                    if (IrpOfCurrentStackLocation(assignment.Value) is { } stackOf)
                    {
                        return state.Set(variable, new StackLocationOf(stackOf));
                    }

                    return Evaluate(assignment.Value, state) is { } pointer
                        ? state.Set(variable, pointer)
                        : state.Remove(variable);
                }

                if (assignment.Target is IPropertyReferenceOperation property &&
                    IoModeSymbols.IsProperty(property.Property, _symbols.Irp, UserBuffer) &&
                    IoModeSymbols.VariableOf(property.Instance) is { } irp)
                {
                    return state.Remove(new MemberAddressKey(irp, UserBuffer));
                }

                return state;

            case ICompoundAssignmentOperation compound:
                // p += offset keeps pointing into the same user buffer.
                return compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract &&
                       IsPvoid(compound.Target.Type)
                    ? state
                    : state.Remove(IoModeSymbols.VariableOf(compound.Target));

            case IIncrementOrDecrementOperation increment:
                return state.Remove(IoModeSymbols.VariableOf(increment.Target));

            case IDeconstructionAssignmentOperation:
                return state.RemoveWhere((key, _) => key is ISymbol);

            case IInvocationOperation invocation:
                return StepInvocation(state, invocation, block);

            default:
                return state;
        }
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
                state = state.Remove(IoModeSymbols.VariableOf(argument.Value));
            }
        }

        if (!_api.IsDdi(method))
        {
            return MayProbeCached(method) ? TrustHelper(state, before, invocation) : state;
        }

        foreach (var name in UnsafeRetrievers)
        {
            if (_api.IsWdf(method, name) &&
                IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, 2)?.Value) is { } buffer)
            {
                return state.Remove(invocation).Set(buffer, new UserPointer(invocation, invocation, name));
            }
        }

        foreach (var name in Probes)
        {
            if (_api.IsWdm(method, name) &&
                Evaluate(IoModeSymbols.Argument(invocation, 0)?.Value, before) is { } pointer)
            {
                var tryRegion = EnclosingTry(block);
                return state.Set(
                    pointer.Origin,
                    new Probed(tryRegion is null ? ProbeKind.WithoutTry : ProbeKind.InTry, tryRegion, invocation));
            }
        }

        foreach (var name in Locks)
        {
            if (_api.IsWdf(method, name) &&
                Evaluate(IoModeSymbols.Argument(invocation, 1)?.Value, before) is { } pointer)
            {
                return state.Set(pointer.Origin, new Probed(ProbeKind.Locked, null, invocation));
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
                state = state.Set(pointer.Origin, trusted);
            }

            var root = IoModeSymbols.VariableOf(value) is { } variable
                ? (before.Get(variable) as StackLocationOf)?.Irp ?? variable
                : IrpOfCurrentStackLocation(value);
            if (root is not null)
            {
                state = state.Set(new MemberAddressKey(root, UserBuffer), trusted)
                    .Set(new MemberAddressKey(root, Type3InputBuffer), trusted)
                    .Set(new MemberAddressKey(root, MmGetMdlVirtualAddress), trusted);
            }
        }

        return state;
    }

    private bool MayProbeCached(IMethodSymbol method)
    {
        if (!_mayProbe.TryGetValue(method, out var result))
        {
            _mayProbe[method] = result =
                !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _api.Wdf.ContainingAssembly) &&
                MayProbe(method);
        }

        return result;
    }

    /// <summary>
    /// True when a method that is not a DDI may probe what it is given: its source (if in this compilation)
    /// names ProbeForRead/ProbeForWrite, MmProbeAndLockPages or WdfRequestProbeAndLockUserBuffer*, or it has no
    /// source to look at (except the API's and the framework's own methods). A cheap syntactic summary, used only
    /// to stay silent.
    /// </summary>
    private static bool MayProbe(IMethodSymbol method)
    {
        var declarations = method.OriginalDefinition.DeclaringSyntaxReferences;
        if (declarations.IsEmpty)
        {
            return !method.ContainingAssembly.Name.StartsWith("System", System.StringComparison.Ordinal) &&
                   method.ContainingAssembly.Name != "mscorlib" && method.ContainingAssembly.Name != "netstandard";
        }

        foreach (var reference in declarations)
        {
            foreach (var token in reference.GetSyntax().DescendantTokens())
            {
                if (token.ValueText is "ProbeForRead" or "ProbeForWrite" or "MmProbeAndLockPages" or
                    "WdfRequestProbeAndLockUserBufferForRead" or "WdfRequestProbeAndLockUserBufferForWrite")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// On the branch where <c>irp.RequestorMode</c> is <c>KernelMode</c> the buffer comes from kernel-mode code and
    /// needs no probe: <c>irp.UserBuffer</c> counts as checked there.
    /// </summary>
    public override FactMap<UserAddressFact> AssumeCondition(FactMap<UserAddressFact> state, IOperation condition, bool whenTrue)
    {
        var value = IoModeSymbols.BooleanTested(condition, ref whenTrue);
        if (value is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary)
        {
            return state;
        }

        var (mode, constant) = RequestorModeOf(binary.LeftOperand) is { } left
            ? (left, binary.RightOperand)
            : (RequestorModeOf(binary.RightOperand), binary.LeftOperand);
        if (mode is null || IoModeSymbols.Unwrap(constant) is not IFieldReferenceOperation field ||
            !(_api.IsConstant(field.Field, "KernelMode") || _api.IsConstant(field.Field, "UserMode")))
        {
            return state;
        }

        var equal = whenTrue == (binary.OperatorKind == BinaryOperatorKind.Equals);
        var kernelMode = equal == (field.Field.Name == "KernelMode");
        return kernelMode ? state.Set(new MemberAddressKey(mode, UserBuffer), new Probed(ProbeKind.Locked, null, condition)) : state;
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
        type is not null && SymbolEqualityComparer.Default.Equals(type, _api.Pvoid);
}
