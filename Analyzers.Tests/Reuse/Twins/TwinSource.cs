using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins;

/// <summary>
/// The text of a twin driver file, so that the code the analyzer flags (and the fix produces) is the very code
/// the runtime executes. Flagged drivers live in <c>Flagged/</c>, their fixed forms in <c>Fixed/</c>; the two
/// differ only in the namespace line and in what the code fix changes.
/// </summary>
internal static class TwinSource
{
    public const string FlaggedNamespace = "namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Flagged;";
    public const string FixedNamespace = "namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Fixed;";

    public static string Flagged(string fileName) => Read(Path.Combine("Flagged", fileName));

    public static string Fixed(string fileName) => Read(Path.Combine("Fixed", fileName));

    /// <summary>The fixed driver's text as the code fix gives it for the flagged one (same namespace).</summary>
    public static string FixedAsFixOutput(string fileName) =>
        Fixed(fileName).Replace(FixedNamespace, FlaggedNamespace);

    private static string Read(string relativePath, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, relativePath));

    /// <summary>
    /// The 1-based line and column span of the call that starts at the <paramref name="occurrence"/>-th
    /// <paramref name="callStart"/> in <paramref name="text"/> (through its closing parenthesis).
    /// </summary>
    public static (int Line, int Column, int EndLine, int EndColumn) CallSpan(string text, string callStart, int occurrence = 1)
    {
        var start = -1;
        for (var i = 0; i < occurrence; i++)
        {
            start = text.IndexOf(callStart, start + 1, StringComparison.Ordinal);
            if (start < 0)
            {
                throw new ArgumentException($"'{callStart}' occurs fewer than {occurrence} time(s).");
            }
        }

        var open = text.IndexOf('(', start);
        var depth = 0;
        var end = open;
        for (; end < text.Length; end++)
        {
            if (text[end] == '(') depth++;
            if (text[end] == ')' && --depth == 0) break;
        }

        var (line, column) = Position(text, start);
        var (endLine, endColumn) = Position(text, end + 1);
        return (line, column, endLine, endColumn);
    }

    private static (int Line, int Column) Position(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}
