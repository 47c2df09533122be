using System.Collections.Immutable;
using DriverBuffers.Analyzers.Analyses.ParameterEffects;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.MemoryOwnership;

/// <summary>
/// Tracks, per function, where WDFMEMORY locations (locals, parameters, field and context paths) come from (DRV040,
/// DRV041), which <c>PVOID</c>s point into a <c>LOCAL_BUFFER</c> on the stack, which requests are formatted with
/// preallocated memory, which send options are synchronous, and which asynchronous sends of such requests (directly, or
/// by a helper that sends the request it is given) may still be pending (DRV040). Anything else is unknown, and the
/// rules say nothing about unknown values.
/// </summary>
internal sealed class MemoryOwnershipDomain : MustFactDomain<OwnershipFact>
{
    private const string WDF_NO_SEND_OPTIONS = nameof(WDF_NO_SEND_OPTIONS);
    private const string Pending = nameof(Pending);

    private readonly MemoryOwnershipAnalysis _analysis;
    private readonly DdiCatalog _catalog;
    private readonly DriverApi _api;
    private readonly IoModeSymbols _symbols;
    private readonly EngineOptions _options;
    private readonly System.Threading.CancellationToken _cancellationToken;
    private readonly int _depth;
    private readonly ImmutableHashSet<IMethodSymbol> _visiting;
    private readonly CaptureSources _captures;
    private readonly InitializerStores _initializers = new();

    /// <param name="depth">How many levels of helpers' pending sends are followed from here (default: the options' helper depth).</param>
    /// <param name="visiting">The helpers being summarized on the way here (a cycle guard).</param>
    public MemoryOwnershipDomain(
        ControlFlowGraph graph, MemoryOwnershipAnalysis analysis, EngineOptions options, System.Threading.CancellationToken cancellationToken,
        int? depth = null, ImmutableHashSet<IMethodSymbol>? visiting = null)
        : base(graph, OwnershipLattice.Instance)
    {
        _analysis = analysis;
        _catalog = analysis.Session.Catalog;
        _api = _catalog.Api;
        _symbols = IoModeSymbols.For(analysis.Session);
        _options = options;
        _cancellationToken = cancellationToken;
        _depth = depth ?? options.HelperDepth;
        _visiting = visiting ?? ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default);
        _captures = new CaptureSources(value => CaptureSources.IsCapture(value) ? null : LocationOf(value));
    }

    /// <summary>The location <paramref name="operation"/> names (a variable, a field or context path), or null.</summary>
    public TrackedLocation? LocationOf(IOperation? operation) =>
        operation is null ? null : TrackedLocation.TryCreate(IoModeSymbols.Unwrap(operation), _catalog.ContextTypes);

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
                return Overwrite(state, LocationOf(increment.Target));
            case IDeconstructionAssignmentOperation:
                return FactMap<OwnershipFact>.Empty;
            case IFlowCaptureOperation capture:
                _captures.Note(capture);
                return state;
            default:
                return state;
        }
    }

    private FactMap<OwnershipFact> StepInvocation(FactMap<OwnershipFact> state, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var isDdi = _catalog.IsDdi(method);
        var before = state;

        // Any out/ref argument overwrites the location; DDIs below then set what they produce.
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
            {
                state = Overwrite(state, LocationOf(argument.Value));
            }
            else if (!isDdi && IsSendOptions(argument.Value.Type))
            {
                // A helper may change the options' flags.
                state = Overwrite(state, LocationOf(argument.Value));
            }
        }

        if (!isDdi)
        {
            return StepHelper(state, before, invocation);
        }

        var roles = _catalog.RolesOf(method);
        if ((roles & DdiRole.SendsRequest) != 0)
        {
            return StepSend(state, invocation);
        }

        if ((roles & DdiRole.CreatesMemory) != 0)
        {
            var preallocated = (roles & DdiRole.WrapsBuffer) != 0;
            return SetOrigin(state, before, invocation, "Memory", preallocated, method.Name);
        }

        if ((roles & DdiRole.RetrievesFromRequest) != 0 && IoModeSymbols.Argument(invocation, "MemoryObject") is { } probed)
        {
            return SetOrigin(state, before, invocation, probed.Parameter!.Name, preallocated: false, method.Name);
        }

        if ((roles & DdiRole.RetrievesFromRequest) != 0 && IoModeSymbols.Argument(invocation, "Memory") is { } retrieved &&
            IsWdfMemory(retrieved.Parameter!.Type))
        {
            return SetOrigin(state, before, invocation, "Memory", preallocated: false, method.Name);
        }

        if ((roles & DdiRole.AssignsBuffer) != 0)
        {
            return StepAssignBuffer(state, invocation);
        }

        if ((roles & DdiRole.FormatsRequest) != 0)
        {
            return StepFormat(state, invocation);
        }

        if ((roles & (DdiRole.ReusesRequest | DdiRole.DeletesObject | DdiRole.SendsSynchronously)) != 0)
        {
            // The request no longer carries its earlier formatting.
            var request = (roles & DdiRole.SendsSynchronously) != 0
                ? IoModeSymbols.Argument(invocation, "Request")
                : IoModeSymbols.Argument(invocation, 0);
            return LocationOf(request?.Value) is { } location ? state.Remove(location) : state;
        }

        if ((roles & DdiRole.InitializesSendOptions) != 0)
        {
            var options = LocationOf(IoModeSymbols.Argument(invocation, 0)?.Value);
            var flags = IoModeSymbols.Argument(invocation, 1)?.Value.ConstantValue;
            if (options is not null && flags is { HasValue: true, Value: uint value })
            {
                return Set(state, options, new SendOptionsFlags((value & _symbols.SynchronousSendFlag) != 0));
            }
        }

        return state;
    }

    /// <summary>
    /// A helper that may send a request it is given asynchronously: a preallocated request given to it may be pending. A
    /// helper that wraps a buffer it is given and sends a request over it (<see cref="HelperPendingSends"/>): given a
    /// <c>LOCAL_BUFFER</c> of this function, that buffer is under a pending send from here on.
    /// </summary>
    private FactMap<OwnershipFact> StepHelper(FactMap<OwnershipFact> state, FactMap<OwnershipFact> before, IInvocationOperation call)
    {
        var effects = _analysis.Effects.Get(call.TargetMethod, _options, _cancellationToken);
        foreach (var send in effects.Sends)
        {
            var request = IoModeSymbols.Argument(call, send.Key)?.Value;
            if (LocationOf(request) is { } location &&
                FactAt(before, location) is FormattedWithPreallocated { Memory.Buffer: { } buffer } formatted)
            {
                state = SetPending(state, new PendingWithPreallocated(call, NameOf(location, request!), formatted, buffer, send.Value));
            }
        }

        foreach (var pending in _analysis.HelperSends.Get(call.TargetMethod, _options, _depth, _visiting, _cancellationToken))
        {
            if (StackBufferGiven(call, pending.Buffer, before) is ({ } buffer, { } stack))
            {
                state = SetPending(state, HandedStackBuffer(call, pending, buffer, stack));
            }
        }

        return state;
    }

    /// <summary>
    /// The location of this function that holds what the helper wraps (<paramref name="wrapped"/>: its parameter or a member
    /// path of it) and the <c>LOCAL_BUFFER</c> it points into, when it is one.
    /// </summary>
    private (TrackedLocation? Buffer, ILocalSymbol? Stack) StackBufferGiven(IInvocationOperation call, TrackedLocation wrapped, FactMap<OwnershipFact> before)
    {
        if (wrapped.RootSymbol is not IParameterSymbol parameter ||
            IoModeSymbols.Argument(call, parameter.Ordinal)?.Value is not { } argument)
        {
            return default;
        }

        if (!wrapped.IsMember)
        {
            return (LocationOf(argument) ?? TrackedLocation.ForOperation(argument), StackBufferOf(argument, before));
        }

        var buffer = LocationOf(argument) is { } holder ? InitializerStores.Rebase(wrapped, holder) : null;
        return (buffer, (FactAt(before, buffer) as StackStorage)?.Buffer);
    }

    /// <summary>The helper's pending send, seen from the call: sent by the call, over this function's stack buffer.</summary>
    private static PendingWithPreallocated HandedStackBuffer(IInvocationOperation call, PendingWithPreallocated inHelper, TrackedLocation buffer, ILocalSymbol stack)
    {
        var memory = inHelper.Formatted.Memory;
        var origin = new MemoryOrigin(preallocated: true, memory.Ddi, memory.Creation, buffer, stack);
        var formatted = new FormattedWithPreallocated(inHelper.Formatted.Format, inHelper.Formatted.MemoryName, origin);

        // The request as the caller wrote it, when the helper sends the request it is given.
        var request = inHelper.Request;
        foreach (var parameter in call.TargetMethod.Parameters)
        {
            if (parameter.Name == request && IoModeSymbols.Argument(call, parameter.Ordinal)?.Value is { } argument)
            {
                request = argument.Syntax.ToString();
                break;
            }
        }

        return new PendingWithPreallocated(call, request, formatted, buffer, inHelper.Through ?? inHelper.Send);
    }

    private static string NameOf(TrackedLocation location, IOperation operation) =>
        location.Name.Length > 0 ? location.Name : operation.Syntax.ToString();

    private FactMap<OwnershipFact> SetOrigin(
        FactMap<OwnershipFact> state, FactMap<OwnershipFact> before, IInvocationOperation invocation, string parameter, bool preallocated, string ddi)
    {
        var memory = LocationOf(IoModeSymbols.Argument(invocation, parameter)?.Value);
        if (memory is null)
        {
            return state;
        }

        TrackedLocation? buffer = null;
        ILocalSymbol? stack = null;
        if (preallocated && IoModeSymbols.Argument(invocation, "Buffer")?.Value is { } bufferArgument)
        {
            buffer = LocationOf(bufferArgument);
            stack = StackBufferOf(bufferArgument, before);
        }

        return Set(state, memory, new MemoryOrigin(preallocated, ddi, invocation, buffer, stack));
    }

    /// <summary>
    /// <c>WdfMemoryAssignBuffer</c> gives preallocated memory (created here or, for a member, wherever the driver creates
    /// it) another buffer: from here on the memory is over that buffer (a <c>LOCAL_BUFFER</c> of this function, too), its
    /// creation kept. Memory not known to be preallocated stays as it is (DRV041 judges memory that owns its buffer).
    /// </summary>
    private FactMap<OwnershipFact> StepAssignBuffer(FactMap<OwnershipFact> state, IInvocationOperation assign)
    {
        var memory = LocationOf(IoModeSymbols.Argument(assign, 0)?.Value);
        var creation = FactAt(state, memory) is MemoryOrigin { Preallocated: true } origin
            ? origin.Creation
            : _analysis.FieldOrigins.PreallocatedCreationOf(memory, _cancellationToken);
        if (creation is null)
        {
            return state;
        }

        TrackedLocation? buffer = null;
        ILocalSymbol? stack = null;
        if (IoModeSymbols.Argument(assign, "Buffer")?.Value is { } bufferArgument)
        {
            buffer = LocationOf(bufferArgument);
            stack = StackBufferOf(bufferArgument, state);
        }

        return Set(state, memory!, new MemoryOrigin(preallocated: true, creation.TargetMethod.Name, creation, buffer, stack));
    }

    /// <summary>The <c>LOCAL_BUFFER</c> local <paramref name="value"/> points into (<c>local.Address</c>, or a location known to), or null.</summary>
    private ILocalSymbol? StackBufferOf(IOperation value, FactMap<OwnershipFact> state)
    {
        var unwrapped = IoModeSymbols.Unwrap(value);
        if (unwrapped is IPropertyReferenceOperation { Property.Name: "Address", Instance: ILocalReferenceOperation local } &&
            IsLocalBuffer(local.Local.Type))
        {
            return local.Local;
        }

        return (FactAt(state, LocationOf(unwrapped)) as StackStorage)?.Buffer;
    }

    private bool IsLocalBuffer(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, _analysis.LocalBufferType);

    private FactMap<OwnershipFact> StepFormat(FactMap<OwnershipFact> state, IInvocationOperation invocation)
    {
        var request = LocationOf(IoModeSymbols.Argument(invocation, "Request")?.Value);
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

            var memory = LocationOf(argument.Value);
            if ((FactAt(state, memory) ?? _analysis.FieldOrigins.Of(memory, _cancellationToken)) is MemoryOrigin { Preallocated: true } origin)
            {
                return Set(state, request, new FormattedWithPreallocated(invocation, memory!.Name, origin));
            }
        }

        return state.Remove(request);
    }

    private FactMap<OwnershipFact> StepSend(FactMap<OwnershipFact> state, IInvocationOperation send)
    {
        var requestOperation = IoModeSymbols.Argument(send, 0)?.Value;
        var request = LocationOf(requestOperation);
        var options = IoModeSymbols.Argument(send, 2)?.Value;
        if (request is not null && options is not null &&
            FactAt(state, request) is FormattedWithPreallocated { Memory.Buffer: { } buffer } formatted &&
            IsAsynchronous(options, state))
        {
            return SetPending(state, new PendingWithPreallocated(send, request.Name.Length > 0 ? request.Name : requestOperation!.Syntax.ToString(), formatted, buffer, through: null));
        }

        return state;
    }

    /// <summary>A pending send is kept under a location derived from its buffer: assigning the buffer forgets it.</summary>
    private FactMap<OwnershipFact> SetPending(FactMap<OwnershipFact> state, PendingWithPreallocated pending) =>
        Set(state, TrackedLocation.Derived(Pending, ImmutableArray.Create(pending.Buffer, TrackedLocation.ForOperation(pending.Send)), null, Pending), pending);

    /// <summary>
    /// On the branch where a <c>WdfRequestSend</c> returned FALSE the request was never sent, so nothing is pending.
    /// </summary>
    protected override FactMap<OwnershipFact> Assume(FactMap<OwnershipFact> state, IOperation condition, bool whenTrue)
    {
        var value = IoModeSymbols.BooleanTested(condition, ref whenTrue);
        if (whenTrue)
        {
            return state;
        }

        var send = value switch
        {
            IInvocationOperation invocation when _catalog.Has(invocation.TargetMethod, DdiRole.SendsRequest) => invocation,
            _ => (FactAt(state, LocationOf(value)) as SendResult)?.Send,
        };
        if (send is null)
        {
            return state;
        }

        foreach (var pair in state)
        {
            if (pair.Value is PendingWithPreallocated { Sent: true } pending && ReferenceEquals(pending.Send, send))
            {
                return Set(state, pair.Key, pending.NotSent());
            }
        }

        return state;
    }

    /// <summary>The location gets a new value: forget its facts and what depends on it (the pending sends whose buffer it held).</summary>
    private static FactMap<OwnershipFact> Overwrite(FactMap<OwnershipFact> state, TrackedLocation? location) =>
        location is null ? state : state.Kill(location);

    private FactMap<OwnershipFact> StepAssignment(FactMap<OwnershipFact> state, IOperation target, IOperation value)
    {
        // options.Flags = constant
        if (target is IPropertyReferenceOperation { Property.Name: "Flags" } property &&
            IsSendOptions(property.Property.ContainingType) &&
            LocationOf(property.Instance) is { } options)
        {
            return value.ConstantValue is { HasValue: true, Value: uint flags }
                ? Set(state, options, new SendOptionsFlags((flags & _symbols.SynchronousSendFlag) != 0))
                : state.Remove(options);
        }

        // x = new T { … } spills x (the target is a capture); its members are stored through another capture first.
        var location = CaptureSources.IsCapture(target) ? _captures.Of(target) ?? LocationOf(target) : LocationOf(target);
        if (location is null)
        {
            return state;
        }

        _initializers.Note(location);
        var fact = FactAt(state, LocationOf(value));
        if (IoModeSymbols.Unwrap(value) is IInvocationOperation send && _catalog.Has(send.TargetMethod, DdiRole.SendsRequest))
        {
            fact = new SendResult(send);
        }
        else if (fact is null && StackBufferOf(value, state) is { } stack)
        {
            fact = new StackStorage(stack);
        }

        state = Overwrite(state, location);
        // entry = #0 after #0.Block = buffer.Address (an object initializer): entry.Block points into the buffer.
        foreach (var (stored, member) in _initializers.HandedTo(value, location))
        {
            if (FactAt(state, stored) is { } storedFact and not PendingWithPreallocated)
            {
                state = Set(state, member, storedFact);
            }
        }

        return fact is not null && fact is not PendingWithPreallocated ? Set(state, location, fact) : state;
    }

    private FactMap<OwnershipFact> StepCompound(FactMap<OwnershipFact> state, ICompoundAssignmentOperation compound)
    {
        if (compound.Target is IPropertyReferenceOperation { Property.Name: "Flags" } property &&
            IsSendOptions(property.Property.ContainingType) &&
            LocationOf(property.Instance) is { } options)
        {
            if (FactAt(state, options) is SendOptionsFlags known &&
                compound.Value.ConstantValue is { HasValue: true, Value: uint flags })
            {
                var synchronousFlag = _symbols.SynchronousSendFlag;
                var synchronous = compound.OperatorKind switch
                {
                    BinaryOperatorKind.Or => known.Synchronous || (flags & synchronousFlag) != 0,
                    BinaryOperatorKind.And => known.Synchronous && (flags & synchronousFlag) != 0,
                    BinaryOperatorKind.ExclusiveOr => known.Synchronous ^ ((flags & synchronousFlag) != 0),
                    _ => (bool?)null,
                };
                if (synchronous is { } value)
                {
                    return Set(state, options, new SendOptionsFlags(value));
                }
            }

            return state.Remove(options);
        }

        return Overwrite(state, LocationOf(compound.Target));
    }

    /// <summary>
    /// True when the options given to <c>WdfRequestSend</c> surely send asynchronously: <c>WDF_NO_SEND_OPTIONS</c>,
    /// NULL, or options whose flags, on every path, lack <c>WDF_REQUEST_SEND_OPTION_SYNCHRONOUS</c>.
    /// </summary>
    public bool IsAsynchronous(IOperation options, FactMap<OwnershipFact> state) =>
        IsSurelyAsynchronous(options, _api) ||
        FactAt(state, LocationOf(options)) is SendOptionsFlags { Synchronous: false };

    /// <summary><c>WDF_NO_SEND_OPTIONS</c>, NULL or <c>default</c>: asynchronous whatever the state.</summary>
    public static bool IsSurelyAsynchronous(IOperation options, DriverApi api) =>
        IoModeSymbols.Unwrap(options) switch
        {
            IFieldReferenceOperation field => api.IsConstant(field.Field, WDF_NO_SEND_OPTIONS) || api.IsConstant(field.Field, "NULL"),
            ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
            IDefaultValueOperation => true,
            _ => false,
        };

    private bool IsWdfMemory(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, _api.WdfMemory);

    private bool IsSendOptions(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), _symbols.SendOptions);
}
