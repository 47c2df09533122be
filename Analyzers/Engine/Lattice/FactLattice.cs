using System;
using System.Collections.Immutable;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// How the facts of one kind combine where paths meet: what a <see cref="FactMap{TFact}"/> needs to join and compare
/// itself. Implementations are stateless singletons.
/// </summary>
internal abstract class FactLattice<TFact> : HashTrie<TFact>.IMerger
{
    /// <summary>True when the two facts are the same.</summary>
    public abstract bool AreEqual(TFact left, TFact right);

    /// <summary><see cref="AreEqual"/> as a delegate, made once per lattice (a method group converted at every update allocated one).</summary>
    internal Func<TFact, TFact, bool> AreEqualFunction => _areEqual ??= AreEqual;

    private Func<TFact, TFact, bool>? _areEqual;

    /// <summary>The fact where a path that has <paramref name="left"/> meets one that has <paramref name="right"/>.</summary>
    public abstract TFact Join(TFact left, TFact right);

    /// <summary>
    /// The fact where a path that has <paramref name="fact"/> meets one that has no entry for the location; false to
    /// drop the entry. The default keeps it as it is (a "may" fact: the other path knows nothing to add).
    /// </summary>
    public virtual bool JoinWithAbsent(TFact fact, out TFact joined)
    {
        joined = fact;
        return true;
    }

    /// <summary>
    /// True when <see cref="JoinWithAbsent"/> always keeps the fact unchanged: the join then only walks the entries of
    /// the incoming side.
    /// </summary>
    public virtual bool AbsentKeepsFacts => true;

    /// <summary>
    /// True when <see cref="JoinWithAbsent"/> always drops the fact (a "must" fact: what one path does not know, the join
    /// does not know): the join then walks only where both sides have entries, so a join with a small state costs the
    /// small state, however large the other (the state flowed into a <c>catch</c> from every operation of a long
    /// <c>try</c>).
    /// </summary>
    public virtual bool AbsentDropsFacts => false;

    /// <summary>True when the fact says nothing (the same as no entry): the map drops it.</summary>
    public virtual bool IsAbsent(TFact fact) => false;

    bool HashTrie<TFact>.IMerger.AloneKeeps => AbsentKeepsFacts;

    bool HashTrie<TFact>.IMerger.AloneDrops => AbsentDropsFacts;

    bool HashTrie<TFact>.IMerger.Both(TFact left, TFact right, out TFact merged)
    {
        merged = Join(left, right);
        return !IsAbsent(merged);
    }

    bool HashTrie<TFact>.IMerger.Alone(TFact value, out TFact merged) => JoinWithAbsent(value, out merged) && !IsAbsent(merged);
}

/// <summary>The lattice of sets joined by union (a "may" set: what some path brought); an empty set is no entry.</summary>
internal class UnionSetLattice<T> : FactLattice<ImmutableHashSet<T>>
{
    public override bool AreEqual(ImmutableHashSet<T> left, ImmutableHashSet<T> right) =>
        ReferenceEquals(left, right) || (left.Count == right.Count && Contains(right, left));

    public override ImmutableHashSet<T> Join(ImmutableHashSet<T> left, ImmutableHashSet<T> right) =>
        ReferenceEquals(left, right) || Contains(left, right) ? left : left.Union(right);

    /// <summary>True when every element of <paramref name="part"/> is in <paramref name="whole"/> (lookups, no copy of either set).</summary>
    private static bool Contains(ImmutableHashSet<T> whole, ImmutableHashSet<T> part)
    {
        if (part.Count > whole.Count)
        {
            return false;
        }

        foreach (var element in part)
        {
            if (!whole.Contains(element))
            {
                return false;
            }
        }

        return true;
    }

    public override bool IsAbsent(ImmutableHashSet<T> fact) => fact.IsEmpty;
}

/// <summary>The lattice of location sets joined by union (for example "the requests this value belongs to").</summary>
internal sealed class LocationSetLattice : UnionSetLattice<TrackedLocation>
{
    public static readonly LocationSetLattice Instance = new();
}

/// <summary>The lattice of flags set on some path (a "may" flag; no entry = not set).</summary>
internal sealed class MayFlagLattice : FactLattice<bool>
{
    public static readonly MayFlagLattice Instance = new();

    public override bool AreEqual(bool left, bool right) => left == right;

    public override bool Join(bool left, bool right) => left || right;

    public override bool IsAbsent(bool fact) => !fact;
}
