using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>One diagnostic as the build log prints it: <c>File.cs(12,9): warning DRV030: message (help link) [project]</c>.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message, string? HelpLink)
{
    public string FileName => Path.GetFileName(File);

    public override string ToString() => $"{FileName}({Line},{Column}): {Severity} {Id}: {Message}";
}

/// <summary>Reads the diagnostics out of an MSBuild console log.</summary>
public static class BuildDiagnostics
{
    private static readonly Regex LinePattern = new(
        @"^\s*(?<file>[^\s(][^(]*?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>warning|error|info) (?<id>[A-Z]+[0-9]+): (?<message>.*?)(?: \[(?<project>[^\]]+)\])?\s*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static readonly Regex HelpLinkPattern = new(@" \((?<link>https?://[^\s)]+)\)$", RegexOptions.CultureInvariant);

    /// <summary>Every distinct diagnostic of the log (the console logger repeats them in its summary).</summary>
    public static IReadOnlyList<BuildDiagnostic> Parse(string log)
    {
        var result = new List<BuildDiagnostic>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in LinePattern.Matches(log))
        {
            var message = match.Groups["message"].Value;
            string? link = null;
            var linkMatch = HelpLinkPattern.Match(message);
            if (linkMatch.Success)
            {
                link = linkMatch.Groups["link"].Value;
                message = message.Substring(0, linkMatch.Index);
            }

            var diagnostic = new BuildDiagnostic(
                match.Groups["file"].Value.Trim(),
                int.Parse(match.Groups["line"].Value),
                int.Parse(match.Groups["column"].Value),
                match.Groups["severity"].Value,
                match.Groups["id"].Value,
                message,
                link);
            if (seen.Add(diagnostic.ToString()))
            {
                result.Add(diagnostic);
            }
        }

        return result;
    }

    /// <summary>The diagnostics of our rules (DRVnnn).</summary>
    public static IReadOnlyList<BuildDiagnostic> Ours(string log) =>
        Parse(log).Where(d => d.Id.StartsWith("DRV", StringComparison.Ordinal)).ToList();
}
