using System.Collections.Generic;
using DriverBuffers.Exercising.Sources;
using DriverBuffers.Exercising.StaticAnalysis;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>
/// One distinct violation of the run: the rule, DDI and message of its first occurrence, where in the driver it
/// happened, the static finding it confirms (or null: no static rule saw it), and the requests that replay it.
/// </summary>
public sealed record ViolationReport(
    string Rule,
    string Ddi,
    string Message,
    SourceLocation? Location,
    bool AtUnload,
    StaticFinding? Confirms,
    int Occurrences,
    IReadOnlyList<int> Replay,
    int ReplayThreads,
    bool ReplayVerified,
    string? Request)
{
    /// <summary>
    /// "confirms DRV001 at EchoQueue.cs:152", "no static finding" (a rule exists but reported nothing here), or for a
    /// run-time check no analyzer rule covers (PoolLeak, LockMisuse, ...) "run-time check, no analyzer rule".
    /// </summary>
    public string Verdict => Confirms is { } finding ? $"confirms {finding.Rule} at {finding.Location}"
        : HasAnalyzerRule ? "no static finding" : "run-time check, no analyzer rule";

    /// <summary>Whether an analyzer rule of the same ID exists (the DRVnnn rules; the other names are run-time checks only).</summary>
    public bool HasAnalyzerRule => Rule.StartsWith("DRV", System.StringComparison.Ordinal);
}
