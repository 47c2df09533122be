using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The identifier names one syntax tree mentions, each with where it occurs, and where the tree creates lambdas and
/// anonymous methods: a purely syntactic index, built by one walk of the tree's tokens and cached per tree object. In
/// the IDE every edit makes a new compilation, but unchanged trees are the same objects, so their index survives edits
/// and only the edited tree is scanned again. A cross-method question ("who creates the request held in field F?")
/// looks only at the trees that mention the names it needs, and binds nothing else; a body's pre-filter
/// (<see cref="NameScreen"/>) reads its answer from the index instead of scanning the body.
/// </summary>
internal sealed class SyntaxTreeIndex
{
    private static readonly PerTree<SyntaxTreeIndex> Cache = new();

    private readonly Dictionary<string, int> _ids;
    private readonly int[] _identifierIds;
    private readonly int[] _identifierPositions;

    private SyntaxTreeIndex(Dictionary<string, int> ids, int[] identifierIds, int[] identifierPositions, int[] anonymousFunctions)
    {
        _ids = ids;
        _identifierIds = identifierIds;
        _identifierPositions = identifierPositions;
        AnonymousFunctions = anonymousFunctions;
    }

    /// <summary>The positions of the tree's lambda arrows (<c>=&gt;</c>) and <c>delegate</c> keywords of anonymous methods, ascending.</summary>
    public IReadOnlyList<int> AnonymousFunctions { get; }

    /// <summary>The index of <paramref name="tree"/>, built on first use (counted in <see cref="EngineTelemetry.TreesIndexed"/>).</summary>
    public static SyntaxTreeIndex For(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        Cache.TryGet(tree, out var index) ? index : Cache.Get(tree, ct => Build(tree, telemetry, ct), cancellationToken);

    /// <summary>True when the tree has an identifier <paramref name="name"/> anywhere.</summary>
    public bool Mentions(string name) => _ids.ContainsKey(name);

    /// <summary>True when the tree mentions every one of <paramref name="names"/>.</summary>
    public bool MentionsAll(params string[] names)
    {
        foreach (var name in names)
        {
            if (!_ids.ContainsKey(name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The positions of the identifiers called <paramref name="name"/>, ascending.</summary>
    public List<int> PositionsOf(string name)
    {
        var positions = new List<int>();
        if (_ids.TryGetValue(name, out var id))
        {
            for (var i = 0; i < _identifierIds.Length; i++)
            {
                if (_identifierIds[i] == id)
                {
                    positions.Add(_identifierPositions[i]);
                }
            }

            positions.Sort();
        }

        return positions;
    }

    /// <summary>The positions of the identifiers whose name <paramref name="accepts"/> takes (each distinct name asked once), in no order.</summary>
    public List<int> PositionsOf(Func<string, bool> accepts)
    {
        var positions = new List<int>();
        bool[]? accepted = null;
        foreach (var pair in _ids)
        {
            if (accepts(pair.Key))
            {
                (accepted ??= new bool[_ids.Count])[pair.Value] = true;
            }
        }

        if (accepted is not null)
        {
            for (var i = 0; i < _identifierIds.Length; i++)
            {
                if (accepted[_identifierIds[i]])
                {
                    positions.Add(_identifierPositions[i]);
                }
            }
        }

        return positions;
    }

    /// <summary>One walk of the tree's tokens, without recursion (deeply nested code cannot overflow the stack).</summary>
    private static SyntaxTreeIndex Build(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var identifierIds = new List<int>();
        var identifierPositions = new List<int>();
        var functions = new List<int>();
        var pending = new Stack<SyntaxNode>();
        pending.Push(tree.GetRoot(cancellationToken));
        var walked = 0;
        while (pending.Count > 0)
        {
            if ((++walked & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            foreach (var child in pending.Pop().ChildNodesAndTokens())
            {
                if (child.AsNode() is { } node)
                {
                    pending.Push(node);
                    continue;
                }

                var token = child.AsToken();
                switch (token.Kind())
                {
                    case SyntaxKind.IdentifierToken:
                        var name = token.ValueText;
                        if (!ids.TryGetValue(name, out var id))
                        {
                            ids[name] = id = ids.Count;
                        }

                        identifierIds.Add(id);
                        identifierPositions.Add(token.SpanStart);
                        break;
                    case SyntaxKind.EqualsGreaterThanToken when token.Parent is LambdaExpressionSyntax:
                    case SyntaxKind.DelegateKeyword when token.Parent is AnonymousMethodExpressionSyntax:
                        functions.Add(token.SpanStart);
                        break;
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        functions.Sort();
        telemetry.TreeIndexed();
        return new SyntaxTreeIndex(ids, identifierIds.ToArray(), identifierPositions.ToArray(), functions.ToArray());
    }
}
