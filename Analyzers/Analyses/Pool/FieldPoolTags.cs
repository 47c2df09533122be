using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// The per-field "allocated with tag X" summary, across the methods of the driver: a pool block kept in a field or
/// property (a device extension's <c>FileContext</c>, allocated at <c>IRP_MJ_CREATE</c>) and read back in another
/// method or on another path (freed at <c>IRP_MJ_CLOSE</c>). A member qualifies when every store into it in the
/// compilation is NULL, a read of the same member, or a pool allocation with a constant tag (directly, or through a
/// local of the storing method whose every assignment is one of those); anything else written into it (a helper's
/// result, a parameter, a <c>ref</c>/<c>out</c> argument, a compound assignment) leaves it unknown. Only the syntax
/// trees whose <see cref="SyntaxTreeIndex"/> mentions the member's name are read, once per member and compilation.
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
            !SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, _context.Session.Compilation.Assembly))
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
        var compilation = _context.Session.Compilation;
        var allocations = ImmutableHashSet.CreateBuilder<PoolFact>();
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer: { } initializer } &&
                !AddStoredValue(compilation.GetSemanticModel(reference.SyntaxTree), initializer.Value, member, allocations, cancellationToken))
            {
                return ImmutableHashSet<PoolFact>.Empty;
            }
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SyntaxTreeIndex.For(tree, _context.Session.Telemetry, cancellationToken).Mentions(member.Name))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var name in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (name is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != member.Name)
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(tree);
                if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol?.OriginalDefinition, member))
                {
                    continue;
                }

                if (!AddUse(model, identifier, member, allocations, cancellationToken))
                {
                    return ImmutableHashSet<PoolFact>.Empty;
                }
            }
        }

        return allocations.ToImmutable();
    }

    /// <summary>One mention of the member: a read adds nothing; a store adds its allocation. False when it may hold anything else.</summary>
    private bool AddUse(SemanticModel model, IdentifierNameSyntax identifier, ISymbol member, ImmutableHashSet<PoolFact>.Builder allocations, CancellationToken cancellationToken)
    {
        ExpressionSyntax access = identifier.Parent is MemberAccessExpressionSyntax memberAccess && memberAccess.Name == identifier
            ? memberAccess
            : identifier;
        switch (access.Parent)
        {
            case AssignmentExpressionSyntax assignment when assignment.Left == access:
                return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && AddStoredValue(model, assignment.Right, member, allocations, cancellationToken);
            case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None):
                return false;
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                return false;
            default:
                return true;
        }
    }

    /// <summary>A value stored into the member: NULL, a read of the member, a tagged allocation, or a local holding only those.</summary>
    private bool AddStoredValue(SemanticModel model, ExpressionSyntax value, ISymbol member, ImmutableHashSet<PoolFact>.Builder allocations, CancellationToken cancellationToken)
    {
        if (model.GetOperation(value, cancellationToken) is not { } operation)
        {
            return false;
        }

        operation = PoolCalls.WithoutConversions(operation);
        if (operation is ILocalReferenceOperation local)
        {
            return AddLocalValues(model, value, local.Local, member, allocations, cancellationToken);
        }

        return AddValue(operation, member, allocations);
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

    /// <summary>Every value the storing method assigns to <paramref name="local"/> (its initializer and assignments) must be one of <see cref="AddValue"/>'s.</summary>
    private bool AddLocalValues(SemanticModel model, SyntaxNode use, ILocalSymbol local, ISymbol member, ImmutableHashSet<PoolFact>.Builder allocations, CancellationToken cancellationToken)
    {
        var body = use.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);
        if (body is null)
        {
            return false;
        }

        foreach (var node in body.DescendantNodes())
        {
            ExpressionSyntax? assigned = null;
            switch (node)
            {
                case VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == local.Name:
                    if (!SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, cancellationToken), local))
                    {
                        continue;
                    }

                    if (declarator.Initializer is null)
                    {
                        continue;
                    }

                    assigned = declarator.Initializer.Value;
                    break;
                case AssignmentExpressionSyntax assignment when assignment.Left is IdentifierNameSyntax target && target.Identifier.ValueText == local.Name:
                    if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, local))
                    {
                        continue;
                    }

                    if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                    {
                        return false;
                    }

                    assigned = assignment.Right;
                    break;
                case ArgumentSyntax { Expression: IdentifierNameSyntax argument } byReference when
                    !byReference.RefKindKeyword.IsKind(SyntaxKind.None) && argument.Identifier.ValueText == local.Name:
                    return false;
                case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation } when designation.Identifier.ValueText == local.Name:
                    return false;
                default:
                    continue;
            }

            if (model.GetOperation(assigned, cancellationToken) is not { } value || !AddValue(value, member, allocations))
            {
                return false;
            }
        }

        return true;
    }
}
