using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Fields;

/// <summary>
/// The writes and by-value arguments of members, by name, once per compilation: the first question about a name reads
/// the trees whose <see cref="SyntaxTreeIndex"/> mentions it, binds each mention that writes or passes a member of
/// that name (<see cref="MemberStores.IsWriteOrPassedByValue"/>) once, and groups them by member. Every later question
/// about any member of that name is a lookup. Thread-safe.
/// </summary>
internal sealed class MemberMentions
{
    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<ISymbol, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>> _byName =
        new(StringComparer.Ordinal);

    private MemberMentions(AnalysisSession session) => _session = session;

    public static MemberMentions For(AnalysisSession session) => session.Feature(s => new MemberMentions(s));

    /// <summary>The mentions of <paramref name="member"/> (its original definition) that write it or pass it by value.</summary>
    public IReadOnlyList<(SemanticModel Model, IdentifierNameSyntax Identifier, ExpressionSyntax Access)> Of(ISymbol member, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _byName.GetOrAdd(
                member.Name,
                name => new Lazy<Dictionary<ISymbol, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>(
                    () => Collect(name, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return lazy.Value.TryGetValue(member, out var mentions)
                    ? mentions
                    : Array.Empty<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>();
            }
            catch (OperationCanceledException)
            {
                // The collection was cancelled by the token of whoever started it: it is not kept, and a caller whose
                // own token is not cancelled collects again.
                ((ICollection<KeyValuePair<string, Lazy<Dictionary<ISymbol, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>>>)_byName)
                    .Remove(new KeyValuePair<string, Lazy<Dictionary<ISymbol, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>>>(member.Name, lazy));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private Dictionary<ISymbol, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>> Collect(string name, CancellationToken cancellationToken)
    {
        var compilation = _session.Compilation;
        var byMember = new Dictionary<ISymbol, List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>>(SymbolEqualityComparer.Default);
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SyntaxTreeIndex.For(tree, _session.Telemetry, cancellationToken).Mentions(name))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != name)
                {
                    continue;
                }

                var access = identifier.Parent is MemberAccessExpressionSyntax memberAccess && memberAccess.Name == identifier
                    ? memberAccess
                    : (ExpressionSyntax)identifier;
                if (!MemberStores.IsWriteOrPassedByValue(access))
                {
                    continue;
                }

                if (model is null)
                {
                    model = ModelOf(compilation, tree);
                    _session.Telemetry.TreeBound();
                }

                if (model.GetSymbolInfo(identifier, cancellationToken).Symbol?.OriginalDefinition is { } symbol &&
                    symbol.Kind is SymbolKind.Field or SymbolKind.Property)
                {
                    if (!byMember.TryGetValue(symbol, out var mentions))
                    {
                        byMember[symbol] = mentions = new List<(SemanticModel, IdentifierNameSyntax, ExpressionSyntax)>();
                    }

                    mentions.Add((model, identifier, access));
                }
            }
        }

        return byMember;
    }

#pragma warning disable RS1030 // members' mentions in other trees: bound once per name and compilation, cached here
    internal static SemanticModel ModelOf(Compilation compilation, SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
}
