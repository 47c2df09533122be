using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Fields;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// A pool block kept in a field together with its size, across the methods of the driver (OSR USB FX2's
/// <c>ConfigurationDescriptor</c> and <c>ConfigurationDescriptorSize</c>, set side by side in PrepareHardware): the
/// pointer member's block holds at least the size member's value wherever the pointer is read. Paired when every
/// store into the pointer member in the compilation (<see cref="MemberStores"/>) is NULL, a read of itself, or a pool
/// allocation (directly or through a local of the storing method) whose size expression the same method stores into
/// one member of the same type through the same receiver; and every store into that size member is in a method that
/// also stores the pointer. Computed once per member and compilation.
/// </summary>
internal sealed class PoolFieldSizes
{
    private readonly AnalysisSession _session;
    private readonly SizeDdis _ddis;
    private readonly ConcurrentDictionary<ISymbol, ISymbol?> _sizeMembers = new(SymbolEqualityComparer.Default);

    public PoolFieldSizes(AnalysisSession session, SizeDdis ddis)
    {
        _session = session;
        _ddis = ddis;
    }

    /// <summary>The member that holds the size of the pool block kept in <paramref name="pointer"/>, or null when there is none.</summary>
    public ISymbol? SizeMemberOf(ISymbol pointer, CancellationToken cancellationToken)
    {
        if (pointer.Kind is not (SymbolKind.Field or SymbolKind.Property) ||
            !SymbolEqualityComparer.Default.Equals(pointer.ContainingAssembly, _session.Compilation.Assembly) ||
            !SymbolEqualityComparer.Default.Equals(TrackedLocation.TypeOfMember(pointer), _ddis.Api.Pvoid))
        {
            return null;
        }

        pointer = pointer.OriginalDefinition;
        if (_sizeMembers.TryGetValue(pointer, out var known))
        {
            return known;
        }

        var size = Pair(pointer, cancellationToken);
        return _sizeMembers.GetOrAdd(pointer, size);
    }

    private ISymbol? Pair(ISymbol pointer, CancellationToken cancellationToken)
    {
        HashSet<ISymbol>? candidates = null;
        var storingBodies = new HashSet<SyntaxNode>();
        foreach (var store in MemberStores.Of(_session, pointer, cancellationToken))
        {
            if (store.Value is null || MemberStores.BodyOf(store.Site) is not { } body || !SizeOfStoredBlock(store, pointer, body, out var size, cancellationToken))
            {
                return null;
            }

            storingBodies.Add(body);
            if (size is null)
            {
                continue; // NULL, or the member itself
            }

            var stored = SizeMembersStored(store, pointer, body, size, cancellationToken);
            if (candidates is null)
            {
                candidates = stored;
            }
            else
            {
                candidates.IntersectWith(stored);
            }

            if (candidates.Count == 0)
            {
                return null;
            }
        }

        if (candidates is not { Count: 1 })
        {
            return null;
        }

        var sizeMember = System.Linq.Enumerable.Single(candidates);
        foreach (var store in MemberStores.Of(_session, sizeMember, cancellationToken))
        {
            if (MemberStores.BodyOf(store.Site) is not { } body || !storingBodies.Contains(body))
            {
                return null;
            }
        }

        return sizeMember;
    }

    /// <summary>
    /// The size expression of the pool block a store puts into the member (null for NULL or a read of the member);
    /// false when the value is anything else.
    /// </summary>
    private bool SizeOfStoredBlock(MemberStore store, ISymbol pointer, SyntaxNode body, out ExpressionSyntax? size, CancellationToken cancellationToken)
    {
        size = null;
        var model = store.Model;
        if (OperationUnwrap.Unwrap(model.GetOperation(store.Value!, cancellationToken)) is not ILocalReferenceOperation local)
        {
            return SizeOfValue(model, store.Value!, pointer, ref size, cancellationToken);
        }

        if (MemberStores.LocalValues(model, body, local.Local, cancellationToken) is not { } values)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (!SizeOfValue(model, value, pointer, ref size, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private bool SizeOfValue(SemanticModel model, ExpressionSyntax value, ISymbol pointer, ref ExpressionSyntax? size, CancellationToken cancellationToken)
    {
        var operation = OperationUnwrap.Unwrap(model.GetOperation(value, cancellationToken));
        switch (operation)
        {
            case null:
                return false;
            case IFieldReferenceOperation field when _ddis.Api.IsConstant(field.Field, "NULL"):
            case IDefaultValueOperation:
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }:
                return true;
            case IFieldReferenceOperation field when SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, pointer):
            case IPropertyReferenceOperation property when SymbolEqualityComparer.Default.Equals(property.Property.OriginalDefinition, pointer):
                return true;
            case IInvocationOperation invocation when _ddis.IsPoolAllocation(invocation.TargetMethod) &&
                SizeDdis.Argument(invocation, 1)?.Syntax is ExpressionSyntax allocated:
                if (size is not null && !SameText(size, allocated))
                {
                    return false;
                }

                size = allocated;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The members of the pointer's type that <paramref name="body"/> assigns <paramref name="size"/> through the store's receiver.</summary>
    private HashSet<ISymbol> SizeMembersStored(MemberStore store, ISymbol pointer, SyntaxNode body, ExpressionSyntax size, CancellationToken cancellationToken)
    {
        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var node in body.DescendantNodes())
        {
            if (node is not AssignmentExpressionSyntax { Left: var left, Right: var right } assignment ||
                !assignment.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression) || !SameText(right, size))
            {
                continue;
            }

            var receiver = left is MemberAccessExpressionSyntax { Expression: var expression } && expression is not ThisExpressionSyntax ? expression : null;
            if ((receiver is null) != (store.Receiver is null) || (receiver is not null && !SameText(receiver, store.Receiver!)))
            {
                continue;
            }

            if (store.Model.GetSymbolInfo(left, cancellationToken).Symbol?.OriginalDefinition is { Kind: SymbolKind.Field or SymbolKind.Property } member &&
                SymbolEqualityComparer.Default.Equals(member.ContainingType, pointer.ContainingType) && !SymbolEqualityComparer.Default.Equals(member, pointer) &&
                TrackedLocation.TypeOfMember(member)?.SpecialType is SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or
                    SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UIntPtr)
            {
                members.Add(member);
            }
        }

        return members;
    }

    private static bool SameText(SyntaxNode a, SyntaxNode b) => a.IsEquivalentTo(b, topLevel: false);
}
