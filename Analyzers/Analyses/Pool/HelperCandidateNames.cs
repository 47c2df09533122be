using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// The names of the compilation's possible pool helpers (<see cref="PoolAnalysisContext.IsHelperCandidate"/>: methods
/// and local functions with a <c>PVOID</c>, <c>PMDL</c> or <c>WDFMEMORY</c> parameter, written out or through an
/// alias), read from the declarations once per compilation, lazily (each tree's syntax read once per tree object), and a <see cref="NameScreen"/> of them: a body that
/// names none of them calls no helper, and costs a lookup instead of a walk of its operations. Nothing is bound: only
/// the trees whose name index mentions a block type (or an alias of one) are looked at, and in them only the places
/// that name it. A superset (a name, not a symbol): the walk the screen lets through confirms on the operations.
/// Thread-safe; a cancelled collection keeps nothing.
/// </summary>
internal sealed class HelperCandidateNames
{
    /// <summary>The names a helper's block parameter is declared with (directly, qualified or through an alias).</summary>
    private static readonly string[] BlockTypeNames = { "PVOID", "PMDL", "WDFMEMORY" };

    /// <summary>Stands for the constructors with a block parameter (an initializer calls them with a keyword, not a name).</summary>
    private const string ConstructorName = ".ctor";

    private readonly AnalysisSession _session;
    private readonly object _gate = new();
    private NameScreen? _screen;
    private bool _collected;
    private bool _hasConstructors;

    public HelperCandidateNames(AnalysisSession session) => _session = session;

    /// <summary>
    /// True when <paramref name="body"/> names a possible helper (false at once when the compilation declares none).
    /// </summary>
    public bool Mentioned(SyntaxNode body, CancellationToken cancellationToken)
    {
        if (ScreenOf(cancellationToken) is not { } screen)
        {
            return false;
        }

        return screen.Passes(body, _session.Telemetry, cancellationToken) ||
            (body is ConstructorDeclarationSyntax { Initializer: not null } && _hasConstructors);
    }

    private NameScreen? ScreenOf(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _collected))
        {
            return Volatile.Read(ref _screen);
        }

        // Once per compilation: the threads that reach their first body together wait for one collection (each would
        // otherwise read every tree's declarations again). A cancelled collection keeps nothing.
        lock (_gate)
        {
            if (_collected)
            {
                return _screen;
            }

            var names = Collect(_session, cancellationToken);
            _session.Telemetry.HelperNamesCollection();
            _screen = names.Count == 0 ? null : new NameScreen(names.Contains);
            _hasConstructors = names.Contains(ConstructorName);
            Volatile.Write(ref _collected, true);
            return _screen;
        }
    }

    /// <summary>The names of the declarations with a parameter whose type names a block type or an alias of one.</summary>
    internal static HashSet<string> Collect(AnalysisSession session, CancellationToken cancellationToken)
    {
        var typeNames = new HashSet<string>(BlockTypeNames, StringComparer.Ordinal);
        var trees = new List<(SyntaxTree Tree, SyntaxTreeIndex Index)>();
        foreach (var tree in session.Compilation.SyntaxTrees)
        {
            var index = session.Index(tree, cancellationToken);
            trees.Add((tree, index));
            foreach (var name in BlockTypeNames)
            {
                if (index.Mentions(name))
                {
                    typeNames.UnionWith(TreeDeclarations.Of(tree, cancellationToken).Read(
                        "alias " + name, ct => AliasesOf(tree, index, name, ct), cancellationToken));
                }
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tree, index) in trees)
        {
            foreach (var typeName in typeNames)
            {
                if (index.Mentions(typeName))
                {
                    names.UnionWith(TreeDeclarations.Of(tree, cancellationToken).Read(
                        typeName, ct => DeclarationsNaming(tree, index, typeName, ct), cancellationToken));
                }
            }
        }

        return names;
    }

    /// <summary>The aliases (<c>using Block = PVOID;</c>, global or not) of <paramref name="typeName"/> the tree declares.</summary>
    private static HashSet<string> AliasesOf(SyntaxTree tree, SyntaxTreeIndex index, string typeName, CancellationToken cancellationToken)
    {
        var typeNames = new HashSet<string>(StringComparer.Ordinal);
        var root = tree.GetRoot(cancellationToken);
        foreach (var position in index.PositionsOf(typeName))
        {
            if (root.FindToken(position).Parent?.FirstAncestorOrSelf<UsingDirectiveSyntax>() is { Alias: { } alias })
            {
                typeNames.Add(alias.Name.Identifier.ValueText);
            }
        }

        return typeNames;
    }

    /// <summary>The methods and local functions of the tree with a parameter whose type mentions <paramref name="typeName"/>.</summary>
    private static HashSet<string> DeclarationsNaming(SyntaxTree tree, SyntaxTreeIndex index, string typeName, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var root = tree.GetRoot(cancellationToken);
        foreach (var position in index.PositionsOf(typeName))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parameter = root.FindToken(position).Parent?.FirstAncestorOrSelf<ParameterSyntax>();
            if (parameter?.Type is null || !parameter.Type.Span.Contains(position))
            {
                continue;
            }

            switch (parameter.Parent?.Parent)
            {
                case MethodDeclarationSyntax method:
                    names.Add(method.Identifier.ValueText);
                    break;
                case LocalFunctionStatementSyntax function:
                    names.Add(function.Identifier.ValueText);
                    break;
                case ConstructorDeclarationSyntax:
                    // Called by `this(...)` or `base(...)` from another constructor: no name to screen on.
                    names.Add(ConstructorName);
                    break;
            }
        }

        return names;
    }

    /// <summary>What one tree declares, read from its syntax once per tree object and question (kept across IDE edits: nothing is bound).</summary>
    private sealed class TreeDeclarations
    {
        private static readonly PerTree<TreeDeclarations> Trees = new();

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> _answers = new(StringComparer.Ordinal);

        public static TreeDeclarations Of(SyntaxTree tree, CancellationToken cancellationToken) =>
            Trees.Get(tree, _ => new TreeDeclarations(), cancellationToken);

        public HashSet<string> Read(string question, Func<CancellationToken, HashSet<string>> read, CancellationToken cancellationToken) =>
            _answers.TryGetValue(question, out var known) ? known : _answers.GetOrAdd(question, read(cancellationToken));
    }
}
