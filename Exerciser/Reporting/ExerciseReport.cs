using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Exercising.StaticAnalysis;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>What <see cref="Exerciser.Run"/> found: every distinct violation once, and the static findings it did or did not reach.</summary>
public sealed record ExerciseReport
{
    /// <summary>The exit code of <c>driverbuffers exercise</c> for bad usage or a driver that cannot be built or loaded.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The driver as the user named it.</summary>
    public required string Driver { get; init; }

    /// <summary>Set when the driver could not be exercised at all (bad usage, build failure, no DriverEntry).</summary>
    public string? Error { get; init; }

    public int Seed { get; init; }

    public int Threads { get; init; }

    /// <summary>The drivers found (types with a DriverEntry).</summary>
    public IReadOnlyList<string> Drivers { get; init; } = [];

    public int RequestsGenerated { get; init; }

    /// <summary>Requests actually sent (a session ends at its first violation).</summary>
    public int RequestsSent { get; init; }

    public int Sessions { get; init; }

    public IReadOnlyList<ViolationReport> Violations { get; init; } = [];

    /// <summary>Every finding of the analyzers on the driver (empty when they did not run).</summary>
    public IReadOnlyList<StaticFinding> StaticFindings { get; init; } = [];

    /// <summary>Whether the analyzers ran.</summary>
    public bool AnalyzersRan { get; init; }

    /// <summary>Findings of rules the verifier checks at run time that no violation of this run confirmed.</summary>
    public IReadOnlyList<StaticFinding> NotExercised { get; init; } = [];

    /// <summary>Findings of rules the verifier cannot check at run time (RULES.md: no run-time twin, or one that only returns a status).</summary>
    public IReadOnlyList<StaticFinding> StaticOnly { get; init; } = [];

    /// <summary>Notes for the user: incomplete static analysis, what the simulation could not do.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>0 clean, 1 violations found, 2 bad usage or a driver that cannot be exercised.</summary>
    public int ExitCode => Error is not null ? UsageExitCode : Violations.Count > 0 ? 1 : 0;

    /// <summary>The violations that confirm a static finding.</summary>
    public IEnumerable<ViolationReport> Confirmed => Violations.Where(v => v.Confirms is not null);
}
