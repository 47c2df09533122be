using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Analyses.Fields;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// The per-field "allocated with tag X" summary, across the methods of the driver: a pool block kept in a field or
/// property (a device extension's <c>FileContext</c>, allocated at <c>IRP_MJ_CREATE</c>) and read back in another
/// method or on another path (freed at <c>IRP_MJ_CLOSE</c>). A member qualifies when every store into it in the
/// compilation (<see cref="MemberStores"/>) is NULL, a read of the same member, or a pool allocation with a constant
/// tag (directly, or through a local of the storing method whose every assignment is one of those); anything else
/// written into it (a helper's result, a parameter, a <c>ref</c>/<c>out</c> argument, a compound assignment) leaves it
/// unknown. Computed once per member and compilation.
/// </summary>
internal sealed class FieldPoolTags
{
    private readonly PoolAnalysisContext _context;
    private readonly ConcurrentDictionary<ISymbol, ImmutableHashSet<PoolFact>> _byMember = new(SymbolEqualityComparer.Default);

    public FieldPoolTags(PoolAnalysisContext context) => _context = context;

    /// <summary>
    /// The allocations a block read from <paramref name="location"/>'s member may come from (one <see cref="PoolFactKind.Allocated"/>
    /// fact per allocation site), or empty when the member holds anything else somewhere.
    /// </summary>
    public ImmutableHashSet<PoolFact> Of(TrackedLocation location, CancellationToken cancellationToken)
    {
        if (!location.IsMember || location.Symbol is not ({ Kind: SymbolKind.Field or SymbolKind.Property } member) ||
            !SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, _context.Session.Compilation.Assembly) ||
            // Only a PVOID member can hold what a pool allocator returns: the others are not looked up.
            !SymbolEqualityComparer.Default.Equals(TrackedLocation.TypeOfMember(member), _context.Session.Api.Pvoid))
        {
            return ImmutableHashSet<PoolFact>.Empty;
        }

        member = member.OriginalDefinition;
        if (_byMember.TryGetValue(member, out var known))
        {
            return known;
        }

        var facts = Gather(member, cancellationToken);
        return _byMember.GetOrAdd(member, facts);
    }

    private ImmutableHashSet<PoolFact> Gather(ISymbol member, CancellationToken cancellationToken)
    {
        var allocations = ImmutableHashSet.CreateBuilder<PoolFact>();
        foreach (var store in MemberStores.Of(_context.Session, member, cancellationToken))
        {
            if (store.Value is null || !AddStoredValue(store, member, allocations, cancellationToken))
            {
                return ImmutableHashSet<PoolFact>.Empty;
            }
        }

        return allocations.ToImmutable();
    }

    /// <summary>A value stored into the member: NULL, a read of the member, a tagged allocation, or a local holding only those.</summary>
    private bool AddStoredValue(MemberStore store, ISymbol member, ImmutableHashSet<PoolFact>.Builder allocations, CancellationToken cancellationToken)
    {
        var model = store.Model;
        if (model.GetOperation(store.Value!, cancellationToken) is not { } operation)
        {
            return false;
        }

        if (PoolCalls.WithoutConversions(operation) is not ILocalReferenceOperation local)
        {
            return AddValue(operation, member, allocations);
        }

        if (MemberStores.BodyOf(store.Site) is not { } body || MemberStores.LocalValues(model, body, local.Local, cancellationToken) is not { } values)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (model.GetOperation(value, cancellationToken) is not { } assigned || !AddValue(assigned, member, allocations))
            {
                return false;
            }
        }

        return true;
    }

    private bool AddValue(IOperation operation, ISymbol member, ImmutableHashSet<PoolFact>.Builder allocations)
    {
        operation = PoolCalls.WithoutConversions(operation);
        var catalog = _context.Catalog;
        switch (operation)
        {
            case var _ when PoolCalls.IsNull(catalog.Api, operation):
                return true;
            case IFieldReferenceOperation field when SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, member):
                return true;
            case IPropertyReferenceOperation property when SymbolEqualityComparer.Default.Equals(property.Property.OriginalDefinition, member):
                return true;
            case IInvocationOperation invocation when PoolCalls.IsPoolAllocator(catalog, invocation.TargetMethod):
                var ordinal = PoolCalls.TagOrdinal(catalog, invocation.TargetMethod);
                if (ordinal < 0 || PoolCalls.Argument(invocation, ordinal)?.Value.ConstantValue is not { HasValue: true, Value: uint tag })
                {
                    return false;
                }

                allocations.Add(new PoolFact(PoolFactKind.Allocated, invocation, tag));
                return true;
            default:
                return false;
        }
    }
}
