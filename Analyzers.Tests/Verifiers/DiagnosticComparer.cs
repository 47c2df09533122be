using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>Matches expected diagnostics with reported ones and explains a mismatch.</summary>
internal static class DiagnosticComparer
{
    /// <summary>Fails with a full report unless every expected diagnostic matches exactly one reported one and vice versa.</summary>
    public static void Verify(string context, IReadOnlyList<DiagnosticResult> expected, IReadOnlyList<Diagnostic> actual)
    {
        foreach (var result in expected)
        {
            try
            {
                _ = result.Message;
            }
            catch (ArgumentException e)
            {
                throw new VerifierException($"{context}: {e.Message}");
            }
        }

        var matchOfActual = Match(expected, actual);
        var matchedExpected = new HashSet<int>(matchOfActual.Where(m => m >= 0));
        var missing = Enumerable.Range(0, expected.Count).Where(i => !matchedExpected.Contains(i)).ToList();
        var extra = Enumerable.Range(0, actual.Count).Where(i => matchOfActual[i] < 0).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            return;
        }

        var report = new StringBuilder();
        report.Append(context).Append(": diagnostics mismatch: expected ").Append(expected.Count)
            .Append(", actual ").Append(actual.Count).Append(" (").Append(actual.Count - extra.Count).AppendLine(" matched).");
        if (missing.Count > 0)
        {
            report.AppendLine().AppendLine("Expected but not reported:");
            foreach (var i in missing)
            {
                report.Append("    ").AppendLine(expected[i].ToString());
                var candidates = extra.Select(j => actual[j]).ToList();
                bool SameLocation(Diagnostic a) => LocationMatches(a.Location, expected[i].Spans.FirstOrDefault(), expected[i].HasLocation);
                var near = candidates.FirstOrDefault(a => a.Id == expected[i].Id && SameLocation(a))
                    ?? candidates.FirstOrDefault(SameLocation)
                    ?? candidates.FirstOrDefault(a => a.Id == expected[i].Id);
                if (near is not null)
                {
                    report.Append("      closest reported: ").AppendLine(DiagnosticFormatter.Describe(near));
                    report.Append("      differs in: ").AppendLine(string.Join("; ", Differences(expected[i], near)));
                }
            }
        }

        if (extra.Count > 0)
        {
            report.AppendLine().AppendLine("Reported but not expected (ready to paste):");
            foreach (var j in extra)
            {
                report.Append("    // ").AppendLine(DiagnosticFormatter.Describe(actual[j]));
                report.Append("    ").Append(DiagnosticFormatter.ToExpectation(actual[j])).AppendLine(",");
            }
        }

        report.AppendLine().AppendLine("All expected:");
        AppendAll(report, expected.Select(e => e.ToString()));
        report.AppendLine().AppendLine("All reported:");
        AppendAll(report, actual.Select(DiagnosticFormatter.Describe));
        throw new VerifierException(report.ToString());
    }

    /// <summary>Maximum bipartite matching (Kuhn's algorithm): for each actual diagnostic, the index of its expected one or -1.</summary>
    private static int[] Match(IReadOnlyList<DiagnosticResult> expected, IReadOnlyList<Diagnostic> actual)
    {
        var edges = actual.Select(a => Enumerable.Range(0, expected.Count).Where(e => Differences(expected[e], a).Count == 0).ToArray()).ToArray();
        var actualOfExpected = Enumerable.Repeat(-1, expected.Count).ToArray();
        for (var a = 0; a < actual.Count; a++)
        {
            TryAugment(a, new bool[expected.Count]);
        }

        var result = Enumerable.Repeat(-1, actual.Count).ToArray();
        for (var e = 0; e < expected.Count; e++)
        {
            if (actualOfExpected[e] >= 0)
            {
                result[actualOfExpected[e]] = e;
            }
        }

        return result;

        bool TryAugment(int a, bool[] visited)
        {
            foreach (var e in edges[a])
            {
                if (visited[e])
                {
                    continue;
                }

                visited[e] = true;
                if (actualOfExpected[e] < 0 || TryAugment(actualOfExpected[e], visited))
                {
                    actualOfExpected[e] = a;
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>What keeps <paramref name="actual"/> from matching <paramref name="expected"/>; empty when they match.</summary>
    internal static List<string> Differences(DiagnosticResult expected, Diagnostic actual)
    {
        var differences = new List<string>();
        if (expected.Id != actual.Id)
        {
            differences.Add($"ID: expected {expected.Id}, actual {actual.Id}");
        }

        if (!LocationMatches(actual.Location, expected.Spans.FirstOrDefault(), expected.HasLocation))
        {
            differences.Add($"location: expected {(expected.HasLocation ? DiagnosticFormatter.FormatSpan(expected.Spans[0]) : "none")}, actual {DiagnosticFormatter.FormatLocation(actual.Location)}");
        }

        if (expected.HasLocation && !expected.Options.HasFlag(DiagnosticOptions.IgnoreAdditionalLocations))
        {
            var expectedAdditional = expected.Spans.Skip(1).ToList();
            var actualAdditional = actual.AdditionalLocations;
            if (expectedAdditional.Count != actualAdditional.Count
                || expectedAdditional.Where((span, i) => !LocationMatches(actualAdditional[i], span, true)).Any())
            {
                differences.Add(
                    $"additional locations: expected [{string.Join(", ", expectedAdditional.Select(DiagnosticFormatter.FormatSpan))}], " +
                    $"actual [{string.Join(", ", actualAdditional.Select(DiagnosticFormatter.FormatLocation))}]");
            }
        }

        if (!expected.Options.HasFlag(DiagnosticOptions.IgnoreSeverity) && expected.Severity != actual.Severity)
        {
            differences.Add($"severity: expected {expected.Severity}, actual {actual.Severity}");
        }

        var actualMessage = actual.GetMessage(CultureInfo.InvariantCulture);
        if (expected.Message is { } message)
        {
            if (message != actualMessage)
            {
                differences.Add($"message: expected \"{message}\", actual \"{actualMessage}\"");
            }
        }
        else if (expected.MessageArguments is { Length: > 0 } arguments)
        {
            var expectedArguments = arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? string.Empty);
            var actualArguments = DiagnosticFormatter.Arguments(actual);
            if (!expectedArguments.SequenceEqual(actualArguments))
            {
                differences.Add($"arguments: expected [{string.Join(", ", expectedArguments)}], actual [{string.Join(", ", actualArguments)}]");
            }
        }

        return differences;
    }

    private static bool LocationMatches(Location actual, DiagnosticLocation expected, bool hasExpectedLocation)
    {
        if (!hasExpectedLocation)
        {
            return actual == Location.None || !actual.IsInSource;
        }

        if (!actual.IsInSource)
        {
            return false;
        }

        var span = actual.GetLineSpan();
        return TestProjectFactory.PathMatches(expected.Span.Path, span.Path)
            && span.StartLinePosition == expected.Span.StartLinePosition
            && (expected.Options.HasFlag(DiagnosticLocationOptions.IgnoreLength) || span.EndLinePosition == expected.Span.EndLinePosition);
    }

    private static void AppendAll(StringBuilder report, IEnumerable<string> lines)
    {
        var any = false;
        foreach (var line in lines)
        {
            report.Append("    ").AppendLine(line);
            any = true;
        }

        if (!any)
        {
            report.AppendLine("    (none)");
        }
    }
}

/// <summary>Text forms of diagnostics and spans for failure messages.</summary>
internal static class DiagnosticFormatter
{
    private static readonly PropertyInfo? ArgumentsProperty =
        typeof(Diagnostic).GetProperty("Arguments", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    /// <summary><c>/0/Test0.cs(3,5)-(3,8)</c>, 1-based; only the start when <paramref name="startOnly"/>.</summary>
    public static string FormatSpan(FileLinePositionSpan span, bool startOnly = false)
    {
        var path = span.Path.Length == 0 ? TestProjectFactory.DefaultFilePath : TestProjectFactory.NormalizePath(span.Path);
        var start = $"{path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        return startOnly ? start : $"{start}-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})";
    }

    public static string FormatSpan(DiagnosticLocation location)
        => FormatSpan(location.Span, location.Options.HasFlag(DiagnosticLocationOptions.IgnoreLength));

    public static string FormatLocation(Location location) => location.IsInSource ? FormatSpan(location.GetLineSpan()) : "none";

    /// <summary><c>/0/Test0.cs(3,5)-(3,8): warning TST001: message</c>.</summary>
    public static string Describe(Diagnostic diagnostic)
    {
        var additional = diagnostic.AdditionalLocations.Count == 0
            ? string.Empty
            : $" [additional: {string.Join(", ", diagnostic.AdditionalLocations.Select(FormatLocation))}]";
        return $"{FormatLocation(diagnostic.Location)}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}{additional}";
    }

    /// <summary>A <c>DiagnosticResult</c> expression that matches <paramref name="diagnostic"/>.</summary>
    public static string ToExpectation(Diagnostic diagnostic)
    {
        var builder = new StringBuilder();
        if (diagnostic.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.Compiler))
        {
            builder.Append("DiagnosticResult.Compiler")
                .Append(diagnostic.Severity == DiagnosticSeverity.Error ? "Error" : "Warning")
                .Append("(\"").Append(diagnostic.Id).Append("\")");
            if (diagnostic.Severity is not (DiagnosticSeverity.Error or DiagnosticSeverity.Warning))
            {
                builder.Append(".WithSeverity(DiagnosticSeverity.").Append(diagnostic.Severity).Append(')');
            }
        }
        else
        {
            builder.Append("Diagnostic(\"").Append(diagnostic.Id).Append("\")");
            if (diagnostic.Severity != diagnostic.Descriptor.DefaultSeverity)
            {
                builder.Append(".WithSeverity(DiagnosticSeverity.").Append(diagnostic.Severity).Append(')');
            }
        }

        if (diagnostic.Location.IsInSource)
        {
            foreach (var location in diagnostic.AdditionalLocations.Prepend(diagnostic.Location))
            {
                var span = location.GetLineSpan();
                builder.Append(".WithSpan(");
                if (span.Path != TestProjectFactory.DefaultFilePath)
                {
                    builder.Append('"').Append(span.Path).Append("\", ");
                }

                builder.Append(CultureInfo.InvariantCulture, $"{span.StartLinePosition.Line + 1}, {span.StartLinePosition.Character + 1}, {span.EndLinePosition.Line + 1}, {span.EndLinePosition.Character + 1})");
            }
        }

        var arguments = Arguments(diagnostic);
        if (arguments.Count > 0)
        {
            builder.Append(".WithArguments(").Append(string.Join(", ", arguments.Select(a => "\"" + a.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""))).Append(')');
        }

        return builder.ToString();
    }

    /// <summary>The message arguments of a diagnostic (read from Roslyn's internal <c>Arguments</c>, as the Testing library does).</summary>
    public static IReadOnlyList<string> Arguments(Diagnostic diagnostic)
    {
        if (ArgumentsProperty?.GetValue(diagnostic) is not System.Collections.IEnumerable values)
        {
            return Array.Empty<string>();
        }

        return values.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).ToImmutableArray();
    }
}
