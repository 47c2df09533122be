using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The one fact-map lattice of the engine: a persistent (immutable) map from <see cref="TrackedLocation"/> to a fact,
/// joined and compared through a <see cref="FactLattice{TFact}"/>.
/// <list type="bullet">
/// <item>Every operation that changes nothing returns the same instance, so the solver's reference fast path makes
/// unchanged states free (no join, no equality walk).</item>
/// <item>Join and equality walk only what differs: the entries live in a <see cref="HashTrie{TValue}"/>, and subtrees the
/// two sides share (everything neither path changed since they split) are skipped by reference. Both cost nothing when
/// the two maps are the same instance. The walked nodes are charged to the <see cref="WorkMeter"/>.</item>
/// <item>A dependency index (location → the locations that depend on it: the paths that extend it, the derived values
/// computed from it; see <see cref="TrackedLocation.DependsOn"/>) lets <see cref="KillDependents"/> remove exactly the
/// facts an assignment invalidates: assigning <c>ctx</c> kills <c>ctx.Reader</c>, assigning <c>length</c> kills
/// <c>offset + length</c>, nothing else, in time proportional to what it removes. The index may list locations no
/// longer present (after a join dropped them); they are skipped.</item>
/// </list>
/// </summary>
internal sealed class FactMap<TFact> : IEnumerable<KeyValuePair<TrackedLocation, TFact>>
{
    public static readonly FactMap<TFact> Empty = new(
        HashTrie<TFact>.Empty,
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>>.Empty);

    private readonly HashTrie<TFact> _entries;
    private readonly ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> _dependents;

    private FactMap(HashTrie<TFact> entries, ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> dependents)
    {
        _entries = entries;
        _dependents = dependents;
    }

    public int Count => _entries.Count;

    public bool IsEmpty => _entries.IsEmpty;

    public IEnumerable<TrackedLocation> Keys
    {
        get
        {
            foreach (var pair in _entries)
            {
                yield return pair.Key;
            }
        }
    }

    public bool ContainsKey(TrackedLocation location) => _entries.TryGetValue(location, out _);

    public bool TryGetValue(TrackedLocation location, out TFact fact) => _entries.TryGetValue(location, out fact);

    public TFact GetValueOrDefault(TrackedLocation location, TFact fallback) =>
        _entries.TryGetValue(location, out var fact) ? fact : fallback;

    /// <summary>The map with <paramref name="fact"/> at <paramref name="location"/>; this instance when it already holds it.</summary>
    public FactMap<TFact> SetItem(TrackedLocation location, TFact fact, FactLattice<TFact> lattice)
    {
        if (lattice.IsAbsent(fact))
        {
            return Remove(location);
        }

        var entries = _entries.SetItem(location, fact, lattice.AreEqualFunction);
        if (ReferenceEquals(entries, _entries))
        {
            return this;
        }

        return new FactMap<TFact>(entries, Index(_dependents, location));
    }

    /// <summary>The map without <paramref name="location"/>'s entry (the paths that extend it are kept).</summary>
    public FactMap<TFact> Remove(TrackedLocation location)
    {
        var entries = _entries.Remove(location);
        return ReferenceEquals(entries, _entries) ? this : new FactMap<TFact>(entries, Unindex(_dependents, location));
    }

    /// <summary>The location was assigned: its entry and the entries of every location that depends on it are gone.</summary>
    public FactMap<TFact> Kill(TrackedLocation location) => Remove(location).KillDependents(location);

    /// <summary>
    /// The entries of every location that depends on <paramref name="location"/> (the paths <c>ctx.f</c>, <c>ctx.f.g</c>
    /// and derived values such as <c>Length(ctx.f)</c> for <c>ctx</c>) are gone; the location's own entry stays. Costs
    /// what it removes.
    /// </summary>
    public FactMap<TFact> KillDependents(TrackedLocation location)
    {
        if (!_dependents.TryGetValue(location, out var dependents))
        {
            return this;
        }

        var entries = _entries;
        var index = _dependents;
        foreach (var dependent in dependents)
        {
            entries = entries.Remove(dependent);
            index = Unindex(index, dependent);
        }

        // Nothing removed (the index listed only locations a join had dropped): the same map, so the solver's reference
        // checks see no change.
        return ReferenceEquals(entries, _entries) ? this : new FactMap<TFact>(entries, index);
    }

    /// <summary>Where two paths meet; <paramref name="left"/> (or <paramref name="right"/>) itself when the join holds just its facts.</summary>
    public static FactMap<TFact> Join(FactMap<TFact> left, FactMap<TFact> right, FactLattice<TFact> lattice)
    {
        if (ReferenceEquals(left, right) || ReferenceEquals(left._entries, right._entries))
        {
            return left;
        }

        long walked = 0;
        var entries = HashTrie<TFact>.Merge(left._entries, right._entries, lattice, ref walked);
        WorkMeter.JoinEntries(walked);
        if (ReferenceEquals(entries, left._entries))
        {
            return left;
        }

        if (ReferenceEquals(entries, right._entries))
        {
            return right;
        }

        return new FactMap<TFact>(entries, MergeIndex(left._dependents, right._dependents));
    }

    /// <summary>
    /// <see cref="Join"/>(<paramref name="joined"/>, <paramref name="next"/>) when <paramref name="joined"/> already holds
    /// <paramref name="previous"/> (it is a join of it and other states), computed from what differs between
    /// <paramref name="previous"/> and <paramref name="next"/> only: where <paramref name="next"/> agrees with
    /// <paramref name="previous"/>, <paramref name="joined"/> already holds its facts. Two states derived one from the other
    /// (the states of the <c>goto</c>s of one cleanup label, each a few operations after the last) then cost what changed
    /// between them, not everything that differs from the join so far. Null when more than <paramref name="limit"/> trie
    /// nodes differ: the caller joins as usual (so this costs at most the limit more than <see cref="Join"/>).
    /// Requires a lattice whose join is associative, commutative and idempotent.
    /// </summary>
    public static FactMap<TFact>? JoinChanges(
        FactMap<TFact> joined, FactMap<TFact> previous, FactMap<TFact> next, FactLattice<TFact> lattice, int limit)
    {
        if (ReferenceEquals(previous._entries, next._entries))
        {
            return joined;
        }

        long walked = 0;
        var changes = t_changes ?? new List<(TrackedLocation Key, bool Present, TFact Value)>();
        t_changes = null; // taken: a join nested in a lattice's join makes its own
        try
        {
            var found = HashTrie<TFact>.TryFindChanges(previous._entries, next._entries, lattice, changes, limit, ref walked);
            WorkMeter.JoinEntries(walked);
            return found ? Apply(joined, changes, lattice) : null;
        }
        finally
        {
            changes.Clear();
            if (changes.Capacity <= MaxKeptChanges)
            {
                t_changes = changes;
            }
        }
    }

    /// <summary>The list <see cref="JoinChanges"/> gathers changes into, kept per thread between joins (cleared).</summary>
    [ThreadStatic]
    private static List<(TrackedLocation Key, bool Present, TFact Value)>? t_changes;

    /// <summary>A list grown past this many changes is not kept.</summary>
    private const int MaxKeptChanges = 1024;

    /// <summary><paramref name="joined"/> with each change of <paramref name="changes"/> joined in.</summary>
    private static FactMap<TFact> Apply(
        FactMap<TFact> joined, List<(TrackedLocation Key, bool Present, TFact Value)> changes, FactLattice<TFact> lattice)
    {
        var result = joined;
        foreach (var (key, present, value) in changes)
        {
            var has = joined.TryGetValue(key, out var held);
            if (!present && !has)
            {
                continue; // no entry on either side
            }

            bool keep;
            TFact merged;
            if (present && has)
            {
                merged = lattice.Join(held, value);
                keep = true;
            }
            else
            {
                keep = lattice.JoinWithAbsent(present ? value : held, out merged);
            }

            result = keep && !lattice.IsAbsent(merged) ? result.SetItem(key, merged, lattice) : result.Remove(key);
        }

        return result;
    }

    /// <summary>True when both maps hold the same facts (free when they are the same instance; otherwise what differs is walked).</summary>
    public static bool AreEqual(FactMap<TFact> left, FactMap<TFact> right, FactLattice<TFact> lattice)
    {
        if (ReferenceEquals(left, right) || ReferenceEquals(left._entries, right._entries))
        {
            return true;
        }

        long walked = 0;
        var equal = HashTrie<TFact>.AreEqual(left._entries, right._entries, lattice.AreEqualFunction, ref walked);
        WorkMeter.JoinEntries(walked);
        return equal;
    }

    /// <summary>The entries; <c>foreach</c> over a map allocates nothing (a struct cursor).</summary>
    public HashTrie<TFact>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<TrackedLocation, TFact>> IEnumerable<KeyValuePair<TrackedLocation, TFact>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> Index(
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> index, TrackedLocation location)
    {
        if (location.IsVariable || location.IsOwnMember)
        {
            return index; // nothing to depend on: the frequent case, free
        }

        foreach (var dependency in location.DependsOn)
        {
            index = index.SetItem(dependency, index.TryGetValue(dependency, out var set) ? set.Add(location) : location.AsSet);
        }

        return index;
    }

    private static ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> Unindex(
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> index, TrackedLocation location)
    {
        if (index.IsEmpty || location.IsVariable || location.IsOwnMember)
        {
            return index;
        }

        foreach (var dependency in location.DependsOn)
        {
            if (index.TryGetValue(dependency, out var set))
            {
                set = set.Remove(location);
                index = set.IsEmpty ? index.Remove(dependency) : index.SetItem(dependency, set);
            }
        }

        return index;
    }

    /// <summary>The index of a joined map: every path either side may hold (a superset is harmless).</summary>
    private static ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> MergeIndex(
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> left,
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> right)
    {
        if (ReferenceEquals(left, right) || right.IsEmpty)
        {
            return left;
        }

        if (left.IsEmpty)
        {
            return right;
        }

        foreach (var pair in right)
        {
            left = left.SetItem(pair.Key, left.TryGetValue(pair.Key, out var mine) ? mine.Union(pair.Value) : pair.Value);
        }

        return left;
    }
}
