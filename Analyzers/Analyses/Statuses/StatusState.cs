using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Statuses;

/// <summary>
/// The state of <see cref="StatusDomain"/>, in <see cref="FactMap{TFact}"/>s: which status locations hold an untested
/// checked-copy status, and which retrieved memory objects, buffers and MDLs come from a retrieve whose status may still be
/// a failure. Both are may-facts: they hold when they hold on some path. <see cref="StatusLocations"/> flags the locations
/// that hold a pending retrieve's status, so an assignment of any other location costs no walk. Immutable.
/// </summary>
internal sealed class StatusState
{
    public static readonly StatusState Unreached = new(true, FactMap<ImmutableHashSet<StatusCall>>.Empty, FactMap<ImmutableHashSet<StatusCall>>.Empty, FactMap<bool>.Empty);

    public static readonly StatusState Empty = new(false, FactMap<ImmutableHashSet<StatusCall>>.Empty, FactMap<ImmutableHashSet<StatusCall>>.Empty, FactMap<bool>.Empty);

    private StatusState(bool isUnreached, FactMap<ImmutableHashSet<StatusCall>> untested, FactMap<ImmutableHashSet<StatusCall>> @unchecked, FactMap<bool> statusLocations)
    {
        IsUnreached = isUnreached;
        Untested = untested;
        Unchecked = @unchecked;
        StatusLocations = statusLocations;
    }

    public bool IsUnreached { get; }

    /// <summary>Status location → the checked copies whose status it holds, not tested yet (DRV021).</summary>
    public FactMap<ImmutableHashSet<StatusCall>> Untested { get; }

    /// <summary>Retrieved handle, pointer or MDL → the retrieves whose status may be a failure here (DRV022).</summary>
    public FactMap<ImmutableHashSet<StatusCall>> Unchecked { get; }

    /// <summary>The locations that hold (on some path) the status of a retrieve in <see cref="Unchecked"/>.</summary>
    public FactMap<bool> StatusLocations { get; }

    public StatusState With(
        FactMap<ImmutableHashSet<StatusCall>>? untested = null,
        FactMap<ImmutableHashSet<StatusCall>>? @unchecked = null,
        FactMap<bool>? statusLocations = null)
    {
        if ((untested is null || ReferenceEquals(untested, Untested)) && (@unchecked is null || ReferenceEquals(@unchecked, Unchecked)) &&
            (statusLocations is null || ReferenceEquals(statusLocations, StatusLocations)))
        {
            return this;
        }

        return new(false, untested ?? Untested, @unchecked ?? Unchecked, statusLocations ?? StatusLocations);
    }

    public static StatusState Join(StatusState left, StatusState right)
    {
        if (left.IsUnreached || ReferenceEquals(left, right))
        {
            return right;
        }

        if (right.IsUnreached)
        {
            return left;
        }

        var untested = FactMap<ImmutableHashSet<StatusCall>>.Join(left.Untested, right.Untested, StatusCallSetLattice.Instance);
        var @unchecked = FactMap<ImmutableHashSet<StatusCall>>.Join(left.Unchecked, right.Unchecked, StatusCallSetLattice.Instance);
        var statusLocations = FactMap<bool>.Join(left.StatusLocations, right.StatusLocations, MayFlagLattice.Instance);
        return left.With(untested, @unchecked, statusLocations);
    }

    public static bool AreEqual(StatusState left, StatusState right) =>
        ReferenceEquals(left, right) ||
        (left.IsUnreached == right.IsUnreached &&
         FactMap<ImmutableHashSet<StatusCall>>.AreEqual(left.Untested, right.Untested, StatusCallSetLattice.Instance) &&
         FactMap<ImmutableHashSet<StatusCall>>.AreEqual(left.Unchecked, right.Unchecked, StatusCallSetLattice.Instance) &&
         FactMap<bool>.AreEqual(left.StatusLocations, right.StatusLocations, MayFlagLattice.Instance));
}

/// <summary>Sets of calls owed a test, joined by union (a "may" fact).</summary>
internal sealed class StatusCallSetLattice : FactLattice<ImmutableHashSet<StatusCall>>
{
    public static readonly StatusCallSetLattice Instance = new();

    public override bool AreEqual(ImmutableHashSet<StatusCall> left, ImmutableHashSet<StatusCall> right) =>
        ReferenceEquals(left, right) || left.SetEquals(right);

    public override ImmutableHashSet<StatusCall> Join(ImmutableHashSet<StatusCall> left, ImmutableHashSet<StatusCall> right) =>
        ReferenceEquals(left, right) || right.IsSubsetOf(left) ? left : left.Union(right);

    public override bool IsAbsent(ImmutableHashSet<StatusCall> fact) => fact.IsEmpty;
}
