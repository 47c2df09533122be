using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A rule's cheap syntactic pre-filter of bodies: the identifier names that make a body worth a look (the lambdas of a
/// body are found with <see cref="BodyLambdas"/>). Nothing is bound and no body is scanned: the first question about a
/// tree collects, from the tree's <see cref="SyntaxTreeIndex"/>, the positions of the names the screen accepts (once per
/// tree and screen); every body of the tree is then one binary search, and a body of a tree that mentions none of them
/// costs a table lookup. Make one screen per rule (a static field, or one per compilation when the names depend on it).
/// Thread-safe.
/// </summary>
internal sealed class NameScreen
{
    private static readonly int[] None = Array.Empty<int>();

    private readonly Func<string, bool> _accepts;
    private readonly ConditionalWeakTable<SyntaxTreeIndex, int[]> _hits = new();

    /// <param name="accepts">The names that make a body worth a look.</param>
    public NameScreen(Func<string, bool> accepts) => _accepts = accepts;

    /// <summary>
    /// True when the text of <paramref name="node"/> (a body, a declaration) has an identifier the screen accepts.
    /// </summary>
    public bool Passes(SyntaxNode node, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var hits = HitsIn(SyntaxTreeIndex.For(node.SyntaxTree, telemetry, cancellationToken), telemetry);
        if (hits.Length == 0)
        {
            return false;
        }

        var span = node.FullSpan;
        var first = Array.BinarySearch(hits, span.Start);
        if (first < 0)
        {
            first = ~first;
        }

        return first < hits.Length && hits[first] < span.End;
    }

    /// <summary>The positions in <paramref name="tree"/> of the names the screen accepts, ascending (collected once per tree).</summary>
    public System.Collections.Generic.IReadOnlyList<int> PositionsIn(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        HitsIn(SyntaxTreeIndex.For(tree, telemetry, cancellationToken), telemetry);

    /// <summary>The positions in the indexed tree of what the screen accepts, ascending (computed once per tree).</summary>
    private int[] HitsIn(SyntaxTreeIndex index, EngineTelemetry telemetry)
    {
        if (_hits.TryGetValue(index, out var hits))
        {
            return hits;
        }

        return _hits.GetValue(index, i => Collect(i, telemetry));
    }

    private int[] Collect(SyntaxTreeIndex index, EngineTelemetry telemetry)
    {
        telemetry.ScreenCollected();
        var positions = index.PositionsOf(_accepts);
        if (positions.Count == 0)
        {
            return None;
        }

        positions.Sort();
        return positions.ToArray();
    }
}
