using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// The rule families, by the rule-ID ranges their analyzers support (never by namespace or type name, which the
/// engine work changes): DRV00x Lifetime, 01x Reuse, 02x Copies, 03x Allocation, 04x IoModes.
/// </summary>
public static class AnalyzerFamily
{
    public static IReadOnlyList<string> Names { get; } = new[] { "Lifetime", "Reuse", "Copies", "Allocation", "IoModes" };

    /// <summary>The family of one rule ID (DRVnnn), or null for an ID outside the ranges.</summary>
    public static string? OfRule(string id) =>
        id.Length == 6 && id.StartsWith("DRV0", System.StringComparison.Ordinal) && char.IsDigit(id[4]) && id[4] - '0' < Names.Count
            ? Names[id[4] - '0']
            : null;

    /// <summary>
    /// The family of an analyzer: the one family all its rules belong to, or the families joined with '+' when an
    /// analyzer reports for several (its time cannot be split between them).
    /// </summary>
    public static string Of(DiagnosticAnalyzer analyzer)
    {
        var families = analyzer.SupportedDiagnostics.Select(d => OfRule(d.Id)).Where(f => f is not null).Distinct()
            .OrderBy(f => Names.ToList().IndexOf(f!)).ToList();
        return families.Count == 0 ? "(no DRV rule)" : string.Join("+", families);
    }
}
