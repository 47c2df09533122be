using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The compilation-independent key of a declared symbol: its documentation ID (<c>M:Driver.OnTimer(WDFTIMER)</c>,
/// <c>F:Extension.FileContext</c>), of the original definition, cached per symbol. Per-tree facts kept across the
/// compilations of IDE edits (<see cref="TreeFacts{TAnswer}"/>) name symbols by it, never by the symbol object.
/// </summary>
internal static class SymbolIds
{
    private static readonly ConditionalWeakTable<ISymbol, string> Ids = new();

    /// <summary>The documentation ID of <paramref name="symbol"/>'s original definition, or null when it has none (an error symbol). A local function's is not unique: see <see cref="KeyIn"/>.</summary>
    public static string? IdOf(ISymbol symbol) =>
        Ids.GetValue(symbol.OriginalDefinition, s => DocumentationCommentId.CreateDeclarationId(s) ?? string.Empty) is { Length: > 0 } id ? id : null;

    /// <summary>
    /// The key of <paramref name="symbol"/> in the facts of <paramref name="tree"/>: its ID, or for a local function declared
    /// in that tree (which only its own tree can name) <c>@</c> and its position there; null when it has neither.
    /// </summary>
    public static string? KeyIn(ISymbol symbol, SyntaxTree tree)
    {
        if (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction })
        {
            var references = symbol.OriginalDefinition.DeclaringSyntaxReferences;
            return references.Length > 0 && references[0].SyntaxTree == tree
                ? "@" + references[0].Span.Start.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }

        return IdOf(symbol);
    }
}
