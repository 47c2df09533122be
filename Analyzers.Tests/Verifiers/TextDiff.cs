using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>A line diff of expected and actual text for failure messages.</summary>
internal static class TextDiff
{
    /// <summary>
    /// The first differing line, then every line prefixed with ' ' (same), '-' (expected only) or '+'
    /// (actual only). In changed lines, tabs, carriage returns and trailing spaces are made visible.
    /// </summary>
    public static string Format(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');

        // Longest common subsequence of lines, by dynamic programming (test files are small).
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<string>();
        int x = 0, y = 0, firstDifference = -1;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add("  " + a[x]);
                x++;
                y++;
                continue;
            }

            if (firstDifference < 0)
            {
                firstDifference = x + 1;
            }

            if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add("- " + Visible(a[x]));
                x++;
            }
            else
            {
                lines.Add("+ " + Visible(b[y]));
                y++;
            }
        }

        var report = new StringBuilder();
        report.Append("First difference at line ").Append(firstDifference).AppendLine(" of the expected text.");
        report.AppendLine("--- expected");
        report.AppendLine("+++ actual");
        foreach (var line in lines)
        {
            report.AppendLine(line);
        }

        return report.ToString();
    }

    private static string Visible(string line)
    {
        var trimmed = line.TrimEnd(' ', '\r', '\t');
        var tail = line.Substring(trimmed.Length).Replace(" ", "·", StringComparison.Ordinal);
        return (trimmed + tail).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
    }
}
