using System;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
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
    public MemoryOrigin(bool preallocated, string ddi, IInvocationOperation creation, ISymbol? buffer)
    {
        Preallocated = preallocated;
        Ddi = ddi;
        Creation = creation;
        Buffer = buffer;
    }

    /// <summary>For preallocated memory, the local or parameter that holds the driver's buffer (if it is one).</summary>
    public ISymbol? Buffer { get; }

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

/// <summary>
/// An asynchronous <c>WdfRequestSend</c> of a request formatted with preallocated memory whose buffer variable is
/// known: the request may be pending from here on (keyed by the send). On the path where the send returned FALSE
/// it is <see cref="Sent"/> = false; where that path meets the one where the send succeeded, the request may be
/// pending. A may-fact: it survives a join with a path that never reached the send.
/// </summary>
internal sealed class PendingWithPreallocated : OwnershipFact
{
    public PendingWithPreallocated(
        IInvocationOperation send, ISymbol request, FormattedWithPreallocated formatted, ISymbol buffer, bool sent = true)
    {
        Send = send;
        Request = request;
        Formatted = formatted;
        Buffer = buffer;
        Sent = sent;
    }

    /// <summary>False on the paths where <c>WdfRequestSend</c> returned FALSE (nothing is pending there).</summary>
    public bool Sent { get; }

    public PendingWithPreallocated NotSent() => new(Send, Request, Formatted, Buffer, sent: false);

    public IInvocationOperation Send { get; }

    public ISymbol Request { get; }

    public FormattedWithPreallocated Formatted { get; }

    /// <summary>The variable holding the preallocated buffer.</summary>
    public ISymbol Buffer { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is PendingWithPreallocated o && ReferenceEquals(o.Send, Send) && o.Sent == Sent &&
        o.Formatted.Equals(Formatted);
}

/// <summary>A bool variable holding the result of a <c>WdfRequestSend</c>.</summary>
internal sealed class SendResult : OwnershipFact
{
    public SendResult(IInvocationOperation send) => Send = send;

    public IInvocationOperation Send { get; }

    public override bool Equals(OwnershipFact? other) => other is SendResult o && ReferenceEquals(o.Send, Send);
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
/// preallocated memory, which send options are synchronous, and which asynchronous sends of such requests may
/// still be pending (DRV040). Only locals and parameters are
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
            case MemoryOrigin l when right is MemoryOrigin r && l.Preallocated == r.Preallocated &&
                                     SymbolEqualityComparer.Default.Equals(l.Buffer, r.Buffer):
                return Earlier(l.Creation, r.Creation) ? l : r;
            case FormattedWithPreallocated l when right is FormattedWithPreallocated r &&
                                                  SymbolEqualityComparer.Default.Equals(l.Memory.Buffer, r.Memory.Buffer):
                return Earlier(l.Format, r.Format) ? l : r;
            case PendingWithPreallocated l when right is PendingWithPreallocated r:
                // A may-fact: the request may be pending if it is on either path.
                return l.Sent || !r.Sent ? l : r;
            default:
                return null;
        }
    }

    /// <summary>
    /// A possibly pending send is a may-fact: a path that never sent (a failed create or format) does not make the
    /// free after the join safe on the path that did.
    /// </summary>
    protected override bool HoldsOnSomePath(OwnershipFact fact) => fact is PendingWithPreallocated;

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
                return Overwrite(state, IoModeSymbols.VariableOf(increment.Target));
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
                state = Overwrite(state, IoModeSymbols.VariableOf(argument.Value));
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
        if (_api.IsWdf(method, WdfRequestSend))
        {
            return StepSend(state, invocation);
        }

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
        var buffer = preallocated ? IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, "Buffer")?.Value) : null;
        return memory is null ? state : state.Set(memory, new MemoryOrigin(preallocated, ddi, invocation, buffer));
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

    private FactMap<OwnershipFact> StepSend(FactMap<OwnershipFact> state, IInvocationOperation send)
    {
        var request = IoModeSymbols.VariableOf(IoModeSymbols.Argument(send, 0)?.Value);
        var options = IoModeSymbols.Argument(send, 2)?.Value;
        if (request is not null && options is not null &&
            state.Get(request) is FormattedWithPreallocated { Memory.Buffer: { } buffer } formatted &&
            IsAsynchronous(options, state))
        {
            return state.Set(send, new PendingWithPreallocated(send, request, formatted, buffer));
        }

        return state;
    }

    /// <summary>
    /// On the branch where a <c>WdfRequestSend</c> returned FALSE the request was never sent, so nothing is pending.
    /// </summary>
    public override FactMap<OwnershipFact> AssumeCondition(FactMap<OwnershipFact> state, IOperation condition, bool whenTrue)
    {
        var value = IoModeSymbols.BooleanTested(condition, ref whenTrue);
        if (whenTrue)
        {
            return state;
        }

        var send = value switch
        {
            IInvocationOperation invocation when _api.IsWdf(invocation.TargetMethod, WdfRequestSend) => invocation,
            _ => (state.Get(IoModeSymbols.VariableOf(value)) as SendResult)?.Send,
        };
        return send is not null && state.Get(send) is PendingWithPreallocated pending
            ? state.Set(send, pending.NotSent())
            : state;
    }

    /// <summary>The variable gets a new value: forget its facts and the pending sends whose buffer it held.</summary>
    private static FactMap<OwnershipFact> Overwrite(FactMap<OwnershipFact> state, ISymbol? variable)
    {
        if (variable is null)
        {
            return state;
        }

        return state.Remove(variable).RemoveWhere((_, fact) =>
            fact is PendingWithPreallocated pending && SymbolEqualityComparer.Default.Equals(pending.Buffer, variable));
    }

    private FactMap<OwnershipFact> StepAssignment(FactMap<OwnershipFact> state, IOperation target, IOperation value)
    {
        if (IoModeSymbols.VariableOf(target) is { } variable)
        {
            var source = IoModeSymbols.VariableOf(value);
            var fact = source is not null ? state.Get(source) : null;
            if (IoModeSymbols.Unwrap(value) is IInvocationOperation send && _api.IsWdf(send.TargetMethod, WdfRequestSend))
            {
                fact = new SendResult(send);
            }

            state = Overwrite(state, variable);
            return fact is not null ? state.Set(variable, fact) : state;
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
            return Overwrite(state, variable);
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
