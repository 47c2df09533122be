using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The identifier names one syntax tree mentions: a purely syntactic index, cached per tree object. In the IDE every
/// edit makes a new compilation, but unchanged trees are the same objects, so their index survives edits and only the
/// edited tree is scanned again. A cross-method question ("who creates the request held in field F?") looks only at
/// the trees that mention the names it needs, and binds nothing else.
/// </summary>
internal sealed class SyntaxTreeIndex
{
    private static readonly PerTree<SyntaxTreeIndex> Cache = new();

    private readonly HashSet<string> _names;

    private SyntaxTreeIndex(HashSet<string> names) => _names = names;

    /// <summary>The index of <paramref name="tree"/>, built on first use (counted in <see cref="EngineTelemetry.TreesIndexed"/>).</summary>
    public static SyntaxTreeIndex For(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        Cache.TryGet(tree, out var index) ? index : Cache.Get(tree, ct => Build(tree, telemetry, ct), cancellationToken);

    private static SyntaxTreeIndex Build(SyntaxTree tree, EngineTelemetry telemetry, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                names.Add(token.ValueText);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        telemetry.TreeIndexed();
        return new SyntaxTreeIndex(names);
    }

    /// <summary>True when the tree has an identifier <paramref name="name"/> anywhere.</summary>
    public bool Mentions(string name) => _names.Contains(name);

    /// <summary>True when the tree mentions every one of <paramref name="names"/>.</summary>
    public bool MentionsAll(params string[] names)
    {
        foreach (var name in names)
        {
            if (!_names.Contains(name))
            {
                return false;
            }
        }

        return true;
    }
}
