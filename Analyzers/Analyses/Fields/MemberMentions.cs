using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Fields;

/// <summary>
/// The writes and by-value arguments of members, by name: the first question about a name reads the trees whose
/// <see cref="SyntaxTreeIndex"/> mentions it, and each of them answers which of its mentions that write or pass a
/// member of that name (<see cref="MemberStores.IsWriteOrPassedByValue"/>) are which member (bound once per tree and
/// kept across the compilations of IDE edits: <see cref="TreeFacts{TAnswer}"/>). Every later question about any member
/// of that name in the compilation is a lookup; after an edit inside a body only the edited tree is bound again.
/// Thread-safe.
/// </summary>
internal sealed class MemberMentions
{
    private static readonly TreeFacts<Mention[]> TreeMentions = new();

    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<string, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>> _byName =
        new(StringComparer.Ordinal);

    private MemberMentions(AnalysisSession session) => _session = session;

    public static MemberMentions For(AnalysisSession session) => session.Feature(s => new MemberMentions(s));

    /// <summary>The mentions of <paramref name="member"/> (its original definition) that write it or pass it by value.</summary>
    public IReadOnlyList<(SemanticModel Model, IdentifierNameSyntax Identifier, ExpressionSyntax Access)> Of(ISymbol member, CancellationToken cancellationToken)
    {
        if (SymbolIds.IdOf(member) is not { } id)
        {
            return Array.Empty<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>();
        }

        while (true)
        {
            var lazy = _byName.GetOrAdd(
                member.Name,
                name => new Lazy<Dictionary<string, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>(
                    () => Collect(name, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return lazy.Value.TryGetValue(id, out var mentions)
                    ? mentions
                    : Array.Empty<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>();
            }
            catch (OperationCanceledException)
            {
                // The collection was cancelled by the token of whoever started it: it is not kept, and a caller whose
                // own token is not cancelled collects again.
                ((ICollection<KeyValuePair<string, Lazy<Dictionary<string, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>>>)_byName)
                    .Remove(new KeyValuePair<string, Lazy<Dictionary<string, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>>(member.Name, lazy));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The mentions of members named <paramref name="name"/>, by member ID, with the current compilation's models.</summary>
    private Dictionary<string, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>> Collect(string name, CancellationToken cancellationToken)
    {
        var compilation = _session.Compilation;
        var byMember = new Dictionary<string, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = _session.Index(tree, cancellationToken);
            if (!index.Mentions(name))
            {
                continue;
            }

            var mentions = TreeMentions.Get(_session, tree, name, (model, ct) => Bind(model, index, name, ct), cancellationToken);
            if (mentions.Length == 0)
            {
                continue;
            }

            var model = ModelOf(compilation, tree);
            var root = tree.GetRoot(cancellationToken);
            foreach (var mention in mentions)
            {
                if (root.FindToken(mention.Position).Parent is not IdentifierNameSyntax identifier)
                {
                    continue;
                }

                if (!byMember.TryGetValue(mention.MemberId, out var list))
                {
                    byMember[mention.MemberId] = list = new List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>();
                }

                list.Add((model, identifier, AccessOf(identifier)));
            }
        }

        return byMember;
    }

    /// <summary>One tree's answer: its mentions of <paramref name="name"/> (found from its index, no walk) that write or pass a field or property, each with the member's ID.</summary>
    private static Mention[] Bind(SemanticModel model, SyntaxTreeIndex index, string name, CancellationToken cancellationToken)
    {
        var mentions = new List<Mention>();
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        foreach (var position in index.PositionsOf(name))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (root.FindToken(position).Parent is not IdentifierNameSyntax identifier || identifier.SpanStart != position ||
                !MemberStores.IsWriteOrPassedByValue(AccessOf(identifier)))
            {
                continue;
            }

            if (model.GetSymbolInfo(identifier, cancellationToken).Symbol?.OriginalDefinition is { Kind: SymbolKind.Field or SymbolKind.Property } symbol &&
                SymbolIds.IdOf(symbol) is { } id)
            {
                mentions.Add(new Mention(identifier.SpanStart, id));
            }
        }

        return mentions.ToArray();
    }

    /// <summary>The member access <paramref name="identifier"/> ends (<c>devExt.FileContext</c>), or the identifier itself.</summary>
    private static ExpressionSyntax AccessOf(IdentifierNameSyntax identifier) =>
        identifier.Parent is MemberAccessExpressionSyntax memberAccess && memberAccess.Name == identifier
            ? memberAccess
            : identifier;

#pragma warning disable RS1030 // members' mentions in other trees: bound once per name and tree, kept with the tree
    internal static SemanticModel ModelOf(Compilation compilation, SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

    /// <summary>A mention kept with its tree: where its identifier starts, and the member it binds to.</summary>
    private sealed class Mention
    {
        public Mention(int position, string memberId)
        {
            Position = position;
            MemberId = memberId;
        }

        public int Position { get; }

        public string MemberId { get; }
    }
}
