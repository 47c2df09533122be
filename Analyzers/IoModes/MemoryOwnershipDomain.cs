using System;
using DriverBuffers.Analyzers.Api;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>What is known, on every path, about a WDFMEMORY, a request or a send-options variable.</summary>
internal abstract class OwnershipFact : IEquatable<OwnershipFact>
{
    public abstract bool Equals(OwnershipFact? other);

    public override bool Equals(object? obj) => obj is OwnershipFact other && Equals(other);

    public override int GetHashCode() => GetType().GetHashCode();
}

/// <summary>A WDFMEMORY variable and the call that created it.</summary>
internal sealed class MemoryOrigin : OwnershipFact
{
    public MemoryOrigin(bool preallocated, string ddi, IInvocationOperation creation)
    {
        Preallocated = preallocated;
        Ddi = ddi;
        Creation = creation;
    }

    /// <summary>True for <c>WdfMemoryCreatePreallocated</c> (the object does not own its buffer).</summary>
    public bool Preallocated { get; }

    public string Ddi { get; }

    public IInvocationOperation Creation { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is MemoryOrigin o && o.Preallocated == Preallocated && ReferenceEquals(o.Creation, Creation);
}

/// <summary>A request formatted (on every path) with a preallocated memory object.</summary>
internal sealed class FormattedWithPreallocated : OwnershipFact
{
    public FormattedWithPreallocated(IInvocationOperation format, string memoryName, MemoryOrigin memory)
    {
        Format = format;
        MemoryName = memoryName;
        Memory = memory;
    }

    public IInvocationOperation Format { get; }

    public string MemoryName { get; }

    public MemoryOrigin Memory { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is FormattedWithPreallocated o && ReferenceEquals(o.Format, Format) && o.Memory.Equals(Memory);
}

/// <summary>A <c>WDF_REQUEST_SEND_OPTIONS</c> variable whose flags are known.</summary>
internal sealed class SendOptionsFlags : OwnershipFact
{
    public SendOptionsFlags(bool synchronous) => Synchronous = synchronous;

    public bool Synchronous { get; }

    public override bool Equals(OwnershipFact? other) => other is SendOptionsFlags o && o.Synchronous == Synchronous;
}

/// <summary>
/// Tracks, per method, where WDFMEMORY locals come from (DRV040, DRV041), which requests are formatted with
/// preallocated memory (DRV040) and which send options are synchronous (DRV040). Only locals and parameters are
/// tracked; anything else is unknown, and the rules say nothing about unknown values.
/// </summary>
internal sealed class MemoryOwnershipDomain : FactFlowDomain<OwnershipFact>
{
    public const string WdfMemoryCreatePreallocated = nameof(WdfMemoryCreatePreallocated);
    public const string WdfMemoryAssignBuffer = nameof(WdfMemoryAssignBuffer);
    public const string WdfRequestSend = nameof(WdfRequestSend);
    private const string WDF_NO_SEND_OPTIONS = nameof(WDF_NO_SEND_OPTIONS);

    /// <summary>DDIs whose <c>out WDFMEMORY</c> owns its buffer.</summary>
    private static readonly string[] OwningCreators =
    {
        "WdfMemoryCreate", "WdfMemoryCreateFromLookaside", "WdfRequestRetrieveInputMemory",
        "WdfRequestRetrieveOutputMemory", "WdfRequestProbeAndLockUserBufferForRead",
        "WdfRequestProbeAndLockUserBufferForWrite",
    };

    private static readonly string[] Formats =
    {
        "WdfIoTargetFormatRequestForRead", "WdfIoTargetFormatRequestForWrite", "WdfIoTargetFormatRequestForIoctl",
    };

    /// <summary>DDIs after which the request no longer carries its earlier formatting.</summary>
    private static readonly string[] FormatResets =
    {
        "WdfRequestReuse", "WdfObjectDelete", "WdfIoTargetSendReadSynchronously",
        "WdfIoTargetSendWriteSynchronously", "WdfIoTargetSendIoctlSynchronously",
    };

    private readonly DriverApi _api;
    private readonly IoModeSymbols _symbols;
    private readonly uint _synchronousFlag;

    public MemoryOwnershipDomain(ControlFlowGraph graph, IoModeSymbols symbols)
        : base(graph)
    {
        _symbols = symbols;
        _api = symbols.Api;
        _synchronousFlag = symbols.SynchronousSendFlag;
    }

    protected override OwnershipFact? JoinFacts(OwnershipFact left, OwnershipFact right)
    {
        switch (left)
        {
            case MemoryOrigin l when right is MemoryOrigin r && l.Preallocated == r.Preallocated:
                return Earlier(l.Creation, r.Creation) ? l : r;
            case FormattedWithPreallocated l when right is FormattedWithPreallocated r:
                return Earlier(l.Format, r.Format) ? l : r;
            default:
                return null;
        }
    }

    private static bool Earlier(IOperation left, IOperation right) =>
        left.Syntax.SpanStart <= right.Syntax.SpanStart;

    protected override FactMap<OwnershipFact> Step(FactMap<OwnershipFact> state, IOperation operation, BasicBlock? block)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return StepInvocation(state, invocation);
            case ISimpleAssignmentOperation assignment:
                return StepAssignment(state, assignment.Target, assignment.Value);
            case ICompoundAssignmentOperation compound:
                return StepCompound(state, compound);
            case IIncrementOrDecrementOperation increment:
                return state.Remove(IoModeSymbols.VariableOf(increment.Target));
            case IDeconstructionAssignmentOperation:
                return KillAll(state);
            default:
                return state;
        }
    }

    private FactMap<OwnershipFact> StepInvocation(FactMap<OwnershipFact> state, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var isDdi = _api.IsDdi(method);

        // Any out/ref argument overwrites the variable; DDIs below then set what they produce.
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
            {
                state = state.Remove(IoModeSymbols.VariableOf(argument.Value));
            }
            else if (!isDdi && IsSendOptions(argument.Value.Type))
            {
                // A helper may change the options' flags.
                state = state.Remove(IoModeSymbols.VariableOf(argument.Value));
            }
        }

        if (!isDdi)
        {
            return state;
        }

        var name = method.Name;
        if (_api.IsWdf(method, WdfMemoryCreatePreallocated))
        {
            return SetOrigin(state, invocation, "Memory", preallocated: true, name);
        }

        foreach (var creator in OwningCreators)
        {
            if (_api.IsWdf(method, creator))
            {
                var memoryParameter = name.StartsWith("WdfRequestProbeAndLock", StringComparison.Ordinal) ? "MemoryObject" : "Memory";
                return SetOrigin(state, invocation, memoryParameter, preallocated: false, name);
            }
        }

        foreach (var format in Formats)
        {
            if (_api.IsWdf(method, format))
            {
                return StepFormat(state, invocation);
            }
        }

        foreach (var reset in FormatResets)
        {
            if (_api.IsWdf(method, reset))
            {
                var request = reset.StartsWith("WdfIoTarget", StringComparison.Ordinal)
                    ? IoModeSymbols.Argument(invocation, "Request")
                    : IoModeSymbols.Argument(invocation, 0);
                return state.Remove(IoModeSymbols.VariableOf(request?.Value));
            }
        }

        if (_api.IsWdf(method, "WDF_REQUEST_SEND_OPTIONS_INIT"))
        {
            var options = IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, 0)?.Value);
            var flags = IoModeSymbols.Argument(invocation, 1)?.Value.ConstantValue;
            if (options is not null && flags is { HasValue: true, Value: uint value })
            {
                return state.Set(options, new SendOptionsFlags((value & _synchronousFlag) != 0));
            }
        }

        return state;
    }

    private FactMap<OwnershipFact> SetOrigin(
        FactMap<OwnershipFact> state, IInvocationOperation invocation, string parameter, bool preallocated, string ddi)
    {
        var memory = IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, parameter)?.Value);
        return memory is null ? state : state.Set(memory, new MemoryOrigin(preallocated, ddi, invocation));
    }

    private FactMap<OwnershipFact> StepFormat(FactMap<OwnershipFact> state, IInvocationOperation invocation)
    {
        var request = IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, "Request")?.Value);
        if (request is null)
        {
            return state;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || !IsWdfMemory(parameter.Type))
            {
                continue;
            }

            var memory = IoModeSymbols.VariableOf(argument.Value);
            if (memory is not null && state.Get(memory) is MemoryOrigin { Preallocated: true } origin)
            {
                return state.Set(request, new FormattedWithPreallocated(invocation, memory.Name, origin));
            }
        }

        return state.Remove(request);
    }

    private FactMap<OwnershipFact> StepAssignment(FactMap<OwnershipFact> state, IOperation target, IOperation value)
    {
        if (IoModeSymbols.VariableOf(target) is { } variable)
        {
            var source = IoModeSymbols.VariableOf(value);
            return source is not null && state.Get(source) is { } fact
                ? state.Set(variable, fact)
                : state.Remove(variable);
        }

        // options.Flags = constant
        if (target is IPropertyReferenceOperation { Property.Name: "Flags" } property &&
            IsSendOptions(property.Property.ContainingType) &&
            IoModeSymbols.VariableOf(property.Instance) is { } options)
        {
            return value.ConstantValue is { HasValue: true, Value: uint flags }
                ? state.Set(options, new SendOptionsFlags((flags & _synchronousFlag) != 0))
                : state.Remove(options);
        }

        return state;
    }

    private FactMap<OwnershipFact> StepCompound(FactMap<OwnershipFact> state, ICompoundAssignmentOperation compound)
    {
        if (IoModeSymbols.VariableOf(compound.Target) is { } variable)
        {
            return state.Remove(variable);
        }

        if (compound.Target is IPropertyReferenceOperation { Property.Name: "Flags" } property &&
            IsSendOptions(property.Property.ContainingType) &&
            IoModeSymbols.VariableOf(property.Instance) is { } options)
        {
            if (state.Get(options) is SendOptionsFlags known &&
                compound.Value.ConstantValue is { HasValue: true, Value: uint flags })
            {
                var synchronous = compound.OperatorKind switch
                {
                    BinaryOperatorKind.Or => known.Synchronous || (flags & _synchronousFlag) != 0,
                    BinaryOperatorKind.And => known.Synchronous && (flags & _synchronousFlag) != 0,
                    BinaryOperatorKind.ExclusiveOr => known.Synchronous ^ ((flags & _synchronousFlag) != 0),
                    _ => (bool?)null,
                };
                if (synchronous is { } value)
                {
                    return state.Set(options, new SendOptionsFlags(value));
                }
            }

            return state.Remove(options);
        }

        return state;
    }

    private static FactMap<OwnershipFact> KillAll(FactMap<OwnershipFact> state) =>
        state.RemoveWhere((_, _) => true);

    /// <summary>
    /// True when the options given to <c>WdfRequestSend</c> surely send asynchronously: <c>WDF_NO_SEND_OPTIONS</c>,
    /// NULL, or options whose flags, on every path, lack <c>WDF_REQUEST_SEND_OPTION_SYNCHRONOUS</c>.
    /// </summary>
    public bool IsAsynchronous(IOperation options, FactMap<OwnershipFact> state)
    {
        var value = IoModeSymbols.Unwrap(options);
        switch (value)
        {
            case IFieldReferenceOperation field:
                return _api.IsConstant(field.Field, WDF_NO_SEND_OPTIONS) || _api.IsConstant(field.Field, "NULL");
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }:
            case IDefaultValueOperation:
                return true;
            default:
                return IoModeSymbols.VariableOf(value) is { } variable &&
                       state.Get(variable) is SendOptionsFlags { Synchronous: false };
        }
    }

    private bool IsWdfMemory(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, _api.WdfMemory);

    private bool IsSendOptions(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), _symbols.SendOptions);

}
