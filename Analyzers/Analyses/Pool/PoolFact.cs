using System;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>What may hold for a pool block (or an MDL, a lookaside entry, a memory object) at a program point.</summary>
internal enum PoolFactKind
{
    /// <summary>Allocated at <see cref="PoolFact.Site"/> with <see cref="PoolFact.Tag"/> (null: untagged or not a constant).</summary>
    Allocated,

    /// <summary>Freed (or deleted) at <see cref="PoolFact.Site"/>; <see cref="PoolFact.Origin"/> is the allocation it freed, when known.</summary>
    Freed,

    /// <summary>NULL (assigned NULL, or on the NULL side of a check).</summary>
    Null,

    /// <summary>The value a parameter had on entry (only when summarising a helper).</summary>
    Incoming,
}

/// <summary>One fact about a tracked block: the allocation or free that produced it.</summary>
internal sealed class PoolFact : IEquatable<PoolFact>
{
    public static readonly PoolFact NullPointer = new(PoolFactKind.Null, null, null);

    public static readonly PoolFact IncomingValue = new(PoolFactKind.Incoming, null, null);

    public PoolFact(PoolFactKind kind, IInvocationOperation? site, uint? tag, IInvocationOperation? origin = null)
    {
        Kind = kind;
        Site = site;
        Tag = tag;
        Origin = origin;
    }

    public PoolFactKind Kind { get; }

    /// <summary>The allocating or freeing call (for a free by a helper: the helper's call).</summary>
    public IInvocationOperation? Site { get; }

    public uint? Tag { get; }

    /// <summary>For <see cref="PoolFactKind.Freed"/>: the allocation the free released, when one was known.</summary>
    public IInvocationOperation? Origin { get; }

    public bool Equals(PoolFact? other) =>
        other is not null && Kind == other.Kind && ReferenceEquals(Site, other.Site) && Tag == other.Tag && ReferenceEquals(Origin, other.Origin);

    public override bool Equals(object? obj) => Equals(obj as PoolFact);

    public override int GetHashCode() => ((int)Kind * 397) ^ (Site?.GetHashCode() ?? 0);
}

/// <summary>Sets of <see cref="PoolFact"/>s joined by union ("freed on some path" survives a merge); an empty set is no entry.</summary>
internal sealed class PoolFactsLattice : Engine.UnionSetLattice<PoolFact>
{
    public static readonly PoolFactsLattice Instance = new();
}
