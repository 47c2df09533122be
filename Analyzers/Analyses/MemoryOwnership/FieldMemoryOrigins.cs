using System.Collections.Concurrent;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Fields;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.MemoryOwnership;

/// <summary>
/// Device-lifetime preallocated memory, across the methods of the driver (DRV040): a <c>WDFMEMORY</c> field or property
/// that only ever receives <c>WdfMemoryCreatePreallocated</c>'s memory (as its <c>out</c> argument; NULL or
/// <c>WDF_NO_HANDLE</c> aside), over a buffer held in a member of the same object that the driver frees somewhere (the
/// cleanup callback). A method that formats a request with that member and sends it asynchronously leaves a send that
/// may still be pending when the buffer is freed. Only the syntax trees whose <see cref="SyntaxTreeIndex"/> mentions the
/// member's name are read, once per member and compilation. The same reading answers which member always holds
/// <c>WdfMemoryCreatePreallocated</c>'s memory, whatever its buffer (<see cref="PreallocatedCreationOf"/>).
/// </summary>
internal sealed class FieldMemoryOrigins
{
    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<ISymbol, Origin?> _byMember = new(SymbolEqualityComparer.Default);

    public FieldMemoryOrigins(AnalysisSession session) => _session = session;

    /// <summary>
    /// The origin of the memory held in <paramref name="memory"/> (a member path) when it is always preallocated over a
    /// sibling member the driver frees (its buffer's location on the same path, and the free); otherwise null.
    /// </summary>
    public MemoryOrigin? Of(TrackedLocation? memory, CancellationToken cancellationToken)
    {
        if (OriginOf(memory, cancellationToken) is not { BufferMember: { } bufferMember, Free: { } free } origin ||
            (memory!.Holder is { } holder ? holder.Member(bufferMember) : memory.IsOwnMember ? TrackedLocation.ForSymbol(bufferMember) : null) is not { } buffer)
        {
            return null;
        }

        return new MemoryOrigin(preallocated: true, origin.Creation.TargetMethod.Name, origin.Creation, buffer, stackBuffer: null, free);
    }

    /// <summary>
    /// The <c>WdfMemoryCreatePreallocated</c> call whose memory <paramref name="memory"/> (a member path) always holds (NULL
    /// aside), whatever its buffer; otherwise null. What <c>WdfMemoryAssignBuffer</c> gives another buffer.
    /// </summary>
    public IInvocationOperation? PreallocatedCreationOf(TrackedLocation? memory, CancellationToken cancellationToken) =>
        OriginOf(memory, cancellationToken)?.Creation;

    private Origin? OriginOf(TrackedLocation? memory, CancellationToken cancellationToken)
    {
        if (memory is not { IsMember: true } || memory.Symbol is not ({ Kind: SymbolKind.Field or SymbolKind.Property } member) ||
            !SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, _session.Compilation.Assembly) ||
            !SymbolEqualityComparer.Default.Equals(TrackedLocation.TypeOfMember(member), _session.Api.WdfMemory))
        {
            return null;
        }

        member = member.OriginalDefinition;
        if (!_byMember.TryGetValue(member, out var origin))
        {
            origin = _byMember.GetOrAdd(member, Gather(member, cancellationToken));
        }

        return origin;
    }

    private Origin? Gather(ISymbol member, CancellationToken cancellationToken)
    {
        var catalog = _session.Catalog;
        IInvocationOperation? creation = null;
        ISymbol? bufferMember = null;
        var oneBufferMember = true;
        foreach (var store in MemberStores.Of(_session, member, cancellationToken))
        {
            if (store.Value is { } value)
            {
                if (store.Model.GetOperation(value, cancellationToken) is { } stored && IsNoHandle(catalog.Api, stored))
                {
                    continue;
                }

                return null;
            }

            if (store.OutArgument?.Parent?.Parent is not InvocationExpressionSyntax call ||
                store.Model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
                !catalog.Has(invocation.TargetMethod, DdiRole.CreatesMemory | DdiRole.WrapsBuffer) || (catalog.RolesOf(invocation.TargetMethod) & DdiRole.WrapsBuffer) == 0)
            {
                return null;
            }

            var buffer = BufferMemberOf(invocation, store.Receiver);
            oneBufferMember &= buffer is not null && (bufferMember is null || SymbolEqualityComparer.Default.Equals(bufferMember, buffer));
            creation ??= invocation;
            bufferMember ??= buffer;
        }

        if (creation is null)
        {
            return null;
        }

        // The buffer member and its free only when every creation wraps the same member.
        return oneBufferMember && bufferMember is not null && FreeOf(bufferMember, cancellationToken) is { } free
            ? new Origin(creation, bufferMember, free)
            : new Origin(creation, null, null);
    }

    /// <summary>The member given as the preallocated buffer, read through the same receiver as the memory (or both of <c>this</c>).</summary>
    private static ISymbol? BufferMemberOf(IInvocationOperation creation, ExpressionSyntax? memoryReceiver)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name != "Buffer")
            {
                continue;
            }

            var value = OperationUnwrap.Unwrap(argument.Value);
            var (symbol, instance) = value switch
            {
                IFieldReferenceOperation field => ((ISymbol)field.Field, field.Instance),
                IPropertyReferenceOperation property => (property.Property, property.Instance),
                _ => (null, null),
            };
            if (symbol is null)
            {
                return null;
            }

            var sameReceiver = instance is null or IInstanceReferenceOperation
                ? memoryReceiver is null
                : memoryReceiver is not null && instance.Syntax.IsEquivalentTo(memoryReceiver, topLevel: false);
            return sameReceiver ? symbol.OriginalDefinition : null;
        }

        return null;
    }

    /// <summary>A call in the driver that frees the pool held in <paramref name="buffer"/>, or null.</summary>
    private IInvocationOperation? FreeOf(ISymbol buffer, CancellationToken cancellationToken)
    {
        foreach (var (model, call) in MemberStores.PassedTo(_session, buffer, cancellationToken))
        {
            if (model.GetOperation(call, cancellationToken) is IInvocationOperation invocation &&
                _session.Catalog.Has(invocation.TargetMethod, DdiRole.FreesPool))
            {
                return invocation;
            }
        }

        return null;
    }

    private static bool IsNoHandle(DriverApi api, IOperation operation) =>
        OperationUnwrap.Unwrap(operation) switch
        {
            IFieldReferenceOperation field => api.IsConstant(field.Field, "NULL") || api.IsConstant(field.Field, "WDF_NO_HANDLE"),
            IDefaultValueOperation => true,
            ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
            _ => false,
        };

    private sealed class Origin
    {
        public Origin(IInvocationOperation creation, ISymbol? bufferMember, IInvocationOperation? free)
        {
            Creation = creation;
            BufferMember = bufferMember;
            Free = free;
        }

        public IInvocationOperation Creation { get; }

        /// <summary>The member every creation wraps, when the driver frees it somewhere (else null).</summary>
        public ISymbol? BufferMember { get; }

        public IInvocationOperation? Free { get; }
    }
}
