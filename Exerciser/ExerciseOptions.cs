using System;
using System.Collections.Generic;
using System.IO;

namespace DriverBuffers.Exercising;

/// <summary>What to exercise and how: the command line's options, also what a test passes to <see cref="Exerciser.Run"/>.</summary>
public sealed record ExerciseOptions
{
    /// <summary>The default number of generated requests.</summary>
    public const int DefaultRequests = 1000;

    /// <summary>The default number of application threads sending requests at once.</summary>
    public const int DefaultThreads = 4;

    /// <summary>The driver: a .csproj (built first) or a built .dll with its portable PDB beside it.</summary>
    public required string Driver { get; init; }

    /// <summary>The seed of the request generator; the same seed, request count and driver give the same requests.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many requests to generate.</summary>
    public int Requests { get; init; } = DefaultRequests;

    /// <summary>How many application threads send requests at once.</summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>Where to write the report as SARIF 2.1, or null.</summary>
    public string? SarifPath { get; init; }

    /// <summary>
    /// Replay mode: only these request numbers (of the generator's sequence for <see cref="Seed"/>), in one driver
    /// session, one at a time. The report prints such a list for every violation.
    /// </summary>
    public IReadOnlyList<int>? Replay { get; init; }

    /// <summary>Run the analyzers on the driver's sources (on by default).</summary>
    public bool RunAnalyzers { get; init; } = true;

    /// <summary>The build configuration of a project (Debug keeps every frame for the line mapping).</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>Where progress lines go on long runs (the CLI passes standard error), or null for none.</summary>
    public TextWriter? Progress { get; init; }
}
