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

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Known sizes and bounds (DRV020, DRV023). For each buffer: the sizes it is known to hold at least (the minimum
/// asked of <c>WdfRequestRetrieve*Buffer</c> and its <c>out</c> length, <c>WdfMemoryGetBuffer</c>'s size, the
/// size given to <c>ExAllocatePool*</c>/<c>WdfMemoryCreate</c>/a lookaside, <c>MmGetMdlByteCount</c>, a queue
/// callback's length parameters, a METHOD_BUFFERED IOCTL's system buffer: <see cref="SystemBuffers"/>). For each number: a constant minimum and the values it is known not to exceed,
/// from assignments, <c>Math.Min</c>, <c>?:</c> and the comparisons that dominate a point.
/// </summary>
internal sealed class KnownSizesDomain : IDataflowDomain<SizeState>, IIncrementalJoin<SizeState>
{
    private const int MaxExpressionNodes = 32;

    private readonly SizeDdis _ddis;
    private readonly DriverApi _api;
    private readonly SizeLocations _locations;
    private readonly OperationSteps<SizeState> _steps;

    /// <summary>A queue callback's length parameters: the exact length of its request's output and input buffers.</summary>
    private readonly Dictionary<TrackedLocation, TrackedLocation> _exactLengths = new();

    /// <summary>Assignment targets the CFG spilled into flow captures (<c>x = c ? a : b</c>).</summary>
    private readonly CaptureSources _spilled;

    /// <summary>Members stored through a capture by an object initializer, handed to the capture's target.</summary>
    private readonly InitializerStores _initializers = new();

    /// <summary>The sizes a helper's call hands out through its <c>out</c> parameters (<see cref="HelperOutputSizes"/>); null: none followed.</summary>
    private readonly HelperOutputSizes.CallSizes? _helperOutputs;

    /// <param name="callerSizes">
    /// The function's <c>PVOID</c> parameters each with the length parameter every caller sizes it with
    /// (<see cref="CallerBufferSizes"/>): each holds at least that many bytes at the entry.
    /// </param>
    /// <param name="helperOutputs">The helpers' <c>out</c> sizes to apply at their calls; null to follow none.</param>
    /// <param name="callerSystemBuffer">
    /// The function's IRP parameter every caller passes under a METHOD_BUFFERED IOCTL, with the bytes every caller checked its
    /// system buffer holds (<see cref="CallerBufferSizes.SystemBufferOf"/>); null when not known.
    /// </param>
    public KnownSizesDomain(
        SizeDdis ddis, SizeLocations locations, IMethodSymbol? method,
        ImmutableArray<(IParameterSymbol Buffer, IParameterSymbol Length)> callerSizes = default,
        HelperOutputSizes.CallSizes? helperOutputs = null,
        CallerSystemBuffer? callerSystemBuffer = null)
    {
        _helperOutputs = helperOutputs;
        _ddis = ddis;
        _api = ddis.Api;
        _locations = locations;
        _spilled = new CaptureSources(value => locations.Of(value) is { } location && IsStorage(location) ? location : null);
        _steps = new OperationSteps<SizeState>(Step, s => s.IsUnreached);
        Entry = SizeState.Start();
        foreach (var (buffer, length) in callerSizes.IsDefault ? ImmutableArray<(IParameterSymbol, IParameterSymbol)>.Empty : callerSizes)
        {
            // A buffer sized by several of its parameters holds at least each of them.
            var key = TrackedLocation.ForSymbol(buffer);
            var origin = Entry.BufferOf(key)?.Origin ??
                new SizeOrigin("its callers' '" + length.Name + "'", length.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None, fromCallers: true);
            var sizes = (Entry.BufferOf(key)?.AtLeast ?? BoundSet.Empty).Add(Bound.Of(TrackedLocation.ForSymbol(length)));
            Entry = Entry.WithBuffer(key, new BufferFacts(sizes, 0, null, origin));
        }

        if (callerSystemBuffer is { } fromCallers && _ddis.SystemBuffers.SystemBufferOf(TrackedLocation.ForSymbol(fromCallers.Irp)) is { } systemBuffer)
        {
            _systemBufferBufferedByCallers = systemBuffer;
            if (fromCallers.AtLeast > 0)
            {
                var irpLocation = fromCallers.Irp.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
                Entry = Entry.WithBuffer(systemBuffer, new BufferFacts(
                    BoundSet.Create(Bound.Of(fromCallers.AtLeast)), 0, null, new SizeOrigin("the lengths its callers checked", irpLocation, fromCallers: true)));
            }
        }

        if (!IsQueueCallback(_api, method))
        {
            return;
        }

        // EvtIoRead/EvtIoWrite(Queue, Request, Length); EvtIoDeviceControl(Queue, Request, OutputBufferLength, InputBufferLength, IoControlCode).
        var parameters = method!.Parameters;
        bool IsLength(int i) => parameters.Length > i && parameters[i].Type.SpecialType == SpecialType.System_UIntPtr;
        if (parameters.Length == 3 && IsLength(2))
        {
            ExactLength(parameters[1], output: true, parameters[2]);
            ExactLength(parameters[1], output: false, parameters[2]);
        }
        else if (parameters.Length == 5 && IsLength(2) && IsLength(3))
        {
            ExactLength(parameters[1], output: true, parameters[2]);
            ExactLength(parameters[1], output: false, parameters[3]);
        }
    }

    /// <summary>The location a reference refers to, or null.</summary>
    public TrackedLocation? LocationOf(IOperation? operation) => _locations.Of(operation);

    /// <summary>A queue callback: <c>(WDFQUEUE, WDFREQUEST, ...)</c> with at least three parameters.</summary>
    public static bool IsQueueCallback(DriverApi api, IMethodSymbol? method) =>
        method is not null && method.Parameters.Length >= 3 &&
        SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, api.WdfQueue) &&
        SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, api.WdfRequest);

    /// <summary>
    /// Replays the solved function: <paramref name="visit"/> sees every reached operation that <paramref name="wanted"/>
    /// accepts once, with the state just before it (see <see cref="OperationSteps{TState}.Replay"/>).
    /// </summary>
    public void Replay(
        DataflowResult<SizeState> result, Func<IOperation, bool> wanted, Action<IOperation, SizeState> visit, CancellationToken cancellationToken) =>
        _steps.Replay(result, wanted, visit, cancellationToken);

    private void ExactLength(IParameterSymbol request, bool output, IParameterSymbol length)
    {
        var buffer = SizeLocations.RequestBuffer(TrackedLocation.ForSymbol(request), output);
        var lengthKey = TrackedLocation.ForSymbol(length);
        _exactLengths[buffer] = lengthKey;
        var origin = length.Locations.FirstOrDefault(l => l.IsInSource) is { } location
            ? new SizeOrigin("the queue callback's '" + length.Name + "'", location)
            : null;
        Entry = Entry.WithBuffer(buffer, new BufferFacts(BoundSet.Create(Bound.Of(lengthKey)), 0, null, origin));
    }

    public SizeState Entry { get; private set; }

    public SizeState Unreached => SizeState.Unreached;

    public SizeState Join(SizeState left, SizeState right) => SizeState.Join(left, right);

    public bool AreEqual(SizeState left, SizeState right) => SizeState.AreEqual(left, right);

    public bool TryJoinChanges(SizeState joined, SizeState previous, SizeState next, out SizeState result)
    {
        result = SizeState.JoinChanges(joined, previous, next)!;
        return result is not null;
    }

    /// <summary>Every operation of the root, in evaluation order.</summary>
    public SizeState Transfer(SizeState state, IOperation operation, CancellationToken cancellationToken) =>
        _steps.Transfer(state, operation, cancellationToken);

    /// <summary>The state after one operation (its children already stepped).</summary>
    public SizeState Step(SizeState state, IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when (_spilled.Of(assignment.Target) ?? _locations.Of(assignment.Target)) is { } target:
                _initializers.Note(target);
                return Assign(state, target, assignment.Value);
            case IFlowCaptureOperation capture:
                _spilled.Note(capture);
                return Assign(state, TrackedLocation.ForCapture(capture.Id, capture.Value.Type), capture.Value);
            case ICompoundAssignmentOperation compound when _locations.Of(compound.Target) is { } target:
                return state.Kill(target);
            case IIncrementOrDecrementOperation increment when _locations.Of(increment.Target) is { } target:
                return state.Kill(target);
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var reference in deconstruction.Target.DescendantsAndSelf())
                {
                    if (_locations.Of(reference) is { } key)
                    {
                        state = state.Kill(key);
                    }
                }

                return state;
            case IInvocationOperation invocation:
                return Invoke(state, invocation);
            default:
                return state;
        }
    }

    private SizeState Assign(SizeState state, TrackedLocation target, IOperation value)
    {
        state = AssignPlain(state, target, value);
        return _ddis.SystemBuffers.IsAvailable ? NoteSystemBufferSizes(state, target, value) : state;
    }

    /// <summary>
    /// The WDM fact source (<see cref="SystemBuffers"/>): <c>stack = IoGetCurrentIrpStackLocation(irp)</c> sizes
    /// <c>irp.AssociatedIrp.SystemBuffer</c> by the stack location's input and output lengths, and a number assigned one of
    /// them (<c>outputLength = stack.Parameters.DeviceIoControl.OutputBufferLength</c>) sizes it too, so that a check of
    /// the copy bounds the buffer. Whether a read of the buffer gets these sizes is decided at the read
    /// (<see cref="SystemBufferFacts"/>): only for METHOD_BUFFERED.
    /// </summary>
    private SizeState NoteSystemBufferSizes(SizeState state, TrackedLocation target, IOperation value)
    {
        var systemBuffers = _ddis.SystemBuffers;
        if (systemBuffers.IrpOfCurrentStackLocation(_ddis.Catalog, value) is { } irpArgument)
        {
            if (_locations.Of(irpArgument) is { } irp && systemBuffers.SystemBufferOf(irp) is { } systemBuffer &&
                systemBuffers.LengthsOf(target) is { IsEmpty: false } lengths)
            {
                (_systemBufferOfStackLocation ??= new Dictionary<TrackedLocation, TrackedLocation>())[target] = systemBuffer;
                var known = state.BufferOf(systemBuffer);
                var origin = known?.Origin ?? new SizeOrigin("IoGetCurrentIrpStackLocation", value.Syntax.GetLocation());
                state = state.WithBuffer(systemBuffer, new BufferFacts((known?.AtLeast ?? BoundSet.Empty).Union(lengths), 0, null, origin));
            }

            return state;
        }

        if (_systemBufferOfStackLocation is not null && SizeLocations.IsNumber(value.Type) && _locations.Of(value) is { } source &&
            systemBuffers.StackLocationOfLength(source) is { } stackLocation &&
            _systemBufferOfStackLocation.TryGetValue(stackLocation, out var sized) &&
            state.BufferOf(sized) is { } facts && facts.AtLeast.Contains(Bound.Of(source)))
        {
            state = state.WithBuffer(sized, facts.With(atLeast: facts.AtLeast.Add(Bound.Of(target))));
        }

        return state;
    }

    /// <summary>
    /// The facts of a read of an IRP's system buffer <paramref name="systemBuffer"/>: what the stack location's lengths (and
    /// the callers) say it holds, only where the IOCTL is METHOD_BUFFERED (a <c>switch</c> case of such codes, or a helper
    /// every caller calls so); nothing elsewhere.
    /// </summary>
    private BufferFacts? SystemBufferFacts(SizeState state, TrackedLocation systemBuffer, IOperation read)
    {
        if (state.BufferOf(systemBuffer) is not { } facts)
        {
            return null;
        }

        if (systemBuffer.Equals(_systemBufferBufferedByCallers))
        {
            return facts;
        }

        _bufferedReads ??= new Dictionary<SyntaxNode, bool>();
        if (!_bufferedReads.TryGetValue(read.Syntax, out var buffered))
        {
            buffered = _ddis.SystemBuffers.IsUnderBufferedIoctl(read.Syntax, CancellationToken.None);
            _bufferedReads[read.Syntax] = buffered;
        }

        return buffered ? facts : null;
    }

    /// <summary>The system buffer each stack-location local sizes (set where it is assigned <c>IoGetCurrentIrpStackLocation</c>).</summary>
    private Dictionary<TrackedLocation, TrackedLocation>? _systemBufferOfStackLocation;

    /// <summary>Whether each read of a system buffer is under a METHOD_BUFFERED IOCTL's case.</summary>
    private Dictionary<SyntaxNode, bool>? _bufferedReads;

    /// <summary>The system buffer of the IRP parameter every caller passes under a METHOD_BUFFERED IOCTL; null when none.</summary>
    private readonly TrackedLocation? _systemBufferBufferedByCallers;

    private SizeState AssignPlain(SizeState state, TrackedLocation target, IOperation value)
    {
        var pointer = PointerFacts(state, value);
        var unwrapped = OperationUnwrap.Unwrap(value);
        var arrayLength = unwrapped is IArrayCreationOperation { DimensionSizes.Length: 1 } array
            ? Evaluate(state, array.DimensionSizes[0])
            : null;
        state = SizeLocations.IsNumber(value.Type)
            ? AssignNumber(state, target, Evaluate(state, value), SelfReferential(value, target), pointer, arrayLength)
            : AssignNonNumber(state.Kill(target), target, pointer, arrayLength);

        // entry = #0 after #0.Packet = block; #0.PacketLen = n (an object initializer): entry.Packet, entry.PacketLen.
        foreach (var (stored, member) in _initializers.HandedTo(value, target))
        {
            state = SizeLocations.IsNumber(stored.Type)
                ? AssignNumber(state, member, KeyTerm(state, stored), false, state.BufferOf(stored), null)
                : AssignNonNumber(state.Kill(member), member, state.BufferOf(stored), null);
        }

        return state;
    }

    /// <summary>The facts of an assignment of the number <paramref name="term"/> to <paramref name="target"/>.</summary>
    private static SizeState AssignNumber(SizeState state, TrackedLocation target, Term term, bool selfReferential, BufferFacts? pointer, Term? arrayLength)
    {
        state = state.Kill(target);
        var upper = term.Facts.Upper.WithoutDependentsOf(target);

        // At most a constant: also at most every buffer size known to be at least that constant here.
        if (upper.Where(b => b.IsConstant).Select(b => (ulong?)b.Constant).Min() is { } constantBound)
        {
            upper = upper.Union(state.SizesAtLeast(constantBound).WithoutDependentsOf(target));
        }

        // n = n + 4 in a loop would raise the minimum forever: a value computed from the target keeps no minimum.
        state = state.WithValue(target, new ValueFacts(selfReferential ? 0 : term.Facts.Min, upper));
        if (term.Key is { } source && !SizeLocations.DependsOn(source, target))
        {
            // An assignment makes the two equal: each bounds the other.
            state = AddUpper(state, source, BoundSet.Create(Bound.Of(target)));
        }

        return AssignNonNumber(state, target, pointer, arrayLength);
    }

    /// <summary>
    /// The buffer facts of an assignment (a pointer into a known buffer, an array of a known length); a value that is not a
    /// number gets no value facts (<see cref="SizeLocations.IsNumber"/>). <paramref name="state"/> has the target killed.
    /// </summary>
    private static SizeState AssignNonNumber(SizeState state, TrackedLocation target, BufferFacts? pointer, Term? arrayLength)
    {
        if (pointer is not null)
        {
            var atLeast = pointer.AtLeast.WithoutDependentsOf(target);
            var memory = pointer.Memory is { } m && !SizeLocations.DependsOn(m, target) ? m : null;
            state = state.WithBuffer(target, new BufferFacts(atLeast, pointer.Offset, memory, pointer.Origin));
        }

        if (arrayLength is not null && IsVariable(target))
        {
            state = Equate(state, new Term(null, SizeLocations.LengthOf(target), ValueFacts.None), arrayLength);
        }

        return state;
    }

    private SizeState Invoke(SizeState state, IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && _locations.Of(argument.Value) is { } written)
            {
                state = state.Kill(written);
            }
        }

        var method = invocation.TargetMethod;
        NoteQueuedRequest(invocation);
        var origin = new SizeOrigin(method.Name, invocation.Syntax.GetLocation());
        switch (_ddis.Retrieve(method, out var output))
        {
            case RetrieveKind.Buffer:
                return RetrieveBuffer(state, invocation, output, origin);
            case RetrieveKind.Memory:
            case RetrieveKind.Mdl:
                return RetrieveObject(state, invocation, output, origin, method.Name.EndsWith("WdmMdl", StringComparison.Ordinal));
        }

        if (_ddis.IsMemoryCreation(method, SizeDdis.WdfMemoryCreate) && invocation.Arguments.Length == 6)
        {
            var size = BoundsOf(Evaluate(state, SizeDdis.Argument(invocation, 3)), SizeDdis.Argument(invocation, 3));
            var memory = Key(invocation, 4);
            if (memory is not null)
            {
                state = state.WithBuffer(memory, new BufferFacts(size, 0, null, origin));
            }

            if (Key(invocation, 5) is { } buffer && invocation.TargetMethod.Parameters[5].RefKind == RefKind.Out)
            {
                state = state.WithBuffer(buffer, new BufferFacts(size, 0, memory, origin));
            }

            return state;
        }

        if (_ddis.IsMemoryCreation(method, SizeDdis.WdfMemoryCreatePreallocated) && Key(invocation, 3) is { } preallocated)
        {
            var size = BoundsOf(Evaluate(state, SizeDdis.Argument(invocation, 2)), SizeDdis.Argument(invocation, 2));
            return state.WithBuffer(preallocated, new BufferFacts(size, 0, null, origin));
        }

        if (_ddis.IsLookasideCreation(method) && Key(invocation, 5) is { } lookaside)
        {
            var size = BoundsOf(Evaluate(state, SizeDdis.Argument(invocation, 1)), SizeDdis.Argument(invocation, 1));
            return state.WithBuffer(lookaside, new BufferFacts(size, 0, null, origin));
        }

        if (_ddis.IsMemoryCreation(method, SizeDdis.WdfMemoryCreateFromLookaside) && Key(invocation, 1) is { } fromLookaside &&
            state.BufferOf(_locations.Of(SizeDdis.Argument(invocation, 0))) is { } list)
        {
            return state.WithBuffer(fromLookaside, new BufferFacts(list.AtLeast, 0, null, origin));
        }

        if (_ddis.IsCheckedCopy(method) && _locations.Of(SizeDdis.Argument(invocation, 0)) is { } copied &&
            state.BufferOf(copied) is { } copiedFacts && Evaluate(state, SizeDdis.Argument(invocation, 1)).Constant == 0)
        {
            // Past a checked copy (whose failure path leaves: DRV021) the memory holds the copied length.
            var length = Evaluate(state, SizeDdis.Argument(invocation, 3));
            foreach (var bound in copiedFacts.AtLeast)
            {
                if (bound.Key is { } exactSize && (IsExactMemory(copiedFacts) || _exactLengths.ContainsValue(exactSize)))
                {
                    state = AddLessOrEqual(state, length, KeyTerm(state, exactSize), strict: false);
                }
            }

            return state.WithBuffer(copied, copiedFacts.With(atLeast: copiedFacts.AtLeast.Union(BoundsOf(length, SizeDdis.Argument(invocation, 3)))));
        }

        if (_ddis.IsMemoryGetBuffer(method) && Key(invocation, 1) is { } bufferSize &&
            invocation.TargetMethod.Parameters[1].RefKind == RefKind.Out)
        {
            var memory = _locations.Of(SizeDdis.Argument(invocation, 0));
            if (memory is not null && _queuedRequestBuffers is not null && _queuedRequestBuffers.TryGetValue(memory, out var queuedBuffer))
            {
                // The memory of a request taken from a queue: the request's buffer holds its size, as a queue callback's holds its length.
                return state.WithBuffer(queuedBuffer, new BufferFacts(
                    BoundSet.Create(Bound.Of(bufferSize)), 0, null, new SizeOrigin(origin.Ddi, origin.Location, minimumCheckedWhereQueued: true)));
            }

            if (state.BufferOf(memory) is { } memoryFacts)
            {
                // The size of a created memory object, or of one retrieved in a queue callback, is exactly what is known.
                var exact = IsExactMemory(memoryFacts);
                var sizeTerm = new Term(null, bufferSize, ValueFacts.None);
                foreach (var bound in memoryFacts.AtLeast)
                {
                    state = bound.Key is { } key && (exact || _exactLengths.ContainsValue(key))
                        ? Equate(state, TermOf(state, bound), KeyTerm(state, bufferSize))
                        : AddLessOrEqual(state, TermOf(state, bound), sizeTerm, strict: false);
                }
            }
        }

        return _helperOutputs?.Apply(state, invocation) ?? state;
    }

    /// <summary>A memory object the driver created: its known sizes are exactly its size.</summary>
    private static bool IsExactMemory(BufferFacts memory) =>
        memory.Origin?.Ddi is SizeDdis.WdfMemoryCreate or SizeDdis.WdfMemoryCreatePreallocated or SizeDdis.WdfMemoryCreateFromLookaside;

    private SizeState RetrieveBuffer(SizeState state, IInvocationOperation invocation, bool output, SizeOrigin origin)
    {
        var request = _locations.Of(SizeDdis.Argument(invocation, 0));
        var requestBuffer = request is not null && IsVariable(request) ? SizeLocations.RequestBuffer(request, output) : null;
        var minimumOperation = SizeDdis.Argument(invocation, 1);
        var minimum = Evaluate(state, minimumOperation);
        var nonEmpty = NonEmpty(invocation);
        var atLeast = BoundsOf(minimum, minimumOperation).Union(nonEmpty);
        if (Key(invocation, 3) is { } length && invocation.TargetMethod.Parameters[3].RefKind == RefKind.Out)
        {
            atLeast = atLeast.Add(Bound.Of(length));
            state = AddLessOrEqual(state, minimum, new Term(null, length, ValueFacts.None), strict: false);
            foreach (var least in nonEmpty)
            {
                state = AddLessOrEqual(state, ConstantTerm(least.Constant), new Term(null, length, ValueFacts.None), strict: false);
            }

            if (requestBuffer is not null && _exactLengths.TryGetValue(requestBuffer, out var exact))
            {
                state = Equate(state, KeyTerm(state, length), KeyTerm(state, exact));
            }
        }

        var known = state.BufferOf(requestBuffer);
        if (requestBuffer is not null)
        {
            state = state.WithBuffer(requestBuffer, new BufferFacts(
                known is null ? atLeast : known.AtLeast.Union(atLeast), 0, null, origin));
        }

        if (Key(invocation, 2) is { } buffer)
        {
            state = state.WithBuffer(buffer, new BufferFacts(known is null ? atLeast : known.AtLeast.Union(atLeast), 0, null, origin));
        }

        return state;
    }

    private SizeState RetrieveObject(SizeState state, IInvocationOperation invocation, bool output, SizeOrigin origin, bool mdl)
    {
        var request = _locations.Of(SizeDdis.Argument(invocation, 0));
        var known = request is not null && IsVariable(request) ? state.BufferOf(SizeLocations.RequestBuffer(request, output)) : null;
        if (Key(invocation, 1) is not { } result)
        {
            return state;
        }

        if (IsQueued(request))
        {
            _queued!.Add(result);
            if (IsVariable(request!))
            {
                (_queuedRequestBuffers ??= new Dictionary<TrackedLocation, TrackedLocation>())[result] = SizeLocations.RequestBuffer(request!, output);
            }
        }

        var atLeast = (known?.AtLeast ?? BoundSet.Empty).Union(NonEmpty(invocation));
        if (mdl && IsVariable(result))
        {
            atLeast = atLeast.Add(Bound.Of(SizeLocations.MdlByteCountOf(result)));
        }

        return atLeast.IsEmpty ? state : state.WithBuffer(result, new BufferFacts(atLeast, 0, null, origin));
    }

    /// <summary>
    /// KMDF fails <c>WdfRequestRetrieveInputBuffer</c>/<c>OutputBuffer</c>/<c>InputMemory</c>/<c>OutputMemory</c> with
    /// <c>STATUS_BUFFER_TOO_SMALL</c> when the buffer is empty (as the runtime does): what they hand out holds at least one
    /// byte. (Not said of the unsafe user-buffer retrieves nor of the MDLs.) Not said either of a request this function
    /// took from one of the driver's queues (<c>WdfIoQueueRetrieveNextRequest</c>): the callback that queued it checked its
    /// lengths (serialhcibus' read path), so one byte is no size to judge its accesses by; what the function itself learns
    /// (a minimum length, a tested length) still is.
    /// </summary>
    private BoundSet NonEmpty(IInvocationOperation retrieve) =>
        retrieve.TargetMethod.Name is "WdfRequestRetrieveInputBuffer" or "WdfRequestRetrieveOutputBuffer" or "WdfRequestRetrieveInputMemory" or "WdfRequestRetrieveOutputMemory" &&
        !IsQueued(_locations.Of(SizeDdis.Argument(retrieve, 0)))
            ? OneByte
            : BoundSet.Empty;

    private bool IsQueued(TrackedLocation? location) => location is not null && _queued is not null && _queued.Contains(location);

    /// <summary>
    /// The requests this function took from a queue of the driver (the <c>out</c> argument of a receiving DDI), and the
    /// memory objects retrieved from them: such a memory's buffer size (<c>WdfMemoryGetBuffer</c>'s <c>out</c> size) judges
    /// only lengths bounded by nothing (<see cref="SizeOrigin.MinimumCheckedWhereQueued"/>), not constant accesses; a size it
    /// tests still bounds them.
    /// </summary>
    private HashSet<TrackedLocation>? _queued;

    /// <summary>
    /// The memory objects retrieved from a request in <see cref="_queued"/>, each with that request's buffer: the buffer holds
    /// the memory's size (<c>WdfMemoryGetBuffer</c>'s <c>out</c> size), which DRV023 judges the completion's information by.
    /// </summary>
    private Dictionary<TrackedLocation, TrackedLocation>? _queuedRequestBuffers;

    private void NoteQueuedRequest(IInvocationOperation invocation)
    {
        if (!_ddis.Catalog.Has(invocation.TargetMethod, DdiRole.ReceivesRequest))
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out && _locations.Of(argument.Value) is { } request)
            {
                (_queued ??= new HashSet<TrackedLocation>()).Add(request);
            }
        }
    }

    private static readonly BoundSet OneByte = BoundSet.Create(Bound.Of(1));

    private TrackedLocation? Key(IInvocationOperation invocation, int ordinal) =>
        _locations.Of(SizeDdis.Argument(invocation, ordinal));

    public SizeState AssumeCondition(SizeState state, IOperation condition, bool whenTrue)
    {
        if (state.IsUnreached)
        {
            return state;
        }

        if (BranchConditions.StripNegations(condition, ref whenTrue) is not IBinaryOperation binary ||
            !SizeLocations.IsNumber(binary.LeftOperand.Type) || !SizeLocations.IsNumber(binary.RightOperand.Type))
        {
            return state;
        }

        var left = Evaluate(state, binary.LeftOperand);
        var right = Evaluate(state, binary.RightOperand);
        switch (binary.OperatorKind, whenTrue)
        {
            case (BinaryOperatorKind.LessThan, true):
            case (BinaryOperatorKind.GreaterThanOrEqual, false):
                return AddLessOrEqual(state, left, right, strict: true);
            case (BinaryOperatorKind.LessThanOrEqual, true):
            case (BinaryOperatorKind.GreaterThan, false):
                return AddLessOrEqual(state, left, right, strict: false);
            case (BinaryOperatorKind.GreaterThan, true):
            case (BinaryOperatorKind.LessThanOrEqual, false):
                return AddLessOrEqual(state, right, left, strict: true);
            case (BinaryOperatorKind.GreaterThanOrEqual, true):
            case (BinaryOperatorKind.LessThan, false):
                return AddLessOrEqual(state, right, left, strict: false);
            case (BinaryOperatorKind.Equals, true):
            case (BinaryOperatorKind.NotEquals, false):
                return Equate(state, left, right);
            case (BinaryOperatorKind.Equals, false):
            case (BinaryOperatorKind.NotEquals, true):
                return AssumeNonZero(state, binary, left, right);
            default:
                return state;
        }
    }

    /// <summary>
    /// An unsigned length that is not 0 is at least 1: general/ioctl/wdm's <c>if (!inBufLength || !outBufLength) goto End;</c>
    /// makes a one-byte access at offset 0 of a buffer of <c>inBufLength</c> bytes in bounds past it.
    /// </summary>
    private static SizeState AssumeNonZero(SizeState state, IBinaryOperation binary, Term left, Term right)
    {
        if (!SizeLocations.IsUnsigned(binary.LeftOperand.Type) || !SizeLocations.IsUnsigned(binary.RightOperand.Type))
        {
            return state;
        }

        return right.Constant == 0 ? AddLessOrEqual(state, right, left, strict: true)
            : left.Constant == 0 ? AddLessOrEqual(state, left, right, strict: true)
            : state;
    }

    private static SizeState Equate(SizeState state, Term left, Term right) =>
        AddLessOrEqual(AddLessOrEqual(state, left, right, strict: false), right, left, strict: false);

    /// <summary>Records <paramref name="low"/> ≤ <paramref name="high"/> (or &lt; when <paramref name="strict"/>).</summary>
    private static SizeState AddLessOrEqual(SizeState state, Term low, Term high, bool strict)
    {
        if (low.Key is { } lowKey)
        {
            var bounds = BoundSet.Empty;
            if (high.Key is { } highKey)
            {
                // low < high <= m: low stays below m too (high's markers do not carry over); low <= high: it may reach high.
                var inherited = state.FactsOf(highKey).Upper;
                bounds = bounds.Add(Bound.Of(highKey)).Union(strict ? SizeLocations.WithoutMarkers(inherited) : inherited);
                if (!strict)
                {
                    bounds = bounds.Add(Bound.Of(SizeLocations.Reaches(highKey)));
                }
            }
            else if (high.Constant is { } constant)
            {
                bounds = bounds.Add(Bound.Of(strict && constant > 0 ? constant - 1 : constant));
            }
            else
            {
                bounds = strict ? SizeLocations.WithoutMarkers(high.Facts.Upper) : high.Facts.Upper;
            }

            bounds = bounds.Remove(Bound.Of(lowKey));
            if (!bounds.IsEmpty)
            {
                state = AddUpper(state, lowKey, bounds);
            }

            if (strict && high.Key is { } below && state.FactsOf(lowKey) is var lowFacts &&
                lowFacts.Upper.Contains(Bound.Of(SizeLocations.Reaches(below))))
            {
                // Known below it now: no longer reaching it.
                state = state.WithValue(lowKey, new ValueFacts(lowFacts.Min, lowFacts.Upper.Remove(Bound.Of(SizeLocations.Reaches(below)))));
            }
        }

        if (high.Key is { } key)
        {
            var min = low.Constant ?? low.Facts.Min;
            if (strict)
            {
                min = min == ulong.MaxValue ? min : min + 1;
            }

            var facts = state.FactsOf(key);
            if (min > facts.Min)
            {
                state = state.WithValue(key, new ValueFacts(min, facts.Upper));

                // What bounds high from above is at least as large: size >= 4 with size <= OutputBufferLength raises both.
                foreach (var bound in facts.Upper)
                {
                    if (bound.Key is { } above && !SizeLocations.IsReaches(above) && state.FactsOf(above) is var aboveFacts && min > aboveFacts.Min)
                    {
                        state = state.WithValue(above, new ValueFacts(min, aboveFacts.Upper));
                    }
                }
            }
        }

        return state;
    }

    private static SizeState AddUpper(SizeState state, TrackedLocation key, BoundSet bounds)
    {
        var facts = state.FactsOf(key);
        return state.WithValue(key, new ValueFacts(facts.Min, facts.Upper.Union(bounds).Remove(Bound.Of(key))));
    }

    private static BoundSet BoundsOf(Term term, IOperation? operation)
    {
        if (term.Constant is { } constant)
        {
            return BoundSet.Create(Bound.Of(constant, operation is null ? null : OperationUnwrap.Unwrap(operation)?.Syntax.ToString()));
        }

        return term.Key is { } key ? BoundSet.Create(Bound.Of(key)) : BoundSet.Empty;
    }

    private static Term TermOf(SizeState state, Bound bound) =>
        bound.Key is { } key ? KeyTerm(state, key) : ConstantTerm(bound.Constant);

    public static Term ConstantTerm(ulong value) =>
        new(value, null, new ValueFacts(value, BoundSet.Create(Bound.Of(value))));

    public static Term KeyTerm(SizeState state, TrackedLocation key)
    {
        var facts = state.FactsOf(key);
        return new Term(null, key, new ValueFacts(facts.Min, facts.Upper.Add(Bound.Of(key))));
    }

    /// <summary>What is known about the number <paramref name="operation"/> computes.</summary>
    public Term Evaluate(SizeState state, IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        if (operation is null)
        {
            return Term.Unknown;
        }

        if (operation.ConstantValue is { HasValue: true, Value: { } value } && TryUnsigned(value, out var constant))
        {
            return ConstantTerm(constant);
        }

        if (operation is IPropertyReferenceOperation { Property.Name: "Size", Instance: { } localBuffer } &&
            _ddis.LocalBuffers.IsLocalBuffer(localBuffer.Type) && LocalBufferFacts(state, localBuffer) is { } storage)
        {
            // A LOCAL_BUFFER's Size is the size it was created with.
            foreach (var size in storage.AtLeast)
            {
                if (size.Key is { } sizeKey)
                {
                    return KeyTerm(state, sizeKey);
                }
            }

            return ConstantSize(state, storage) is > 0 and var constantSize ? ConstantTerm(constantSize) : Term.Unknown;
        }

        if (operation is IPropertyReferenceOperation { Property.Name: "Length", Instance: IFieldReferenceOperation { Field: var array } } &&
            _ddis.LocalBuffers.InitializedLength(array, CancellationToken.None) is { } elements)
        {
            // The length of a static readonly array initialized with its elements.
            return ConstantTerm(elements);
        }

        if (operation is IPropertyReferenceOperation { Property.Name: "Length" } length &&
            _locations.Of(length.Instance) is { } lengthHolder && IsVariable(lengthHolder))
        {
            return KeyTerm(state, SizeLocations.LengthOf(lengthHolder));
        }

        if (_locations.Of(operation) is { } reference)
        {
            return KeyTerm(state, reference);
        }

        switch (operation)
        {
            case ISizeOfOperation sizeOf:
                return SizeOf(state, sizeOf.TypeOperand);
            case IInvocationOperation invocation:
                return EvaluateCall(state, invocation);
            case IPropertyReferenceOperation { Property.Name: "Length" } property
                when _locations.Of(property.Instance) is { } holder && IsVariable(holder):
                return KeyTerm(state, SizeLocations.LengthOf(holder));
            case IBinaryOperation binary:
                return EvaluateArithmetic(state, binary);
            default:
                return Term.Unknown;
        }
    }

    /// <summary>The size of <paramref name="type"/>: a constant where its layout is known, else a <c>sizeof</c> key.</summary>
    public Term SizeOf(SizeState state, ITypeSymbol type) =>
        TypeSizes.TryGetSize(type, out var size) ? ConstantTerm(size) : KeyTerm(state, SizeLocations.SizeOfType(type));

    private Term EvaluateCall(SizeState state, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "Min" && method.ContainingType?.ToDisplayString() is "System.Math" && invocation.Arguments.Length == 2)
        {
            var a = Evaluate(state, invocation.Arguments[0].Value);
            var b = Evaluate(state, invocation.Arguments[1].Value);
            return new Term(null, null, new ValueFacts(Math.Min(a.Facts.Min, b.Facts.Min), a.Facts.Upper.Union(b.Facts.Upper)));
        }

        if (method.Name == "SizeOf" && method.TypeArguments.Length == 1 && invocation.Arguments.Length == 0 &&
            method.ContainingType?.ToDisplayString() is "System.Runtime.CompilerServices.Unsafe" or "System.Runtime.InteropServices.Marshal")
        {
            return SizeOf(state, method.TypeArguments[0]);
        }

        if (_ddis.IsMdlByteCount(method) &&
            _locations.Of(SizeDdis.Argument(invocation, 0)) is { } mdl && IsVariable(mdl))
        {
            return KeyTerm(state, SizeLocations.MdlByteCountOf(mdl));
        }

        return Term.Unknown;
    }

    private Term EvaluateArithmetic(SizeState state, IBinaryOperation binary)
    {
        var left = Evaluate(state, binary.LeftOperand);
        var right = Evaluate(state, binary.RightOperand);
        var upper = BoundSet.Empty;
        ulong min = 0;
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.Subtract when right.Constant is { } c && left.Facts.Min >= c:
                // n - 1 stays below n: what n may reach, n - 1 does not.
                upper = c >= 1 ? SizeLocations.WithoutMarkers(left.Facts.Upper) : left.Facts.Upper;
                min = left.Facts.Min - c;
                break;
            case BinaryOperatorKind.Divide when right.Constant is >= 1:
            case BinaryOperatorKind.RightShift:
                upper = SizeLocations.WithoutMarkers(left.Facts.Upper);
                break;
            case BinaryOperatorKind.And:
                upper = SizeLocations.WithoutMarkers(left.Facts.Upper.Union(right.Facts.Upper));
                break;
            case BinaryOperatorKind.Remainder when right.Constant is >= 1:
                upper = BoundSet.Create(Bound.Of(right.Constant.Value - 1));
                break;
            case BinaryOperatorKind.Add:
                min = left.Facts.Min + right.Facts.Min >= left.Facts.Min ? left.Facts.Min + right.Facts.Min : 0;
                break;
        }

        if ((PlusKey(binary, left, right) ?? ExpressionKey(binary)) is { } key)
        {
            var known = state.FactsOf(key);
            return new Term(null, key, new ValueFacts(Math.Max(min, known.Min), upper.Union(known.Upper).Add(Bound.Of(key))));
        }

        return new Term(null, null, new ValueFacts(min, upper));
    }

    /// <summary>A variable plus a non-zero constant, on either side (<see cref="SizeLocations.Plus"/>); null for any other expression.</summary>
    private static TrackedLocation? PlusKey(IBinaryOperation binary, Term left, Term right) =>
        binary.OperatorKind != BinaryOperatorKind.Add ? null
        : left.Key is { } x && IsVariable(x) && right.Constant is > 0 and var c ? SizeLocations.Plus(x, c, binary.Syntax.ToString())
        : right.Key is { } y && IsVariable(y) && left.Constant is > 0 and var d ? SizeLocations.Plus(y, d, binary.Syntax.ToString())
        : null;

    /// <summary>
    /// A key for a side-effect-free arithmetic expression over variables (e.g. <c>count * sizeof(int)</c>), so
    /// that an allocation and a copy sized by the same expression are seen to agree.
    /// </summary>
    private TrackedLocation? ExpressionKey(IOperation operation)
    {
        var dependencies = ImmutableArray.CreateBuilder<TrackedLocation>();
        var nodes = 0;
        foreach (var node in OperationOrder.PostOrder(operation))
        {
            if (++nodes > MaxExpressionNodes)
            {
                return null;
            }

            switch (node)
            {
                case ILiteralOperation:
                case IConversionOperation:
                case IBinaryOperation:
                case ISizeOfOperation:
                case IInstanceReferenceOperation:
                    continue;
                case IPropertyReferenceOperation { Property.Name: "Length", Instance: not null }:
                    continue;
                case IFieldReferenceOperation { Field.IsConst: true }:
                    continue;
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation:
                    if (_locations.Of(node) is { } operand && IsVariable(operand))
                    {
                        dependencies.Add(operand);
                        continue;
                    }

                    return null;
                default:
                    return null;
            }
        }

        return dependencies.Count == 0 ? null : SizeLocations.Expression(operation.Syntax.ToString(), dependencies.ToImmutable());
    }

    public static bool TryUnsigned(object value, out ulong result)
    {
        switch (value)
        {
            case int i when i >= 0:
                result = (ulong)i;
                return true;
            case long l when l >= 0:
                result = (ulong)l;
                return true;
            case uint u:
                result = u;
                return true;
            case ulong ul:
                result = ul;
                return true;
            case short s when s >= 0:
                result = (ulong)s;
                return true;
            case ushort us:
                result = us;
                return true;
            case byte b:
                result = b;
                return true;
            case sbyte sb when sb >= 0:
                result = (ulong)sb;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    /// <summary>
    /// What is known about the buffer <paramref name="operation"/> points into: a tracked pointer, a pointer plus
    /// a constant, or the result of <c>WdfMemoryGetBuffer</c>, <c>ExAllocatePool*</c> or an MDL mapping.
    /// </summary>
    public BufferFacts? PointerFacts(SizeState state, IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        switch (operation)
        {
            case null:
                return null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add
                when SymbolEqualityComparer.Default.Equals(add.LeftOperand.Type, _api.Pvoid):
                return PointerFacts(state, add.LeftOperand) is { } facts && Evaluate(state, add.RightOperand).Constant is { } offset
                    ? facts.With(offset: facts.Offset + offset)
                    : null;
            case IInvocationOperation invocation:
                return CallPointerFacts(state, invocation);
            case IObjectCreationOperation { Arguments.Length: 1 } creation when _ddis.LocalBuffers.IsLocalBuffer(creation.Type):
                // new LOCAL_BUFFER(size): storage of that many bytes.
                var atLeast = BoundsOf(Evaluate(state, creation.Arguments[0].Value), creation.Arguments[0].Value);
                return atLeast.IsEmpty ? null : new BufferFacts(atLeast, 0, null, new SizeOrigin("new LOCAL_BUFFER", creation.Syntax.GetLocation()));
            case IPropertyReferenceOperation { Property.Name: "Address", Instance: { } holder } when _ddis.LocalBuffers.IsLocalBuffer(holder.Type):
                return LocalBufferFacts(state, holder);
        }

        return _locations.Of(operation) is not { } key ? null
            : _ddis.SystemBuffers.IsAvailable && _ddis.SystemBuffers.IsSystemBuffer(key) ? SystemBufferFacts(state, key, operation)
            : state.BufferOf(key) ?? PoolFieldFacts(key) ?? LocalBufferPointerFacts(key);
    }

    /// <summary>
    /// A pointer member this function knows nothing about that only ever holds the address of a fixed-size buffer kept in a
    /// field (<see cref="LocalBufferPointers"/>): it holds at least that buffer's size.
    /// </summary>
    private BufferFacts? LocalBufferPointerFacts(TrackedLocation pointer)
    {
        if (!pointer.IsMember || pointer.Symbol is not { } member ||
            _ddis.LocalBufferPointers.SizeOf(member, CancellationToken.None) is not { } pointed)
        {
            return null;
        }

        var origin = pointed.Buffer.Locations.Length > 0 && pointed.Buffer.Locations[0].IsInSource
            ? new SizeOrigin("the field '" + pointed.Buffer.Name + "'", pointed.Buffer.Locations[0])
            : null;
        return new BufferFacts(BoundSet.Create(Bound.Of(pointed.Size)), 0, null, origin);
    }

    /// <summary>
    /// A pointer member this function knows nothing about, whose pool block the driver keeps together with its size in
    /// another member of the same object (<see cref="PoolFieldSizes"/>): it holds at least that member's value.
    /// </summary>
    private BufferFacts? PoolFieldFacts(TrackedLocation pointer)
    {
        if (!pointer.IsMember || pointer.Symbol is not { } member || _ddis.PoolFields.SizeMemberOf(member, CancellationToken.None) is not { } sizeMember ||
            (pointer.Holder is { } holder ? holder.Member(sizeMember) : pointer.IsOwnMember ? TrackedLocation.ForSymbol(sizeMember) : null) is not { } size)
        {
            return null;
        }

        var origin = sizeMember.Locations.Length > 0 && sizeMember.Locations[0].IsInSource
            ? new SizeOrigin("the size kept in '" + sizeMember.Name + "'", sizeMember.Locations[0])
            : null;
        return new BufferFacts(BoundSet.Create(Bound.Of(size)), 0, null, origin);
    }

    /// <summary>
    /// The storage of a <c>LOCAL_BUFFER</c>: as assigned in this function (<c>var b = new LOCAL_BUFFER(64)</c>), else the
    /// constant size a readonly field of that type is initialized with, wherever it is read (a device context's buffer).
    /// </summary>
    private BufferFacts? LocalBufferFacts(SizeState state, IOperation holder)
    {
        if (state.BufferOf(_locations.Of(holder)) is { } known)
        {
            return known;
        }

        if (OperationUnwrap.Unwrap(holder) is IFieldReferenceOperation field &&
            _ddis.LocalBuffers.SizeOf(field.Field, CancellationToken.None) is { } size)
        {
            var origin = field.Field.Locations.Length > 0 && field.Field.Locations[0].IsInSource
                ? new SizeOrigin("the field '" + field.Field.Name + "'", field.Field.Locations[0])
                : null;
            return new BufferFacts(BoundSet.Create(Bound.Of(size)), 0, null, origin);
        }

        return null;
    }

    /// <summary>
    /// <c>IoAllocateMdl(VirtualAddress, Length, …)</c>: the MDL describes <c>Length</c> bytes, so its system address
    /// (<c>MmGetSystemAddressForMdlSafe</c>) holds them (general/ioctl/wdm's METHOD_NEITHER buffers, locked behind an MDL
    /// of the IOCTL's buffer length).
    /// </summary>
    private BufferFacts? AllocatedMdlFacts(SizeState state, IInvocationOperation invocation, SizeOrigin origin)
    {
        var lengthOperation = SizeDdis.Argument(invocation, 1);
        var atLeast = BoundsOf(Evaluate(state, lengthOperation), lengthOperation);
        return atLeast.IsEmpty ? null : new BufferFacts(atLeast, 0, null, origin);
    }

    private BufferFacts? CallPointerFacts(SizeState state, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var origin = new SizeOrigin(method.Name, invocation.Syntax.GetLocation());
        if (_ddis.IsMemoryGetBuffer(method))
        {
            var memory = _locations.Of(SizeDdis.Argument(invocation, 0));
            var atLeast = state.BufferOf(memory)?.AtLeast ?? BoundSet.Empty;
            if (method.Parameters.Length > 1 && method.Parameters[1].RefKind == RefKind.Out && Key(invocation, 1) is { } size)
            {
                atLeast = atLeast.Add(Bound.Of(size));
                if (IsQueued(memory))
                {
                    origin = new SizeOrigin(origin.Ddi, origin.Location, minimumCheckedWhereQueued: true);
                }
            }

            return new BufferFacts(atLeast, 0, memory is not null && IsVariable(memory) ? memory : null, origin);
        }

        if (_ddis.IsPoolAllocation(method))
        {
            var sizeOperation = SizeDdis.Argument(invocation, 1);
            var atLeast = BoundsOf(Evaluate(state, sizeOperation), sizeOperation);
            return atLeast.IsEmpty ? null : new BufferFacts(atLeast, 0, null, origin);
        }

        if (_ddis.IsMdlAllocation(method))
        {
            return AllocatedMdlFacts(state, invocation, origin);
        }

        if (_ddis.IsMdlMapping(method) && _locations.Of(SizeDdis.Argument(invocation, 0)) is { } mdl)
        {
            var known = state.BufferOf(mdl);
            var atLeast = known?.AtLeast ?? BoundSet.Empty;
            if (IsVariable(mdl))
            {
                atLeast = atLeast.Add(Bound.Of(SizeLocations.MdlByteCountOf(mdl)));
            }

            return new BufferFacts(atLeast, 0, null, known?.Origin ?? origin);
        }

        return null;
    }

    /// <summary>
    /// The number of bytes a copy site moves: a copy's length argument, an accessor's element size, or the length of the
    /// span it copies (an array created with a length, a static readonly byte array, a UTF-8 literal, a slice, a variable
    /// whose length is tracked); <see cref="Term.Unknown"/> otherwise.
    /// </summary>
    public Term LengthOf(SizeState state, CopySite site, CancellationToken cancellationToken)
    {
        if (site.Length is not null)
        {
            return Evaluate(state, site.Length);
        }

        if (site.ElementType is not null)
        {
            return SizeOf(state, site.ElementType);
        }

        switch (OperationUnwrap.Unwrap(site.Span))
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array:
                return Evaluate(state, array.DimensionSizes[0]);
            case IFieldReferenceOperation { Field: { Type: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } } array } when
                _ddis.LocalBuffers.InitializedLength(array, cancellationToken) is { } elements:
                // A static readonly byte array initialized with its elements.
                return ConstantTerm(elements);
            case IUtf8StringOperation utf8:
                return ConstantTerm((ulong)System.Text.Encoding.UTF8.GetByteCount(utf8.Value));
            case IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" or "AsMemory" } slice when slice.Arguments.Length >= 2:
                return Evaluate(state, slice.Arguments[slice.Arguments.Length - 1].Value);
            case { } span when LocationOf(span) is { } holder && IsVariable(holder):
                return KeyTerm(state, SizeLocations.LengthOf(holder));
            default:
                return Term.Unknown;
        }
    }

    /// <summary>
    /// Whether <paramref name="length"/> bytes at <paramref name="extraOffset"/> past the pointer fit in the
    /// buffer on every path: true, false, or null when the rule cannot judge (no known size, an unknown offset).
    /// At a non-zero offset a length is in bounds when its constant bound plus the offset fits, or when the sum of the offset
    /// and the length was itself compared with the size (<c>if (REGISTER_ADDR_SIZE + Length &gt; I2C_BUFFER_SIZE)</c>, or a
    /// local holding the sum: <see cref="SizeLocations.Plus"/>); a length bounded only by constants too large for the size
    /// past the offset, or a variable or field bounded by nothing, is not; a length bounded by another number
    /// (<c>Length &lt;= size - 1</c>), or a span's <c>Length</c> bounded by nothing, is not judged. A memory's size whose
    /// constant minimum was checked where its request was queued (<see cref="SizeOrigin.MinimumCheckedWhereQueued"/>)
    /// judges only lengths bounded by nothing.
    /// </summary>
    public static bool? IsBounded(SizeState state, BufferFacts? buffer, ulong? extraOffset, Term length)
    {
        if (buffer is null || buffer.AtLeast.IsEmpty || extraOffset is not { } extra)
        {
            return null;
        }

        var offset = buffer.Offset + extra;
        var constantSize = ConstantSize(state, buffer);
        var unknownMinimum = buffer.Origin is { MinimumCheckedWhereQueued: true };

        if (length.Constant is { } constant)
        {
            return constant + offset <= constantSize && constant + offset >= constant ? true : unknownMinimum ? null : false;
        }

        if (offset == 0 && buffer.AtLeast.Any(size => !size.IsConstant && length.Facts.Upper.Contains(size)))
        {
            return true;
        }

        var constantUpper = length.Facts.Upper.SmallestConstant();
        if (constantUpper is { } upper && upper + offset <= constantSize && upper + offset >= upper)
        {
            return true;
        }

        if (offset != 0 && length.Key is { } lengthKey && SumIsBounded(state, buffer, constantSize, SizeLocations.Plus(lengthKey, offset, string.Empty)))
        {
            return true;
        }

        // At an offset: a length bounded by another number (a relation not followed) is not judged, nor one bounded by nothing
        // that the driver does not hold in a variable or field (a span's Length: stackalloc and slices are not followed).
        if (offset != 0 &&
            (length.Facts.Upper.Any(b => b.Key is { } k && !k.Equals(length.Key) && !SizeLocations.IsReaches(k)) ||
             (constantUpper is null && (length.Key is not { } held || !IsStorage(held)))))
        {
            return null;
        }

        // A constant bound where the minimum was checked elsewhere (the request's queue) is not judged either.
        return unknownMinimum && constantUpper is not null ? null : false;
    }

    /// <summary>
    /// The sum <paramref name="sum"/> (a length plus the copy's offset) is at most a size of <paramref name="buffer"/>: it, or a
    /// number it does not exceed (the local it was stored in), was compared with the size or with a constant that fits.
    /// </summary>
    private static bool SumIsBounded(SizeState state, BufferFacts buffer, ulong constantSize, TrackedLocation sum)
    {
        var facts = state.FactsOf(sum);
        if (facts.Upper.IsEmpty)
        {
            return false;
        }

        foreach (var bound in facts.Upper)
        {
            if (Fits(bound) || (bound.Key is { } between && !SizeLocations.IsReaches(between) && state.FactsOf(between).Upper.Any(Fits)))
            {
                return true;
            }
        }

        return false;

        bool Fits(Bound bound) => bound.IsConstant ? bound.Constant <= constantSize : buffer.AtLeast.Contains(bound);
    }

    /// <summary>
    /// The size of <paramref name="buffer"/> as a message says it and a guard compares with: a local that holds it
    /// (e.g. the retrieve's <c>out</c> length), else a parameter or field, else another expression, else its
    /// largest constant minimum. With <paramref name="state"/>, of two sizes alike the one checked higher there (a system
    /// buffer's <c>OutputBufferLength</c> after <c>OutputBufferLength &lt; 4</c> leaves, not the unchecked input length).
    /// </summary>
    public static Bound? DescribeSize(BufferFacts buffer, SizeState? state = null) =>
        buffer.AtLeast
            .Where(b => b.IsConstant || SizeLocations.IsWritable(b.Key!))
            .OrderBy(Rank)
            .ThenByDescending(b => b.Constant)
            .ThenByDescending(b => state is null || b.Key is not { } key ? 0UL : state.FactsOf(key).Min)
            .ThenBy(b => b.Text, StringComparer.Ordinal)
            .Select(b => (Bound?)b)
            .FirstOrDefault();

    private static int Rank(Bound bound) => bound.Key switch
    {
        { Root: LocationRoot.Local, IsMember: false } => 0,
        { Root: LocationRoot.Parameter, IsMember: false } => 1,
        { Root: not (LocationRoot.Derived or LocationRoot.FlowCapture) } => 2,
        null => 4,
        _ => 3,
    };

    /// <summary>The constant minimum size of the buffer, counting the minimums of its size variables.</summary>
    public static ulong ConstantSize(SizeState state, BufferFacts buffer) =>
        buffer.AtLeast.Select(b => b.IsConstant ? b.Constant : state.FactsOf(b.Key!).Min).DefaultIfEmpty(0UL).Max();

    /// <summary>
    /// A local, a parameter, or a field or property of <c>this</c> (or a static one): what derived sizes (a length, an MDL's
    /// byte count, a request's buffer, an expression) are made of, as before the engine; longer paths hold facts of their
    /// own but derive none.
    /// </summary>
    public static bool IsVariable(TrackedLocation location) => location.IsVariable || location.IsOwnMember;

    /// <summary>A variable or a field path: storage an assignment can change (not a capture or a derived value).</summary>
    public static bool IsStorage(TrackedLocation location) =>
        location.Root is not (LocationRoot.FlowCapture or LocationRoot.Derived or LocationRoot.Operation or LocationRoot.Driver);

    /// <summary>True when <paramref name="value"/> reads <paramref name="target"/> (<c>n = n + 4</c>).</summary>
    private bool SelfReferential(IOperation value, TrackedLocation target)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or
                    IFlowCaptureReferenceOperation &&
                target.Equals(_locations.Of(operation)))
            {
                return true;
            }
        }

        return false;
    }
}
