using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Statuses;

/// <summary>What the status rules observe in a replay.</summary>
internal enum StatusEventKind
{
    /// <summary>A location holding untested checked-copy statuses is assigned (DRV021).</summary>
    Overwritten,

    /// <summary>A retrieved handle, pointer or MDL is used where its retrieve may have failed (DRV022).</summary>
    UsedUnchecked,
}

/// <summary>One event of <see cref="StatusEventKind"/> at <see cref="Operation"/>, with the calls it concerns.</summary>
internal sealed class StatusEvent
{
    public StatusEvent(StatusEventKind kind, IOperation operation, TrackedLocation location, ImmutableHashSet<StatusCall> calls)
    {
        Kind = kind;
        Operation = operation;
        Location = location;
        Calls = calls;
    }

    public StatusEventKind Kind { get; }

    /// <summary>The assignment (<see cref="StatusEventKind.Overwritten"/>) or the reference (<see cref="StatusEventKind.UsedUnchecked"/>).</summary>
    public IOperation Operation { get; }

    /// <summary>The status location assigned, or the retrieved value used.</summary>
    public TrackedLocation Location { get; }

    public ImmutableHashSet<StatusCall> Calls { get; }
}
