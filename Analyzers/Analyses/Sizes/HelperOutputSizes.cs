using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Statuses;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Sizes a helper hands out through its <c>out</c> parameters: VHidMini2's
/// <c>RequestGetHidXferPacket_ToReadFromDevice(Request, out HID_XFER_PACKET Packet)</c> stores a retrieved buffer in
/// <c>Packet.reportBuffer</c> and its length in <c>Packet.reportBufferLen</c>, so after the call <c>packet.reportBuffer</c>
/// holds at least <c>packet.reportBufferLen</c> bytes (and at least one: KMDF fails the retrieve of an empty buffer). The
/// helper is solved with the size analysis (<see cref="KnownSizesDomain"/>) and read at each of its returns: a buffer
/// output (a <c>PVOID</c> <c>out</c> parameter, or a <c>PVOID</c> field of an <c>out</c> structure) is sized by a number
/// output (an <c>out</c> number parameter or a number field of an <c>out</c> structure) when on every return where the
/// buffer is not <c>NULL</c> the number is at most a size the buffer is known to hold; and by the smallest constant size
/// it holds on those returns. A return where the buffer is still <c>NULL</c> (<c>Packet = default</c> and nothing after,
/// or a path like that meeting the one that hands the buffer out before a shared return: <see cref="NullStores"/>) sizes
/// nothing (using it is DRV022's); a return where it is something of unknown size gives no summary. The caller's
/// call is then a source of those facts (<see cref="Apply"/>). Followed through helpers of helpers up to
/// <c>driverbuffers.helper_depth</c> levels; summaries live in the engine's <see cref="SummaryCache{TSummary}"/> (method
/// + depth); only the helper's own graph is built, no other tree is bound.
/// </summary>
internal sealed class HelperOutputSizes
{
    private static readonly TrackedLocation NullMarker =
        TrackedLocation.Derived("null pointer", ImmutableArray<TrackedLocation>.Empty, null, "NULL");

    private static readonly BufferFacts NullBuffer = new(BoundSet.Create(Bound.Of(NullMarker)), 0, null, null);

    private readonly AnalysisSession _session;
    private readonly SizeDdis _ddis;
    private readonly SizeLocations _locations;
    private readonly SummaryCache<Summary> _cache;

    public HelperOutputSizes(AnalysisSession session, SizeDdis ddis, SizeLocations locations)
    {
        _session = session;
        _ddis = ddis;
        _locations = locations;
        _cache = new SummaryCache<Summary>(session.Telemetry);
    }

    /// <summary>
    /// What a call applies to the caller's state, looked up at <paramref name="depth"/> with <paramref name="visiting"/>
    /// (the helpers being summarized): the size domain calls it at each call that is not a DDI.
    /// </summary>
    public CallSizes Lookup(int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken) =>
        new(this, depth, visiting, budget, cancellationToken);

    /// <summary>The sized buffer outputs of <paramref name="method"/>; empty for anything but such a helper.</summary>
    private ImmutableArray<SizedOutput> Of(
        IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken) =>
        IsCandidate(method)
            ? _cache.Get(method, depth, visiting, budget, (m, d, chain, token) => Summarize(m, d, chain, budget, token), cancellationToken)?.Outputs ??
              ImmutableArray<SizedOutput>.Empty
            : ImmutableArray<SizedOutput>.Empty;

    /// <summary>An ordinary method of this compilation whose calls all bind to its body, with a buffer output (nothing bound).</summary>
    private bool IsCandidate(IMethodSymbol method) =>
        HasOutParameter(method) && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _session.Compilation.Assembly) &&
        method.MethodKind == MethodKind.Ordinary && !MethodBodies.IsOverridable(method) && method.DeclaringSyntaxReferences.Length == 1 &&
        method.Parameters.Any(p => p.RefKind == RefKind.Out && (IsBuffer(p.Type) || BufferFields(p.Type).Any()));

    /// <summary>The first test at every call (most calls have no <c>out</c> parameter): a scan of the parameters' kinds.</summary>
    private static bool HasOutParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsBuffer(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, _ddis.Api.Pvoid);

    /// <summary>The <c>PVOID</c> instance fields of a structure type (none for anything else).</summary>
    private IEnumerable<IFieldSymbol> BufferFields(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Struct && !IsBuffer(type)
            ? type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && IsBuffer(f.Type))
            : Enumerable.Empty<IFieldSymbol>();

    /// <summary>The outputs of <paramref name="method"/>: each <c>out</c> parameter, or each instance field of an <c>out</c> structure.</summary>
    private static IEnumerable<Output> Outputs(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters.Where(p => p.RefKind == RefKind.Out))
        {
            if (parameter.Type.TypeKind == TypeKind.Struct && parameter.Type.SpecialType == SpecialType.None)
            {
                foreach (var field in parameter.Type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic))
                {
                    yield return new Output(parameter.Ordinal, field);
                }
            }

            yield return new Output(parameter.Ordinal, null);
        }
    }

    private Summary? Summarize(IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken)
    {
        if (_session.Bodies.GraphOf(method, cancellationToken) is not { } graph)
        {
            return null;
        }

        var outputs = Outputs(method).Select(o => (Output: o, Location: o.In(method))).Where(o => o.Location is not null).ToList();
        var buffers = outputs.Where(o => IsBuffer(o.Output.Type(method))).ToList();
        var numbers = outputs.Where(o => SizeLocations.IsNumber(o.Output.Type(method))).ToList();
        var sizes = new KnownSizesDomain(_ddis, _locations, method, helperOutputs: Lookup(depth - 1, visiting, budget, cancellationToken));
        var domain = new NullStores(
            sizes, _ddis.Api, _locations, buffers.Select(b => b.Location!).ToImmutableHashSet(), numbers.Select(n => n.Location!).ToImmutableArray());
        var solved = ForwardDataflow.Solve(graph, domain, cancellationToken);
        _session.Telemetry.FunctionSolved();
        if (!solved.Converged)
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<SizedOutput>();
        foreach (var (buffer, location) in buffers)
        {
            ulong? minimum = null;
            HashSet<Output>? sizedBy = null;
            var unknown = false;
            foreach (var branch in graph.Blocks[graph.Blocks.Length - 1].Predecessors)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!solved.IsReached(branch.Source) || solved.StateOnExit(branch.Source) is not { IsUnreached: false } state)
                {
                    continue;
                }

                var facts = state.BufferOf(location);
                if (facts is null || facts.Offset != 0)
                {
                    unknown = true;
                    break;
                }

                if (IsMarkedNull(state, location!))
                {
                    continue;
                }

                var constant = KnownSizesDomain.ConstantSize(state, facts);
                minimum = minimum is { } m && m < constant ? m : constant;
                var here = new HashSet<Output>(numbers.Where(n => SizedBy(state, facts, n.Location!)).Select(n => n.Output));
                if (sizedBy is null)
                {
                    sizedBy = here;
                }
                else
                {
                    sizedBy.IntersectWith(here);
                }
            }

            if (!unknown && (minimum > 0 || sizedBy is { Count: > 0 }))
            {
                result.Add(new SizedOutput(buffer, minimum ?? 0, sizedBy!.ToImmutableArray()));
            }
        }

        return result.Count == 0 ? null : new Summary(result.ToImmutable());
    }

    private static bool IsMarkedNull(SizeState state, TrackedLocation buffer) =>
        state.BufferOf(buffer) is { } facts && (ReferenceEquals(facts, NullBuffer) || facts.AtLeast.Contains(Bound.Of(NullMarker)));

    /// <summary>The number at <paramref name="number"/> is at most a size the buffer holds (or is one of them).</summary>
    private static bool SizedBy(SizeState state, BufferFacts buffer, TrackedLocation number)
    {
        if (buffer.AtLeast.Contains(Bound.Of(number)))
        {
            return true;
        }

        var upper = state.FactsOf(number).Upper;
        return buffer.AtLeast.Any(size => size.Key is { } key && !SizeLocations.IsReaches(key) && upper.Contains(size));
    }

    /// <summary>
    /// The facts a call of a helper gives its caller (the <c>out</c> arguments were just forgotten): each sized buffer
    /// output holds at least its sizes, named by the caller's <c>out</c> argument (<c>packet.reportBufferLen</c>).
    /// </summary>
    public SizeState Apply(SizeState state, IInvocationOperation invocation, CallSizes lookup)
    {
        if (lookup.Depth <= 0 || invocation.TargetMethod is not { } method || !IsCandidate(method.OriginalDefinition))
        {
            return state;
        }

        foreach (var output in Of(method.OriginalDefinition, lookup.Depth, lookup.Visiting, lookup.Budget, lookup.CancellationToken))
        {
            if (output.Buffer.At(invocation, _locations) is not { } buffer)
            {
                continue;
            }

            var atLeast = BoundSet.Empty;
            if (output.MinimumBytes > 0)
            {
                atLeast = atLeast.Add(Bound.Of(output.MinimumBytes));
            }

            foreach (var size in output.SizedBy)
            {
                if (size.At(invocation, _locations) is { } sizeLocation)
                {
                    atLeast = atLeast.Add(Bound.Of(sizeLocation));
                }
            }

            if (!atLeast.IsEmpty)
            {
                state = state.WithBuffer(buffer, new BufferFacts(atLeast, 0, null, new SizeOrigin(method.Name, invocation.Syntax.GetLocation())));
            }
        }

        return state;
    }

    /// <summary>What the size domain of one function needs to apply helper outputs at its calls.</summary>
    internal sealed class CallSizes
    {
        private readonly HelperOutputSizes _owner;

        public CallSizes(HelperOutputSizes owner, int depth, ImmutableHashSet<IMethodSymbol> visiting, long budget, CancellationToken cancellationToken)
        {
            _owner = owner;
            Depth = depth;
            Visiting = visiting;
            Budget = budget;
            CancellationToken = cancellationToken;
        }

        public int Depth { get; }

        public ImmutableHashSet<IMethodSymbol> Visiting { get; }

        public long Budget { get; }

        public CancellationToken CancellationToken { get; }

        public SizeState Apply(SizeState state, IInvocationOperation invocation) => _owner.Apply(state, invocation, this);
    }

    /// <summary>An <c>out</c> parameter (by ordinal) or one field of it.</summary>
    private readonly struct Output : System.IEquatable<Output>
    {
        public Output(int parameter, IFieldSymbol? field)
        {
            Parameter = parameter;
            Field = field;
        }

        public int Parameter { get; }

        public IFieldSymbol? Field { get; }

        public bool Equals(Output other) => Parameter == other.Parameter && SymbolEqualityComparer.Default.Equals(Field, other.Field);

        public override bool Equals(object? obj) => obj is Output other && Equals(other);

        public override int GetHashCode() => Parameter ^ (Field is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Field));

        public ITypeSymbol? Type(IMethodSymbol method) => Field?.Type ?? method.Parameters[Parameter].Type;

        /// <summary>Where the output is inside the helper.</summary>
        public TrackedLocation? In(IMethodSymbol method)
        {
            var parameter = TrackedLocation.ForSymbol(method.Parameters[Parameter]);
            return Field is null ? parameter : parameter.Member(Field);
        }

        /// <summary>Where the output is in the caller: the <c>out</c> argument, or its field.</summary>
        public TrackedLocation? At(IInvocationOperation call, SizeLocations locations)
        {
            var argument = locations.Of(SizeDdis.Argument(call, Parameter));
            return Field is null || argument is null ? argument : argument.Member(Field);
        }
    }

    /// <summary>A buffer output with its constant minimum and the number outputs that size it.</summary>
    private sealed class SizedOutput
    {
        public SizedOutput(Output buffer, ulong minimumBytes, ImmutableArray<Output> sizedBy)
        {
            Buffer = buffer;
            MinimumBytes = minimumBytes;
            SizedBy = sizedBy;
        }

        public Output Buffer { get; }

        public ulong MinimumBytes { get; }

        public ImmutableArray<Output> SizedBy { get; }
    }

    private sealed class Summary
    {
        public Summary(ImmutableArray<SizedOutput> outputs) => Outputs = outputs;

        public ImmutableArray<SizedOutput> Outputs { get; }
    }

    /// <summary>
    /// The size domain of a helper being summarized, which also marks a buffer output <c>NULL</c> where a statement stores
    /// <c>NULL</c> or <c>default</c> into it (or into the whole <c>out</c> structure): a return where it is still marked
    /// hands out no buffer. Where a path with the buffer still <c>NULL</c> meets one that handed it out
    /// (<c>if (NT_SUCCESS(status)) { Buffer = input; Length = length; } return status;</c>), the outputs keep the facts of
    /// the path that handed it out: what they say is about the buffer when it is not <c>NULL</c>. (Plain joins: a helper
    /// is short, and the incremental join could not tell the two paths apart.)
    /// </summary>
    private sealed class NullStores : IDataflowDomain<SizeState>
    {
        private readonly KnownSizesDomain _sizes;
        private readonly DriverApi _api;
        private readonly SizeLocations _locations;
        private readonly ImmutableHashSet<TrackedLocation> _buffers;
        private readonly ImmutableArray<TrackedLocation> _numbers;

        public NullStores(
            KnownSizesDomain sizes, DriverApi api, SizeLocations locations, ImmutableHashSet<TrackedLocation> buffers, ImmutableArray<TrackedLocation> numbers)
        {
            _sizes = sizes;
            _api = api;
            _locations = locations;
            _buffers = buffers;
            _numbers = numbers;
        }

        public SizeState Entry => _sizes.Entry;

        public SizeState Unreached => _sizes.Unreached;

        public SizeState Join(SizeState left, SizeState right)
        {
            var joined = _sizes.Join(left, right);
            if (left.IsUnreached || right.IsUnreached)
            {
                return joined;
            }

            // The side that handed each buffer out where the other still holds NULL; one side for all, or none.
            SizeState? handedOut = null;
            var overridden = new List<TrackedLocation>();
            foreach (var buffer in _buffers)
            {
                var side = IsMarkedNull(left, buffer) && right.BufferOf(buffer) is not null && !IsMarkedNull(right, buffer) ? right
                    : IsMarkedNull(right, buffer) && left.BufferOf(buffer) is not null && !IsMarkedNull(left, buffer) ? left
                    : null;
                if (side is null)
                {
                    continue;
                }

                if (handedOut is not null && !ReferenceEquals(handedOut, side))
                {
                    return joined;
                }

                handedOut = side;
                overridden.Add(buffer);
            }

            if (handedOut is null)
            {
                return joined;
            }

            foreach (var buffer in overridden)
            {
                joined = joined.WithBuffer(buffer, handedOut.BufferOf(buffer));
            }

            foreach (var number in _numbers)
            {
                joined = joined.WithValue(number, handedOut.FactsOf(number));
            }

            return joined;
        }

        public bool AreEqual(SizeState left, SizeState right) => _sizes.AreEqual(left, right);

        public SizeState AssumeCondition(SizeState state, IOperation condition, bool whenTrue) => _sizes.AssumeCondition(state, condition, whenTrue);

        public SizeState Transfer(SizeState state, IOperation operation, CancellationToken cancellationToken)
        {
            state = _sizes.Transfer(state, operation, cancellationToken);
            if (operation is IExpressionStatementOperation statement)
            {
                operation = statement.Operation;
            }

            if (state.IsUnreached || operation is not ISimpleAssignmentOperation assignment || !IsNull(assignment.Value) ||
                _locations.Of(assignment.Target) is not { } target)
            {
                return state;
            }

            foreach (var buffer in _buffers)
            {
                if (buffer.Equals(target) || SizeLocations.DependsOn(buffer, target))
                {
                    state = state.WithBuffer(buffer, NullBuffer);
                }
            }

            return state;
        }

        /// <summary><c>NULL</c>, <c>default</c>, or a structure created with nothing set.</summary>
        private bool IsNull(IOperation value) =>
            StatusDomain.IsNull(_api, value) ||
            OperationUnwrap.Unwrap(value) is IObjectCreationOperation { Arguments.IsEmpty: true, Initializer: null, Type.TypeKind: TypeKind.Struct };
    }
}
