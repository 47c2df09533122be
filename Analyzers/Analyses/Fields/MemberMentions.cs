using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Fields;

/// <summary>
/// The writes and by-value arguments of fields and properties, found and bound once per name and tree
/// (<see cref="NameMentions"/>, kept only the identifiers that write or pass a member, <see cref="MemberStores.IsWriteOrPassedByValue"/>):
/// every later question about any member of that name is a lookup; after an edit inside a body only the edited tree is
/// bound again. Thread-safe.
/// </summary>
internal sealed class MemberMentions
{
    private readonly NameMentions _names;

    private MemberMentions(AnalysisSession session) =>
        _names = new NameMentions(
            session,
            "member stores",
            name => name is IdentifierNameSyntax && MemberStores.IsWriteOrPassedByValue(NameMentions.Expression(name)),
            symbol => symbol.Kind is SymbolKind.Field or SymbolKind.Property);

    public static MemberMentions For(AnalysisSession session) => session.Feature(s => new MemberMentions(s));

    /// <summary>The mentions of <paramref name="member"/> (its original definition) that write it or pass it by value.</summary>
    public IEnumerable<(SemanticModel Model, IdentifierNameSyntax Identifier, ExpressionSyntax Access)> Of(ISymbol member, CancellationToken cancellationToken) =>
        _names.Of(member, cancellationToken).Select(m => (m.Model, (IdentifierNameSyntax)m.Name, NameMentions.Expression(m.Name)));

#pragma warning disable RS1030 // members' stores in other trees: bound once per name and tree, kept with the tree
    internal static SemanticModel ModelOf(Compilation compilation, SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
}
