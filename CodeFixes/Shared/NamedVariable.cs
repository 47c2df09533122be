using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>
/// A variable an analyzer names in a diagnostic's properties (its name, and where it is declared): the fix may write
/// that name at a position only if the name binds there to that very variable (not one that shadows it).
/// </summary>
internal static class NamedVariable
{
    /// <summary>
    /// The identifier for the variable named by <paramref name="nameKey"/>/<paramref name="declarationKey"/>, and the
    /// local or parameter it binds to at <paramref name="position"/>; null when the properties are missing or the name
    /// binds to something else there.
    /// </summary>
    public static (IdentifierNameSyntax Name, ISymbol Symbol)? Bind(
        SemanticModel model, Diagnostic diagnostic, string nameKey, string declarationKey, int position)
    {
        if (!diagnostic.Properties.TryGetValue(nameKey, out var name) || name is null ||
            !diagnostic.Properties.TryGetValue(declarationKey, out var declaredAt) ||
            !int.TryParse(declaredAt, NumberStyles.Integer, CultureInfo.InvariantCulture, out var declaration))
        {
            return null;
        }

        var identifier = SyntaxFactory.IdentifierName(name);
        var symbol = model.GetSpeculativeSymbolInfo(position, identifier, SpeculativeBindingOption.BindAsExpression).Symbol;
        return symbol is (ILocalSymbol or IParameterSymbol) && symbol.Name == name &&
               symbol.DeclaringSyntaxReferences.Length == 1 && symbol.DeclaringSyntaxReferences[0].Span.Start == declaration
            ? (identifier, symbol)
            : null;
    }
}
