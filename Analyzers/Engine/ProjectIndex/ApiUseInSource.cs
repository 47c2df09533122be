using System.Globalization;
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

    /// <summary>
    /// Reads the tree's text (its first <paramref name="maxLength"/> characters) in chunks (no copy of the whole text: an edited document's text is a chain of changes whose
    /// string would be made for this alone), each chunk after the last characters of the one before, so a name that
    /// straddles two chunks is seen.
    /// </summary>
    private static bool Read(SyntaxTree tree, int maxLength, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken);
        var length = System.Math.Min(text.Length, maxLength);
        var carry = ApiNamespace.Length; // the characters kept from the previous chunk (a name or an escape across two chunks)
        var buffer = t_buffer ??= new char[ChunkLength + carry];
        var kept = 0;
        for (var position = 0; position < length; )
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = System.Math.Min(ChunkLength, length - position);
            text.CopyTo(position, buffer, kept, count);
            var end = kept + count;
            if (MayNameApi(buffer, end))
            {
                return true;
            }

            position += count;
            kept = System.Math.Min(carry, end);
            System.Array.Copy(buffer, end - kept, buffer, 0, kept);
        }

        return false;
    }

    internal const int ChunkLength = 4096;

    [System.ThreadStatic]
    private static char[]? t_buffer;

    private static bool StartsApiNamespace(char[] chars, int start, int length)
    {
        if (start + ApiNamespace.Length > length)
        {
            return false;
        }

        for (var k = 1; k < ApiNamespace.Length; k++)
        {
            if (chars[start + k] != ApiNamespace[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the first <paramref name="length"/> characters of <paramref name="chars"/> hold the API's namespace, a Unicode escape, a formatting character or a surrogate.</summary>
    private static bool MayNameApi(char[] chars, int length)
    {
        for (var i = 0; i < length; i++)
        {
            var c = chars[i];
            if (c == 'D')
            {
                if (StartsApiNamespace(chars, i, length))
                {
                    return true;
                }
            }
            else if (c == '\\')
            {
                if (i + 1 < length && chars[i + 1] is 'u' or 'U')
                {
                    return true;
                }
            }
            else if (c > 127 && (char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
            {
                return true;
            }
        }

        return false;
    }
}
