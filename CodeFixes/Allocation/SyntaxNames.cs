using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// Writes a reference to an API symbol the way the file in hand can say it: the bare name where it binds there
/// (after <c>using static DriverBuffers.Wdm;</c>), else qualified by its type (<c>Wdm.POOL_FLAG_PAGED</c>), else
/// fully qualified and left to the simplifier.
/// </summary>
internal static class SyntaxNames
{
    public static ExpressionSyntax For(ISymbol symbol, SemanticModel model, int position)
    {
        if (Binds(symbol, model, position))
        {
            return SyntaxFactory.IdentifierName(symbol.Name);
        }

        if (symbol is INamedTypeSymbol type)
        {
            return SyntaxFactory.ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .WithAdditionalAnnotations(Simplifier.Annotation);
        }

        var container = symbol.ContainingType is { } containingType
            ? For(containingType, model, position)
            : SyntaxFactory.ParseName(symbol.ContainingNamespace.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        return SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression, container, SyntaxFactory.IdentifierName(symbol.Name));
    }

    /// <summary>The member of <paramref name="type"/> called <paramref name="name"/>, written for <paramref name="position"/>.</summary>
    public static ExpressionSyntax? Member(INamedTypeSymbol type, string name, SemanticModel model, int position) =>
        type.GetMembers(name).FirstOrDefault() is { } member ? For(member, model, position) : null;

    private static bool Binds(ISymbol symbol, SemanticModel model, int position) =>
        model.LookupSymbols(position, name: symbol.Name)
            .Any(found => SymbolEqualityComparer.Default.Equals(found.OriginalDefinition, symbol.OriginalDefinition));
}
