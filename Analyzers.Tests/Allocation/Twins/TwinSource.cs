using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins;

/// <summary>
/// The text of a twin driver file of this folder, read from disk, so the analyzer test checks the very code
/// the run-time test executes.
/// </summary>
internal static class TwinSource
{
    /// <summary>The text of <paramref name="fileName"/> in this folder.</summary>
    public static string Read(string fileName, [CallerFilePath] string thisFile = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(thisFile)!, fileName)).Replace("\r\n", "\n");

    /// <summary><paramref name="text"/> with <c>[|…|]</c> around the one occurrence of <paramref name="code"/>.</summary>
    public static string Mark(string text, string code)
    {
        var at = text.IndexOf(code, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(code, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{code}' is not in the twin exactly once.", nameof(code));
        }

        return text.Substring(0, at) + "[|" + code + "|]" + text.Substring(at + code.Length);
    }

    /// <summary><paramref name="text"/> with <c>[|…|]</c> around the last occurrence of <paramref name="code"/>.</summary>
    public static string MarkLast(string text, string code)
    {
        var at = text.LastIndexOf(code, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException($"'{code}' is not in the twin.", nameof(code));
        }

        return text.Substring(0, at) + "[|" + code + "|]" + text.Substring(at + code.Length);
    }

    /// <summary>A fixed twin's text as the fix writes it from the buggy one: the namespace is the buggy one's.</summary>
    public static string AsBuggy(string fixedText) =>
        fixedText.Replace("namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Fixed;", "namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Buggy;");
}
