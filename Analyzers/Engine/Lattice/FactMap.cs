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
/// <item>A dependency index (holder location → the paths that extend it) lets <see cref="Kill"/> remove exactly the facts
/// an assignment invalidates: assigning <c>ctx</c> kills <c>ctx.Reader</c>, nothing else, in time proportional to
/// what it removes.</item>
/// <item>Join and equality cost nothing when both sides are the same instance; otherwise they walk the incoming side
/// (and the other side too only for lattices whose absent entries change facts), charging the walked entries to the
/// <see cref="WorkMeter"/>.</item>
/// </list>
/// </summary>
internal sealed class FactMap<TFact> : IEnumerable<KeyValuePair<TrackedLocation, TFact>>
{
    public static readonly FactMap<TFact> Empty = new(
        ImmutableDictionary<TrackedLocation, TFact>.Empty,
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>>.Empty);

    private readonly ImmutableDictionary<TrackedLocation, TFact> _entries;
    private readonly ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> _dependents;

    private FactMap(
        ImmutableDictionary<TrackedLocation, TFact> entries,
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> dependents)
    {
        _entries = entries;
        _dependents = dependents;
    }

    public int Count => _entries.Count;

    public bool IsEmpty => _entries.IsEmpty;

    public IEnumerable<TrackedLocation> Keys => _entries.Keys;

    public bool ContainsKey(TrackedLocation location) => _entries.ContainsKey(location);

    public bool TryGetValue(TrackedLocation location, out TFact fact) => _entries.TryGetValue(location, out fact!);

    public TFact GetValueOrDefault(TrackedLocation location, TFact fallback) =>
        _entries.TryGetValue(location, out var fact) ? fact : fallback;

    /// <summary>The map with <paramref name="fact"/> at <paramref name="location"/>; this instance when it already holds it.</summary>
    public FactMap<TFact> SetItem(TrackedLocation location, TFact fact, FactLattice<TFact> lattice)
    {
        if (lattice.IsAbsent(fact))
        {
            return Remove(location);
        }

        if (_entries.TryGetValue(location, out var existing))
        {
            return lattice.AreEqual(existing, fact) ? this : new FactMap<TFact>(_entries.SetItem(location, fact), _dependents);
        }

        return new FactMap<TFact>(_entries.Add(location, fact), Index(_dependents, location));
    }

    /// <summary>The map without <paramref name="location"/>'s entry (the paths that extend it are kept).</summary>
    public FactMap<TFact> Remove(TrackedLocation location) =>
        _entries.ContainsKey(location) ? new FactMap<TFact>(_entries.Remove(location), Unindex(_dependents, location)) : this;

    /// <summary>
    /// The location was assigned: its entry and the entries of every path that extends it (<c>ctx.f</c> for
    /// <c>ctx</c>) are gone.
    /// </summary>
    public FactMap<TFact> Kill(TrackedLocation location) => Remove(location).KillExtensions(location);

    /// <summary>
    /// The entries of every path that extends <paramref name="location"/> (<c>ctx.f</c>, <c>ctx.f.g</c> for <c>ctx</c>) are
    /// gone; the location's own entry stays. Costs what it removes.
    /// </summary>
    public FactMap<TFact> KillExtensions(TrackedLocation location)
    {
        if (!_dependents.TryGetValue(location, out var dependents))
        {
            return this;
        }

        var entries = _entries;
        var index = _dependents;
        foreach (var dependent in dependents)
        {
            if (entries.ContainsKey(dependent))
            {
                entries = entries.Remove(dependent);
                index = Unindex(index, dependent);
            }
        }

        return new FactMap<TFact>(entries, index);
    }

    /// <summary>Where two paths meet; <paramref name="left"/> itself when the join adds nothing to it.</summary>
    public static FactMap<TFact> Join(FactMap<TFact> left, FactMap<TFact> right, FactLattice<TFact> lattice)
    {
        if (ReferenceEquals(left, right) || ReferenceEquals(left._entries, right._entries))
        {
            return left;
        }

        ImmutableDictionary<TrackedLocation, TFact>.Builder? changed = null;
        var added = new List<TrackedLocation>();
        var removed = new List<TrackedLocation>();
        var walked = right._entries.Count;
        foreach (var pair in right._entries)
        {
            if (left._entries.TryGetValue(pair.Key, out var mine))
            {
                var joined = lattice.Join(mine, pair.Value);
                if (lattice.AreEqual(joined, mine))
                {
                    continue;
                }

                changed ??= left._entries.ToBuilder();
                if (lattice.IsAbsent(joined))
                {
                    changed.Remove(pair.Key);
                    removed.Add(pair.Key);
                }
                else
                {
                    changed[pair.Key] = joined;
                }
            }
            else if (lattice.JoinWithAbsent(pair.Value, out var alone) && !lattice.IsAbsent(alone))
            {
                changed ??= left._entries.ToBuilder();
                changed[pair.Key] = alone;
                added.Add(pair.Key);
            }
        }

        if (!lattice.AbsentKeepsFacts)
        {
            walked += left._entries.Count;
            foreach (var pair in left._entries)
            {
                if (right._entries.ContainsKey(pair.Key))
                {
                    continue;
                }

                if (!lattice.JoinWithAbsent(pair.Value, out var alone) || lattice.IsAbsent(alone))
                {
                    changed ??= left._entries.ToBuilder();
                    changed.Remove(pair.Key);
                    removed.Add(pair.Key);
                }
                else if (!lattice.AreEqual(alone, pair.Value))
                {
                    changed ??= left._entries.ToBuilder();
                    changed[pair.Key] = alone;
                }
            }
        }

        WorkMeter.JoinEntries(walked);
        if (changed is null)
        {
            return left;
        }

        var index = left._dependents;
        foreach (var location in added)
        {
            index = Index(index, location);
        }

        foreach (var location in removed)
        {
            index = Unindex(index, location);
        }

        return new FactMap<TFact>(changed.ToImmutable(), index);
    }

    /// <summary>True when both maps hold the same facts (free when they are the same instance).</summary>
    public static bool AreEqual(FactMap<TFact> left, FactMap<TFact> right, FactLattice<TFact> lattice)
    {
        if (ReferenceEquals(left, right) || ReferenceEquals(left._entries, right._entries))
        {
            return true;
        }

        if (left._entries.Count != right._entries.Count)
        {
            return false;
        }

        WorkMeter.JoinEntries(left._entries.Count);
        foreach (var pair in left._entries)
        {
            if (!right._entries.TryGetValue(pair.Key, out var theirs) || !lattice.AreEqual(pair.Value, theirs))
            {
                return false;
            }
        }

        return true;
    }

    public IEnumerator<KeyValuePair<TrackedLocation, TFact>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> Index(
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> index, TrackedLocation location)
    {
        for (var holder = location.Holder; holder is not null; holder = holder.Holder)
        {
            index = index.SetItem(holder, index.TryGetValue(holder, out var set) ? set.Add(location) : location.AsSet);
        }

        return index;
    }

    private static ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> Unindex(
        ImmutableDictionary<TrackedLocation, ImmutableHashSet<TrackedLocation>> index, TrackedLocation location)
    {
        for (var holder = location.Holder; holder is not null; holder = holder.Holder)
        {
            if (index.TryGetValue(holder, out var set))
            {
                set = set.Remove(location);
                index = set.IsEmpty ? index.Remove(holder) : index.SetItem(holder, set);
            }
        }

        return index;
    }
}
