using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The identifier names one syntax tree mentions, each with where it occurs, and where the tree creates lambdas and
/// anonymous methods: a purely syntactic index, built by reading the tree's text once and cached per tree object. In
/// the IDE every edit makes a new compilation, but unchanged trees are the same objects, so their index survives edits
/// and only the edited tree is scanned again. A cross-method question ("who creates the request held in field F?")
/// looks only at the trees that mention the names it needs, and binds nothing else; a body's pre-filter
/// (<see cref="NameScreen"/>) reads its answer from the index instead of scanning the body.
/// </summary>
internal sealed class SyntaxTreeIndex
{
    private static readonly PerTree<SyntaxTreeIndex> Cache = new();

    private readonly Dictionary<string, int> _ids;

    // The occurrences: the first _identifierCount entries of each array (the builder's arrays, kept as they are: no copy).
    private readonly int[] _identifierIds;
    private readonly int[] _identifierPositions;
    private readonly int _identifierCount;

    private SyntaxTreeIndex(Dictionary<string, int> ids, int[] identifierIds, int[] identifierPositions, int identifierCount, int[] anonymousFunctions)
    {
        _ids = ids;
        _identifierIds = identifierIds;
        _identifierPositions = identifierPositions;
        _identifierCount = identifierCount;
        AnonymousFunctions = anonymousFunctions;
    }

    /// <summary>The positions of the tree's lambda arrows (<c>=&gt;</c>) and <c>delegate</c> keywords of anonymous methods, ascending.</summary>
    public IReadOnlyList<int> AnonymousFunctions { get; }

    /// <summary>The index of <paramref name="tree"/>, built on first use (counted in <see cref="EngineTelemetry.TreesIndexed"/>).</summary>
    public static SyntaxTreeIndex For(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        Cache.TryGet(tree, out var index) ? index : BuildAndKeep(tree, telemetry, cancellationToken);

    /// <summary>The index built and kept: apart from <see cref="For"/>, so a tree already indexed allocates no closure.</summary>
    private static SyntaxTreeIndex BuildAndKeep(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        Cache.Get(tree, ct => Build(tree, telemetry, ct), cancellationToken);

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
            for (var i = 0; i < _identifierCount; i++)
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
            for (var i = 0; i < _identifierCount; i++)
            {
                if (accepted[_identifierIds[i]])
                {
                    positions.Add(_identifierPositions[i]);
                }
            }
        }

        return positions;
    }

    /// <summary>
    /// The tree's text read once by <see cref="IdentifierScanner"/> (characters, no tokens: a string per distinct name, not
    /// per occurrence), or, for a text the scanner leaves to the compiler (raw strings, conditional compilation, Unicode
    /// escapes), lexed again (<see cref="SyntaxFactory.ParseTokens"/>, with the tree's parse options; counted in
    /// <see cref="EngineTelemetry.TreesLexed"/>). Either way the tree is not walked (a walk would create its red nodes).
    /// </summary>
    private static SyntaxTreeIndex Build(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken).ToString();
        var builder = new Builder(Builder.ExpectedIdentifiers(text.Length));
        if (!IdentifierScanner.TryScan(text, builder, cancellationToken))
        {
            builder = Lex(tree, text, telemetry, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        telemetry.TreeIndexed();
        return builder.ToIndex();
    }

    /// <summary>
    /// The text lexed again: about six times cheaper than walking the tree. Identifiers in an interpolated string's holes
    /// are read from the tree's node for that string. The lexer knows no context, so the index is a superset of the tree's
    /// identifier names (contextual keywords such as <c>var</c> or <c>get</c> are in it too) and every <c>=&gt;</c> counts as
    /// a possible lambda: its readers confirm on the tree (<see cref="BodyLambdas"/>, a name's position must start an
    /// identifier name).
    /// </summary>
    private static Builder Lex(SyntaxTree tree, string text, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        telemetry.TreeLexed();
        var builder = new Builder(Builder.ExpectedIdentifiers(text.Length));
        var options = tree.Options as CSharpParseOptions;
        var lexed = 0;
        SyntaxToken previous = default;
        foreach (var token in SyntaxFactory.ParseTokens(text, options: options))
        {
            if ((++lexed & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (token.Kind())
            {
                case SyntaxKind.IdentifierToken:
                    builder.Identifier(token.ValueText, token.SpanStart);
                    break;
                case SyntaxKind.EqualsGreaterThanToken:
                    builder.Functions.Add(token.SpanStart);
                    break;
                case SyntaxKind.InterpolatedStringToken:
                    AddHoles(builder, tree.GetRoot(cancellationToken), token.SpanStart, cancellationToken);
                    break;
                case SyntaxKind.OpenParenToken or SyntaxKind.OpenBraceToken when previous.IsKind(SyntaxKind.DelegateKeyword):
                    // `delegate (…) {…}` or `delegate {…}`: an anonymous method (not a delegate type's declaration).
                    builder.Functions.Add(previous.SpanStart);
                    break;
            }

            previous = token;
        }

        return builder;
    }

    /// <summary>
    /// The identifiers and lambdas of an interpolated string's holes (nested strings included), read from the tree's own
    /// node for the string (only the nodes on the way to it are created).
    /// </summary>
    private static void AddHoles(Builder builder, SyntaxNode root, int position, CancellationToken cancellationToken)
    {
        if (root.FindToken(position).Parent?.FirstAncestorOrSelf<InterpolatedStringExpressionSyntax>() is not { } interpolated)
        {
            return;
        }

        foreach (var inner in interpolated.DescendantTokens())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (inner.Kind())
            {
                case SyntaxKind.IdentifierToken:
                    builder.Identifier(inner.ValueText, inner.SpanStart);
                    break;
                case SyntaxKind.EqualsGreaterThanToken when inner.Parent is LambdaExpressionSyntax:
                case SyntaxKind.DelegateKeyword when inner.Parent is AnonymousMethodExpressionSyntax:
                    builder.Functions.Add(inner.SpanStart);
                    break;
            }
        }
    }

    /// <summary>The index being built: each distinct name gets an id, each occurrence its id and position.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<string, int> _ids = new(128, StringComparer.Ordinal);
        private int[] _identifierIds;
        private int[] _identifierPositions;
        private int _identifierCount;

        public Builder()
            : this(64)
        {
        }

        /// <param name="capacity">The occurrences expected (<see cref="ExpectedIdentifiers"/>): sized once, the arrays are not grown and copied while scanning.</param>
        public Builder(int capacity)
        {
            _identifierIds = new int[Math.Max(capacity, 16)];
            _identifierPositions = new int[_identifierIds.Length];
        }

        public List<int> Functions { get; } = new();

        /// <summary>About one identifier per ten characters of code (ordinary code has fewer, dense driver code about as many).</summary>
        public static int ExpectedIdentifiers(int textLength) => textLength / 10 + 16;

        /// <summary>The id of <paramref name="name"/> (a new one for a name not seen yet).</summary>
        public int IdOf(string name)
        {
            if (!_ids.TryGetValue(name, out var id))
            {
                _ids[name] = id = _ids.Count;
            }

            return id;
        }

        public void Identifier(string name, int position) => Identifier(IdOf(name), position);

        public void Identifier(int id, int position)
        {
            if (_identifierCount == _identifierIds.Length)
            {
                Array.Resize(ref _identifierIds, _identifierCount * 2);
                Array.Resize(ref _identifierPositions, _identifierCount * 2);
            }

            _identifierIds[_identifierCount] = id;
            _identifierPositions[_identifierCount] = position;
            _identifierCount++;
        }

        public SyntaxTreeIndex ToIndex()
        {
            Functions.Sort();
            return new SyntaxTreeIndex(_ids, _identifierIds, _identifierPositions, _identifierCount, Functions.ToArray());
        }
    }
}
