using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Every mention of a method of the driver in the compilation (a call, a method group given as a callback), by name: the
/// first question about a name reads the trees whose <see cref="SyntaxTreeIndex"/> mentions it, and each of them answers
/// which of its simple names of that spelling bind to which method (bound once per tree and kept across the compilations
/// of IDE edits: <see cref="TreeFacts{TAnswer}"/>). Every later question about any method of that name in the compilation
/// is a lookup (sixty classes with a <c>Step1</c> helper each cost one pass, not sixty). Serves the cross-method questions
/// "who calls this helper" and "who registers this routine". Thread-safe.
/// </summary>
internal sealed class MethodMentions
{
    private static readonly TreeFacts<Mention[]> TreeMentions = new();

    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>>> _byName =
        new(StringComparer.Ordinal);

    private MethodMentions(AnalysisSession session) => _session = session;

    public static MethodMentions For(AnalysisSession session) => session.Feature(s => new MethodMentions(s));

    /// <summary>The names that bind to <paramref name="method"/> (its original definition), each with its tree's model.</summary>
    public IReadOnlyList<(SemanticModel Model, SimpleNameSyntax Name)> Of(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (SymbolIds.IdOf(method) is not { } id)
        {
            return Array.Empty<(SemanticModel, SimpleNameSyntax)>();
        }

        while (true)
        {
            var lazy = _byName.GetOrAdd(
                method.Name,
                name => new Lazy<Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>>(
                    () => Collect(name, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return lazy.Value.TryGetValue(id, out var mentions)
                    ? mentions
                    : Array.Empty<(SemanticModel, SimpleNameSyntax)>();
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the token of whoever started the collection: not kept; a caller whose own token is not
                // cancelled collects again.
                ((ICollection<KeyValuePair<string, Lazy<Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>>>>)_byName)
                    .Remove(new KeyValuePair<string, Lazy<Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>>>(method.Name, lazy));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary><paramref name="name"/>, or the member access it ends (<c>Driver.Helper</c>): the expression a call or an argument holds.</summary>
    public static ExpressionSyntax Expression(SimpleNameSyntax name) =>
        name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;

    /// <summary>The mentions of methods named <paramref name="name"/>, by method ID, with the current compilation's models.</summary>
    private Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>> Collect(string name, CancellationToken cancellationToken)
    {
        var compilation = _session.Compilation;
        var byMethod = new Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>(StringComparer.Ordinal);
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

#pragma warning disable RS1030 // the mentions of a method are in other trees of the same compilation; bound once per name and tree, kept with the tree
            var treeModel = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            var root = tree.GetRoot(cancellationToken);
            foreach (var mention in mentions)
            {
                if (root.FindToken(mention.Position).Parent is not SimpleNameSyntax simpleName)
                {
                    continue;
                }

                if (!byMethod.TryGetValue(mention.MethodId, out var list))
                {
                    byMethod[mention.MethodId] = list = new List<(SemanticModel, SimpleNameSyntax)>();
                }

                list.Add((treeModel, simpleName));
            }
        }

        return byMethod;
    }

    /// <summary>One tree's answer: its simple names spelled <paramref name="name"/> (found from its index, no walk) that bind to a method, each with the method's ID.</summary>
    private static Mention[] Bind(SemanticModel model, SyntaxTreeIndex index, string name, CancellationToken cancellationToken)
    {
        var mentions = new List<Mention>();
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        foreach (var position in index.PositionsOf(name))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (root.FindToken(position).Parent is SimpleNameSyntax simpleName && simpleName.SpanStart == position &&
                model.GetSymbolInfo(simpleName, cancellationToken).Symbol?.OriginalDefinition is IMethodSymbol method &&
                SymbolIds.IdOf(method) is { } id)
            {
                mentions.Add(new Mention(position, id));
            }
        }

        return mentions.ToArray();
    }

    /// <summary>A mention kept with its tree: where its name starts, and the method it binds to.</summary>
    private sealed class Mention
    {
        public Mention(int position, string methodId)
        {
            Position = position;
            MethodId = methodId;
        }

        public int Position { get; }

        public string MethodId { get; }
    }
}
