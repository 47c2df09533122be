#pragma warning disable RS1030 // the mentions of a name are in other trees of the same compilation: bound once per name and tree, kept with the tree
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The simple names of the compilation spelled like a symbol's name that bind to it, by name: the first question about
/// a name reads the trees whose <see cref="SyntaxTreeIndex"/> mentions it, and each of them answers which of its names
/// of that spelling (those the syntactic filter keeps) bind to which symbol (bound once per tree and kept across the
/// compilations of IDE edits: <see cref="TreeFacts{TAnswer}"/>). Every later question about any symbol of that name is a
/// lookup (sixty classes with a <c>Step1</c> helper or a <c>FileContext</c> field cost one pass, not sixty). One instance
/// per kind of question and compilation (a shared analysis' feature); thread-safe.
/// </summary>
internal sealed class NameMentions
{
    private static readonly TreeFacts<Mention[]> TreeMentions = new();

    private readonly AnalysisSession _session;
    private readonly string _kind;
    private readonly Func<SimpleNameSyntax, bool> _wanted;
    private readonly Func<ISymbol, bool> _accepts;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>>> _byName =
        new(StringComparer.Ordinal);

    /// <param name="session">The compilation's session.</param>
    /// <param name="kind">Names the question in the per-tree cache (one kind per filter pair).</param>
    /// <param name="wanted">The syntactic filter: the names worth binding.</param>
    /// <param name="accepts">The symbols (original definitions) a kept name may bind to.</param>
    public NameMentions(AnalysisSession session, string kind, Func<SimpleNameSyntax, bool> wanted, Func<ISymbol, bool> accepts)
    {
        _session = session;
        _kind = kind;
        _wanted = wanted;
        _accepts = accepts;
    }

    /// <summary>The kept names that bind to <paramref name="symbol"/> (its original definition), each with its tree's model.</summary>
    public IReadOnlyList<(SemanticModel Model, SimpleNameSyntax Name)> Of(ISymbol symbol, CancellationToken cancellationToken)
    {
        if (SymbolIds.IdOf(symbol) is not { } id)
        {
            return Array.Empty<(SemanticModel, SimpleNameSyntax)>();
        }

        while (true)
        {
            var lazy = _byName.GetOrAdd(
                symbol.Name,
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
                    .Remove(new KeyValuePair<string, Lazy<Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>>>(symbol.Name, lazy));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The simple names of the tree spelled <paramref name="name"/>, from its index (no walk of the tree), in source order.</summary>
    public static IEnumerable<SimpleNameSyntax> Names(SyntaxTree tree, SyntaxTreeIndex index, string name, CancellationToken cancellationToken) =>
        NamesAt(tree, index.PositionsOf(name), cancellationToken);

    /// <summary>The simple names of the tree that start at <paramref name="positions"/> (positions from its index).</summary>
    private static IEnumerable<SimpleNameSyntax> NamesAt(SyntaxTree tree, List<int> positions, CancellationToken cancellationToken)
    {
        var root = tree.GetRoot(cancellationToken);
        foreach (var position in positions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (root.FindToken(position).Parent is SimpleNameSyntax simpleName && simpleName.SpanStart == position)
            {
                yield return simpleName;
            }
        }
    }

    /// <summary>
    /// The invocations of the tree whose invoked name (a simple or generic name, or the name a member access ends with)
    /// <paramref name="accepts"/>, found from the tree's index instead of a walk of every node, in the order a walk of the
    /// tree meets them (an invocation before the ones in its receiver and arguments).
    /// </summary>
    public static List<InvocationExpressionSyntax> Invocations(
        SyntaxTree tree, SyntaxTreeIndex index, Func<string, bool> accepts, CancellationToken cancellationToken)
    {
        var calls = new List<InvocationExpressionSyntax>();
        foreach (var name in NamesAt(tree, index.PositionsOf(accepts), cancellationToken))
        {
            if (CallOf(name) is { } call)
            {
                calls.Add(call);
            }
        }

        calls.Sort((a, b) => a.SpanStart != b.SpanStart ? a.SpanStart.CompareTo(b.SpanStart) : b.Span.Length.CompareTo(a.Span.Length));
        return calls;
    }

    /// <summary><paramref name="name"/>, or the member access it ends (<c>devExt.FileContext</c>, <c>Driver.Helper</c>).</summary>
    public static ExpressionSyntax Expression(SimpleNameSyntax name) =>
        name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;

    /// <summary>The call that <paramref name="name"/> (or the member access it ends) invokes (<c>Helper(…)</c>, <c>Driver.Helper(…)</c>), or null.</summary>
    public static InvocationExpressionSyntax? CallOf(SimpleNameSyntax name) =>
        Expression(name) is var expression && expression.Parent is InvocationExpressionSyntax call && call.Expression == expression ? call : null;

    /// <summary>The kept names spelled <paramref name="name"/>, by symbol ID, with the current compilation's models.</summary>
    private Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>> Collect(string name, CancellationToken cancellationToken)
    {
        var compilation = _session.Compilation;
        var bySymbol = new Dictionary<string, List<(SemanticModel, SimpleNameSyntax)>>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = _session.Index(tree, cancellationToken);
            if (!index.Mentions(name))
            {
                continue;
            }

            var mentions = TreeMentions.Get(_session, tree, _kind + " " + name, (model, ct) => Bind(model, index, name, ct), cancellationToken);
            if (mentions.Length == 0)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot(cancellationToken);
            foreach (var mention in mentions)
            {
                if (root.FindToken(mention.Position).Parent is not SimpleNameSyntax simpleName)
                {
                    continue;
                }

                if (!bySymbol.TryGetValue(mention.SymbolId, out var list))
                {
                    bySymbol[mention.SymbolId] = list = new List<(SemanticModel, SimpleNameSyntax)>();
                }

                list.Add((model, simpleName));
            }
        }

        return bySymbol;
    }

    /// <summary>One tree's answer: its kept names spelled <paramref name="name"/> that bind to an accepted symbol, each with the symbol's ID.</summary>
    private Mention[] Bind(SemanticModel model, SyntaxTreeIndex index, string name, CancellationToken cancellationToken)
    {
        var mentions = new List<Mention>();
        foreach (var simpleName in Names(model.SyntaxTree, index, name, cancellationToken))
        {
            if (!_wanted(simpleName))
            {
                continue;
            }

            _session.Telemetry.NamedNodeBound();
            if (model.GetSymbolInfo(simpleName, cancellationToken).Symbol?.OriginalDefinition is { } symbol && _accepts(symbol) &&
                SymbolIds.IdOf(symbol) is { } id)
            {
                mentions.Add(new Mention(simpleName.SpanStart, id));
            }
        }

        return mentions.ToArray();
    }

    /// <summary>A mention kept with its tree: where its name starts, and the symbol it binds to.</summary>
    private sealed class Mention
    {
        public Mention(int position, string symbolId)
        {
            Position = position;
            SymbolId = symbolId;
        }

        public int Position { get; }

        public string SymbolId { get; }
    }
}
