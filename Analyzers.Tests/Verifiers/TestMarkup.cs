using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>A span marked in test code.</summary>
/// <param name="Key">
/// <see langword="null"/> for <c>[|…|]</c>, <c>#0</c> for <c>{|#0:…|}</c>, the diagnostic ID for <c>{|DRV001:…|}</c>.
/// </param>
internal sealed record MarkedSpan(string? Key, TextSpan Span);

/// <summary>
/// Parses the markup of Microsoft.CodeAnalysis.Testing: <c>[|…|]</c>, <c>{|ID:…|}</c> and
/// <c>{|#0:…|}</c>, nested as deep as wanted.
/// </summary>
internal static class TestMarkup
{
    public static (string Text, List<MarkedSpan> Spans) Parse(string markup, string path)
    {
        var output = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        var open = new Stack<(string? Key, int Start, int MarkupIndex)>();
        var i = 0;
        while (i < markup.Length)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((null, output.Length, i));
                i += 2;
            }
            else if (At(markup, i, "{|") && TryReadKey(markup, i + 2, out var key, out var afterKey))
            {
                open.Push((key, output.Length, i));
                i = afterKey;
            }
            else if (At(markup, i, "|]") || At(markup, i, "|}"))
            {
                var closesBracket = markup[i + 1] == ']';
                if (open.Count == 0 || (open.Peek().Key is null) != closesBracket)
                {
                    throw new InvalidOperationException(
                        $"Markup error in {path} at {Position(markup, i)}: '{markup.Substring(i, 2)}' does not close the innermost open span.");
                }

                var (k, start, _) = open.Pop();
                spans.Add(new MarkedSpan(k, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new InvalidOperationException(
                $"Markup error in {path} at {Position(markup, open.Peek().MarkupIndex)}: the span opened here is never closed.");
        }

        spans.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : b.Span.Length.CompareTo(a.Span.Length));
        return (output.ToString(), spans);
    }

    private static bool At(string text, int index, string token) => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static bool TryReadKey(string text, int index, out string key, out int afterColon)
    {
        var end = index;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '#' or '_' or '.' or '-'))
        {
            end++;
        }

        key = text.Substring(index, end - index);
        afterColon = end + 1;
        return end > index && end < text.Length && text[end] == ':';
    }

    private static string Position(string text, int index)
    {
        var line = 1;
        var column = 1;
        for (var j = 0; j < index; j++)
        {
            if (text[j] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return $"({line},{column})";
    }
}
