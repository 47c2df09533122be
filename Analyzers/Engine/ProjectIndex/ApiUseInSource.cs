using System.Runtime.CompilerServices;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// Whether a compilation that references the API can use it at all: some syntax tree names <c>DriverBuffers</c> (a
/// <c>using</c>, a <c>using static</c>, an alias, a qualified name, a <c>global using</c> of the project, the API's own
/// namespace), or another referenced assembly references the API (a wrapper library whose members hand out the API's
/// types or take its callbacks). C# reaches a type or member of the API only through its namespace's name or through such
/// a library, so a compilation with neither (a test or tools project that references a driver library, a shared library
/// of ordinary code) cannot touch the API anywhere, and the analyzers register nothing for it: no per-body callback, no
/// name index, no session (<see cref="DriverApiAnalyzer"/>).
/// </summary>
/// <remarks>
/// A tree is read once per tree object (kept across the compilations of IDE edits) by a search for the name, not by the
/// name index's scanner. It counts as naming the API, to be safe, when its text has a Unicode escape (<c>\u</c>,
/// <c>\U</c>), a formatting character or a surrogate: an identifier spelled with them can be <c>DriverBuffers</c> without
/// these characters in a row. Text in comments and strings counts too (a superset).
/// </remarks>
internal static class ApiUseInSource
{
    private const string ApiNamespace = "DriverBuffers";

    private static readonly object Yes = new();
    private static readonly object No = new();
    private static readonly ConditionalWeakTable<Compilation, Decision> Decided = new();
    private static readonly PerTree<object> TreeNamesApi = new();

    /// <summary>
    /// True when code of <paramref name="compilation"/> may use <paramref name="api"/> (decided once per compilation;
    /// counted in <see cref="EngineTelemetry.CompilationsWithoutApiUse"/> when it cannot).
    /// </summary>
    public static bool MayUse(Compilation compilation, DriverApi api, CancellationToken cancellationToken)
    {
        if (Decided.TryGetValue(compilation, out var decided))
        {
            return decided.MayUse;
        }

        var decision = new Decision(Decide(compilation, api, cancellationToken));
        decided = Decided.GetValue(compilation, _ => decision);
        if (ReferenceEquals(decided, decision) && !decision.MayUse)
        {
            EngineTelemetry.Current.CompilationWithoutApiUse(); // counted once, by the caller whose decision was kept
        }

        return decided.MayUse;
    }

    private static bool Decide(Compilation compilation, DriverApi api, CancellationToken cancellationToken)
    {
        var apiAssembly = api.Wdf.ContainingAssembly;
        if (SymbolEqualityComparer.Default.Equals(apiAssembly, compilation.Assembly))
        {
            return true; // the API is defined in this compilation's own source
        }

        // Usings come first in a file: the head of each tree first (a driver project is decided there, whichever order its
        // trees come in), then the rest of each tree.
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (HeadNamesApi(tree, cancellationToken))
            {
                return true;
            }
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            if (NamesApi(tree, cancellationToken))
            {
                return true;
            }
        }

        var apiName = apiAssembly.Identity.Name;
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SymbolEqualityComparer.Default.Equals(assembly, apiAssembly))
            {
                continue;
            }

            foreach (var module in assembly.Modules)
            {
                foreach (var referenced in module.ReferencedAssemblies)
                {
                    if (referenced.Name == apiName)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="tree"/>'s text may name the API's namespace (see the remarks).</summary>
    public static bool NamesApi(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (TreeNamesApi.TryGet(tree, out var known))
        {
            return known == Yes;
        }

        return TreeNamesApi.Get(
            tree,
            ct =>
            {
                EngineTelemetry.Current.TreeReadForApiUse();
                return Read(tree, int.MaxValue, ct) ? Yes : No;
            },
            cancellationToken) == Yes;
    }

    /// <summary>
    /// True when the first <see cref="ChunkLength"/> characters of <paramref name="tree"/> name the API (kept as the tree's
    /// answer, as is a no when they are the whole tree); false says nothing about the rest of a longer tree.
    /// </summary>
    private static bool HeadNamesApi(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (TreeNamesApi.TryGet(tree, out var known))
        {
            return known == Yes;
        }

        var names = Read(tree, ChunkLength, cancellationToken);
        if (names)
        {
            TreeNamesApi.Get(tree, static _ => Yes, cancellationToken);
        }
        else if (tree.GetText(cancellationToken).Length <= ChunkLength)
        {
            TreeNamesApi.Get(tree, static _ => No, cancellationToken); // the head was the whole tree
        }

        return names;
    }

    private sealed class Decision
    {
        public Decision(bool mayUse) => MayUse = mayUse;

        public bool MayUse { get; }
    }

    /// <summary>The characters read at a time (<see cref="TextMentions"/>): a tree's head is its first chunk.</summary>
    internal const int ChunkLength = TextMentions.ChunkLength;

    /// <summary>The tree's first <paramref name="maxLength"/> characters may spell the API's namespace (<see cref="TextMentions.Read"/>).</summary>
    private static bool Read(SyntaxTree tree, int maxLength, CancellationToken cancellationToken) =>
        TextMentions.Read(tree, maxLength, ApiNamespaceName, cancellationToken);

    private static readonly string[] ApiNamespaceName = { ApiNamespace };
}
