using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Fields;

/// <summary>
/// The writes and the by-value arguments of fields and properties, each found and bound once per name and tree
/// (<see cref="NameMentions"/>, two questions: only the identifiers that write a member, <see cref="MemberStores.IsWrite"/>,
/// and only those that pass one by value, <see cref="MemberStores.IsPassedByValue"/>): every later question about any
/// member of that name is a lookup; after an edit inside a body only the edited tree is bound again. A member that is
/// only read and passed (a <c>static readonly</c> pool block given to every copy) costs its writes' question no binding.
/// Thread-safe.
/// </summary>
internal sealed class MemberMentions
{
    private readonly NameMentions _writes;
    private readonly NameMentions _passes;

    private MemberMentions(AnalysisSession session)
    {
        _writes = Members(session, "member writes", MemberStores.IsWrite);
        _passes = Members(session, "member passes", MemberStores.IsPassedByValue);
    }

    public static MemberMentions For(AnalysisSession session) => session.Feature(s => new MemberMentions(s));

    /// <summary>The mentions of <paramref name="member"/> (its original definition) that write it.</summary>
    public IEnumerable<(SemanticModel Model, IdentifierNameSyntax Identifier, ExpressionSyntax Access)> WritesOf(ISymbol member, CancellationToken cancellationToken) =>
        Of(_writes, member, cancellationToken);

    /// <summary>The mentions of <paramref name="member"/> (its original definition) that pass it by value.</summary>
    public IEnumerable<(SemanticModel Model, IdentifierNameSyntax Identifier, ExpressionSyntax Access)> PassesOf(ISymbol member, CancellationToken cancellationToken) =>
        Of(_passes, member, cancellationToken);

    private static NameMentions Members(AnalysisSession session, string kind, System.Func<ExpressionSyntax, bool> wanted) =>
        new(session, kind, name => name is IdentifierNameSyntax && wanted(NameMentions.Expression(name)), symbol => symbol.Kind is SymbolKind.Field or SymbolKind.Property);

    private static IEnumerable<(SemanticModel Model, IdentifierNameSyntax Identifier, ExpressionSyntax Access)> Of(
        NameMentions names, ISymbol member, CancellationToken cancellationToken) =>
        names.Of(member, cancellationToken).Select(m => (m.Model, (IdentifierNameSyntax)m.Name, NameMentions.Expression(m.Name)));

#pragma warning disable RS1030 // members' stores in other trees: bound once per name and tree, kept with the tree
    internal static SemanticModel ModelOf(Compilation compilation, SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
}
