using System.Collections.Concurrent;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// Whether a tree's text may spell a name, read without the name index: the name's characters in a row anywhere (in code,
/// comments and strings alike: a superset), or a Unicode escape (<c>\u</c>, <c>\U</c>), a formatting character or a
/// surrogate, with which an identifier can be the name without its characters in a row. A search for one name is several
/// times cheaper than the scan that builds a tree's index, so a question that needs a few names of every tree (the
/// project's pool helper declarations: <c>PVOID</c>, <c>PMDL</c>, <c>WDFMEMORY</c>) indexes only the trees that may
/// name them, and no caller waits for the index of every tree. The text is read in chunks (an edited document's text is
/// a chain of changes whose string would be made for this alone); answers are kept per tree object and name.
/// </summary>
internal static class TextMentions
{
    /// <summary>The characters read at a time.</summary>
    internal const int ChunkLength = 4096;

    private static readonly PerTree<ConcurrentDictionary<string, bool>> Answers = new();

    [System.ThreadStatic]
    private static char[]? t_buffer;

    /// <summary>
    /// True when <paramref name="tree"/>'s text may spell one of <paramref name="names"/> (the whole text read in one pass,
    /// once per tree object and question; <paramref name="question"/> names the set, the same names each time).
    /// </summary>
    public static bool MaySpellAny(SyntaxTree tree, string question, string[] names, CancellationToken cancellationToken)
    {
        var answers = Answers.Get(tree, static _ => new ConcurrentDictionary<string, bool>(System.StringComparer.Ordinal), cancellationToken);
        if (answers.TryGetValue(question, out var known))
        {
            return known;
        }

        var spelled = Read(tree, int.MaxValue, names, cancellationToken);
        answers.TryAdd(question, spelled);
        return spelled;
    }

    /// <summary>
    /// True when the first <paramref name="maxLength"/> characters of <paramref name="tree"/> may spell one of
    /// <paramref name="names"/>: read in chunks, each after the last characters of the one before, so a name that straddles
    /// two chunks is seen.
    /// </summary>
    public static bool Read(SyntaxTree tree, int maxLength, string[] names, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken);
        var length = System.Math.Min(text.Length, maxLength);
        var carry = 2; // the characters kept from the previous chunk (a name or an escape across two chunks)
        foreach (var name in names)
        {
            carry = System.Math.Max(carry, name.Length);
        }

        var buffer = t_buffer is { } reused && reused.Length >= ChunkLength + carry ? reused : t_buffer = new char[ChunkLength + carry];
        var kept = 0;
        for (var position = 0; position < length; )
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = System.Math.Min(ChunkLength, length - position);
            text.CopyTo(position, buffer, kept, count);
            var end = kept + count;
            if (MaySpell(buffer, end, names))
            {
                return true;
            }

            position += count;
            kept = System.Math.Min(carry, end);
            System.Array.Copy(buffer, end - kept, buffer, 0, kept);
        }

        return false;
    }

    /// <summary>True when the first <paramref name="length"/> characters of <paramref name="chars"/> hold one of <paramref name="names"/>, a Unicode escape, a formatting character or a surrogate.</summary>
    private static bool MaySpell(char[] chars, int length, string[] names)
    {
        for (var i = 0; i < length; i++)
        {
            var c = chars[i];
            if (c == '\\')
            {
                if (i + 1 < length && chars[i + 1] is 'u' or 'U')
                {
                    return true;
                }
            }
            else if (c > 127)
            {
                if (char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
                {
                    return true;
                }
            }
            else
            {
                foreach (var name in names)
                {
                    if (c == name[0] && Starts(chars, i, length, name))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool Starts(char[] chars, int start, int length, string name)
    {
        if (start + name.Length > length)
        {
            return false;
        }

        for (var k = 1; k < name.Length; k++)
        {
            if (chars[start + k] != name[k])
            {
                return false;
            }
        }

        return true;
    }
}
