using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>
/// The pool-block analysis' state: for each followed location (a variable, or a field/property path in
/// <see cref="Members"/>), the facts that may hold for the block it holds. Members are kept apart so that a call of the
/// driver's own code, which may change any field, forgets them all at once. Immutable; every operation that changes
/// nothing returns the same instance.
/// </summary>
internal sealed class PoolState
{
    public static readonly PoolState Unreached = new(
        FactMap<ImmutableHashSet<PoolFact>>.Empty, FactMap<ImmutableHashSet<PoolFact>>.Empty, FactMap<ImmutableHashSet<TrackedLocation>>.Empty, true);

    public static readonly PoolState Empty = new(
        FactMap<ImmutableHashSet<PoolFact>>.Empty, FactMap<ImmutableHashSet<PoolFact>>.Empty, FactMap<ImmutableHashSet<TrackedLocation>>.Empty, false);

    private static readonly PoolFactsLattice Lattice = PoolFactsLattice.Instance;

    /// <summary>Trie nodes an incremental join may walk per map before it gives up (a small constant over a plain join).</summary>
    private const int ChangeLimit = 64;

    private PoolState(
        FactMap<ImmutableHashSet<PoolFact>> variables, FactMap<ImmutableHashSet<PoolFact>> members,
        FactMap<ImmutableHashSet<TrackedLocation>> holders, bool unreached)
    {
        Variables = variables;
        Members = members;
        Holders = holders;
        IsUnreached = unreached;
    }

    /// <summary>Locals, parameters, flow captures.</summary>
    public FactMap<ImmutableHashSet<PoolFact>> Variables { get; }

    /// <summary>Field and property paths (of <c>this</c>, statics, variables, typed contexts).</summary>
    public FactMap<ImmutableHashSet<PoolFact>> Members { get; }

    /// <summary>
    /// For each allocation (<see cref="TrackedLocation.ForOperation"/> of its call) that was copied, the locations that were
    /// given it: the aliases a free must reach. A superset (a location may hold something else since); read together with
    /// its facts.
    /// </summary>
    public FactMap<ImmutableHashSet<TrackedLocation>> Holders { get; }

    public bool IsUnreached { get; }

    public ImmutableHashSet<PoolFact> Get(TrackedLocation location) =>
        (location.IsMember ? Members : Variables).GetValueOrDefault(location, ImmutableHashSet<PoolFact>.Empty);

    public PoolState Set(TrackedLocation location, ImmutableHashSet<PoolFact> facts) =>
        location.IsMember
            ? With(Variables, Members.SetItem(location, facts, Lattice), Holders)
            : With(Variables.SetItem(location, facts, Lattice), Members, Holders);

    /// <summary>
    /// <paramref name="locations"/> share the blocks of <paramref name="facts"/> (a copy and its source, the memory object
    /// and its buffer): a free of one must reach the others. Only copies pay for this index.
    /// </summary>
    public PoolState ShareBlocks(ImmutableHashSet<PoolFact> facts, TrackedLocation first, TrackedLocation second)
    {
        var holders = Holders;
        foreach (var fact in facts)
        {
            if (fact.Kind == PoolFactKind.Allocated && fact.Site is not null)
            {
                var site = TrackedLocation.ForOperation(fact.Site);
                var known = holders.GetValueOrDefault(site, ImmutableHashSet<TrackedLocation>.Empty);
                var shared = known.Add(first).Add(second);
                if (!ReferenceEquals(shared, known))
                {
                    holders = holders.SetItem(site, shared, LocationSetLattice.Instance);
                }
            }
        }

        return With(Variables, Members, holders);
    }

    /// <summary>The locations that may hold the block allocated at <paramref name="site"/> (check their facts).</summary>
    public ImmutableHashSet<TrackedLocation> HoldersOf(Microsoft.CodeAnalysis.IOperation site) =>
        Holders.GetValueOrDefault(TrackedLocation.ForOperation(site), ImmutableHashSet<TrackedLocation>.Empty);

    public PoolState Set(TrackedLocation location, PoolFact fact) => Set(location, ImmutableHashSet.Create(fact));

    /// <summary>The location was assigned something not followed: its facts and those of every path through it are gone.</summary>
    public PoolState Forget(TrackedLocation location) =>
        location.IsMember
            ? With(Variables, Members.Kill(location), Holders)
            : With(Variables.Remove(location), Members.KillDependents(location), Holders);

    /// <summary>The paths that extend <paramref name="location"/> (<c>ctx.Buffer</c> of <c>ctx</c>) are gone.</summary>
    public PoolState KillDependents(TrackedLocation location) =>
        With(Variables.KillDependents(location), Members.KillDependents(location), Holders);

    /// <summary>Every field or property path is forgotten (after a call that may change fields).</summary>
    public PoolState ForgetMembers() => Members.IsEmpty ? this : With(Variables, FactMap<ImmutableHashSet<PoolFact>>.Empty, Holders);

    /// <summary>Every field or property path is forgotten except those <paramref name="keep"/> accepts (paths a call cannot change).</summary>
    public PoolState ForgetMembers(System.Func<TrackedLocation, bool> keep)
    {
        if (Members.IsEmpty)
        {
            return this;
        }

        var members = Members;
        foreach (var location in Members.Keys)
        {
            if (!keep(location))
            {
                members = members.Remove(location);
            }
        }

        return ReferenceEquals(members, Members) ? this : With(Variables, members, Holders);
    }

    public static PoolState Join(PoolState left, PoolState right)
    {
        if (left.IsUnreached || ReferenceEquals(left, right))
        {
            return right;
        }

        if (right.IsUnreached)
        {
            return left;
        }

        return left.With(
            FactMap<ImmutableHashSet<PoolFact>>.Join(left.Variables, right.Variables, Lattice),
            FactMap<ImmutableHashSet<PoolFact>>.Join(left.Members, right.Members, Lattice),
            FactMap<ImmutableHashSet<TrackedLocation>>.Join(left.Holders, right.Holders, LocationSetLattice.Instance));
    }

    /// <summary>
    /// <see cref="Join"/>(<paramref name="joined"/>, <paramref name="next"/>) from what changed between
    /// <paramref name="previous"/> (already joined into <paramref name="joined"/>) and <paramref name="next"/>: at a cleanup
    /// label that many <c>goto</c>s reach, each a few allocations after the last, a join costs those allocations, not every
    /// handle alive (see <see cref="IIncrementalJoin{TState}"/>). Null when too much changed: join as usual.
    /// </summary>
    public static PoolState? JoinChanges(PoolState joined, PoolState previous, PoolState next)
    {
        if (joined.IsUnreached || previous.IsUnreached || next.IsUnreached)
        {
            return null;
        }

        if (FactMap<ImmutableHashSet<PoolFact>>.JoinChanges(joined.Variables, previous.Variables, next.Variables, Lattice, ChangeLimit) is not { } variables ||
            FactMap<ImmutableHashSet<PoolFact>>.JoinChanges(joined.Members, previous.Members, next.Members, Lattice, ChangeLimit) is not { } members ||
            FactMap<ImmutableHashSet<TrackedLocation>>.JoinChanges(joined.Holders, previous.Holders, next.Holders, LocationSetLattice.Instance, ChangeLimit) is not { } holders)
        {
            return null;
        }

        return joined.With(variables, members, holders);
    }

    public static bool AreEqual(PoolState left, PoolState right) =>
        ReferenceEquals(left, right) ||
        (left.IsUnreached == right.IsUnreached &&
         FactMap<ImmutableHashSet<PoolFact>>.AreEqual(left.Variables, right.Variables, Lattice) &&
         FactMap<ImmutableHashSet<PoolFact>>.AreEqual(left.Members, right.Members, Lattice) &&
         FactMap<ImmutableHashSet<TrackedLocation>>.AreEqual(left.Holders, right.Holders, LocationSetLattice.Instance));

    private PoolState With(
        FactMap<ImmutableHashSet<PoolFact>> variables, FactMap<ImmutableHashSet<PoolFact>> members, FactMap<ImmutableHashSet<TrackedLocation>> holders) =>
        ReferenceEquals(variables, Variables) && ReferenceEquals(members, Members) && ReferenceEquals(holders, Holders)
            ? this
            : new PoolState(variables, members, holders, false);
}
