using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The state of <see cref="KnownSizesDomain"/> at one program point, in <see cref="FactMap{TFact}"/>s: facts about numbers
/// (<see cref="Values"/>) and about buffers (<see cref="Buffers"/>).
/// A missing entry means nothing is known. An assignment kills the assigned location's facts and those of every location
/// derived from it (<see cref="FactMap{TFact}.Kill"/>), and removes the bounds that name it from the facts of the locations
/// <see cref="Mentions"/> lists: it costs what it removes, not the size of the state. Immutable; an operation that changes
/// nothing returns the same instance.
/// </summary>
internal sealed class SizeState
{
    public static readonly SizeState Unreached = new(true, FactMap<ValueFacts>.Empty, FactMap<BufferFacts>.Empty, null, FactMap<bool>.Empty);

    /// <summary>
    /// Nothing known. A state derived from it starts its own <see cref="MentionIndex"/> at its first bound; an analysis
    /// starts from <see cref="Start"/> so that every state of one solve shares one.
    /// </summary>
    public static readonly SizeState Empty = new(false, FactMap<ValueFacts>.Empty, FactMap<BufferFacts>.Empty, null, FactMap<bool>.Empty);

    /// <summary>
    /// Trie nodes an incremental join may walk per map before it gives up (a constant over a plain join). 256, not Pool's
    /// 64: the "may reach n" bound markers of DRV024 change more between two gotos of a long method, and at 64 most joins
    /// at its exit label fell back to the full join (method-2000 Copies 420–484 ms at 64, 310–344 ms at 256, other shapes
    /// within noise; 1,024 made handles-100 slower).
    /// </summary>
    private const int ChangeLimit = 256;

    private SizeState(bool isUnreached, FactMap<ValueFacts> values, FactMap<BufferFacts> buffers, MentionIndex? mentions, FactMap<bool> sizes)
    {
        IsUnreached = isUnreached;
        Values = values;
        Buffers = buffers;
        Mentions = mentions;
        Sizes = sizes;
    }

    /// <summary>The entry state of one solve: nothing known, and a mention index of its own that every state derived from it shares.</summary>
    public static SizeState Start() => new(false, FactMap<ValueFacts>.Empty, FactMap<BufferFacts>.Empty, new MentionIndex(), FactMap<bool>.Empty);

    public bool IsUnreached { get; }

    /// <summary>What is known about each number: a minimum and the values it does not exceed.</summary>
    public FactMap<ValueFacts> Values { get; }

    /// <summary>What is known about each buffer: the sizes it holds at least, the memory object it is the buffer of.</summary>
    public FactMap<BufferFacts> Buffers { get; }

    /// <summary>
    /// Location → the locations whose facts name it (or something computed from it) as a bound or a memory object: whose
    /// facts an assignment of it must clean. Shared by every state of one solve (a superset of each state's: see
    /// <see cref="MentionIndex"/>); null until a fact names a location.
    /// </summary>
    private MentionIndex? Mentions { get; }

    /// <summary>
    /// The locations that are (on some path) a size of a buffer: what a number stored with a constant bound is compared
    /// with (<see cref="SizesAtLeast"/>). A superset is harmless (joined by union).
    /// </summary>
    public FactMap<bool> Sizes { get; }

    public ValueFacts FactsOf(TrackedLocation key) => Values.TryGetValue(key, out var facts) ? facts : ValueFacts.None;

    public BufferFacts? BufferOf(TrackedLocation? key) => key is not null && Buffers.TryGetValue(key, out var facts) ? facts : null;

    public SizeState WithValue(TrackedLocation key, ValueFacts facts)
    {
        var values = Values.SetItem(key, facts, ValueFactsLattice.Instance);
        if (ReferenceEquals(values, Values))
        {
            return this;
        }

        var mentions = Mentions;
        foreach (var bound in facts.Upper)
        {
            mentions = Mention(mentions, bound.Key, key);
        }

        return new SizeState(false, values, Buffers, mentions, Sizes);
    }

    public SizeState WithBuffer(TrackedLocation key, BufferFacts? facts)
    {
        var buffers = facts is null ? Buffers.Remove(key) : Buffers.SetItem(key, facts, BufferFactsLattice.Instance);
        if (ReferenceEquals(buffers, Buffers))
        {
            return this;
        }

        var mentions = Mentions;
        var sizes = Sizes;
        if (facts is not null)
        {
            foreach (var bound in facts.AtLeast)
            {
                mentions = Mention(mentions, bound.Key, key);
                if (bound.Key is { } size)
                {
                    sizes = sizes.SetItem(size, true, MayFlagLattice.Instance);
                }
            }

            mentions = Mention(mentions, facts.Memory, key);
        }

        return new SizeState(false, Values, buffers, mentions, sizes);
    }

    /// <summary>True when some buffer's size is given by <paramref name="key"/>: it is a length, not an arbitrary number.</summary>
    public bool IsBufferSize(TrackedLocation key)
    {
        if (!Sizes.ContainsKey(key))
        {
            return false;
        }

        var bound = Bound.Of(key);
        return Buffers.Any(b => b.Value.AtLeast.Contains(bound));
    }

    /// <summary>
    /// <paramref name="key"/> was assigned: forgets everything about it and about every location made of it, and every
    /// bound that names them.
    /// </summary>
    public SizeState Kill(TrackedLocation key)
    {
        var values = Values.Kill(key);
        var buffers = Buffers.Kill(key);
        if (Mentions?.HoldersOf(key) is { } holders)
        {
            for (var i = 0; i < holders.Count; i++)
            {
                var holder = holders[i];
                WorkMeter.Steps(1);
                if (values.TryGetValue(holder, out var valueFacts) && valueFacts.Upper.WithoutDependentsOf(key) is var upper &&
                    !ReferenceEquals(upper, valueFacts.Upper))
                {
                    values = values.SetItem(holder, new ValueFacts(valueFacts.Min, upper), ValueFactsLattice.Instance);
                }

                if (buffers.TryGetValue(holder, out var bufferFacts))
                {
                    var facts = bufferFacts;
                    if (facts.AtLeast.WithoutDependentsOf(key) is var atLeast && !ReferenceEquals(atLeast, facts.AtLeast))
                    {
                        facts = facts.With(atLeast: atLeast);
                    }

                    if (facts.Memory is { } memory && SizeLocations.DependsOn(memory, key))
                    {
                        facts = facts.WithMemory(null);
                    }

                    if (!ReferenceEquals(facts, bufferFacts))
                    {
                        buffers = buffers.SetItem(holder, facts, BufferFactsLattice.Instance);
                    }
                }
            }

        }

        if (ReferenceEquals(values, Values) && ReferenceEquals(buffers, Buffers))
        {
            return this;
        }

        return new SizeState(false, values, buffers, Mentions, Sizes);
    }

    /// <summary>
    /// The buffer sizes known here to be at least <paramref name="value"/>, directly or through a number equal to them (and
    /// what bounds them): a number at most <paramref name="value"/> is at most each of them. Costs the number of sizes and
    /// of their bounds.
    /// </summary>
    public BoundSet SizesAtLeast(ulong value)
    {
        if (value == 0)
        {
            return BoundSet.Empty;
        }

        var bounds = new BoundSet.Builder(BoundSet.Empty);
        foreach (var size in Sizes)
        {
            WorkMeter.Steps(1);
            var facts = FactsOf(size.Key);
            if (facts.Min >= value)
            {
                bounds.Add(Bound.Of(size.Key));
                bounds.AddRange(facts.Upper);
                continue;
            }

            // A number equal to this size (each bounds the other: count = MmGetMdlByteCount(mdl)) and at least the constant.
            var sizeBound = Bound.Of(size.Key);
            foreach (var equal in facts.Upper)
            {
                WorkMeter.Steps(1);
                if (equal.Key is { } key && Values.TryGetValue(key, out var equalFacts) && equalFacts.Min >= value &&
                    equalFacts.Upper.Contains(sizeBound))
                {
                    bounds.Add(equal);
                    bounds.AddRange(equalFacts.Upper);
                }
            }
        }

        return bounds.ToSet();
    }

    public static SizeState Join(SizeState left, SizeState right)
    {
        if (left.IsUnreached || ReferenceEquals(left, right))
        {
            return right;
        }

        if (right.IsUnreached)
        {
            return left;
        }

        var values = FactMap<ValueFacts>.Join(left.Values, right.Values, ValueFactsLattice.Instance);
        var buffers = FactMap<BufferFacts>.Join(left.Buffers, right.Buffers, BufferFactsLattice.Instance);
        var mentions = MentionIndex.Join(left.Mentions, right.Mentions);
        var sizes = FactMap<bool>.Join(left.Sizes, right.Sizes, MayFlagLattice.Instance);
        if (ReferenceEquals(values, left.Values) && ReferenceEquals(buffers, left.Buffers) && ReferenceEquals(mentions, left.Mentions) &&
            ReferenceEquals(sizes, left.Sizes))
        {
            return left;
        }

        return new SizeState(false, values, buffers, mentions, sizes);
    }

    /// <summary>
    /// <see cref="Join"/>(<paramref name="joined"/>, <paramref name="next"/>) from what changed between
    /// <paramref name="previous"/> (already joined into <paramref name="joined"/>) and <paramref name="next"/>: at a label
    /// that many <c>goto</c>s reach (<c>goto Exit</c> after each failed check of a long method), each join costs what the
    /// few operations since the previous <c>goto</c> changed, not every size and bound gathered so far (see
    /// <see cref="IIncrementalJoin{TState}"/>). Null when too much changed: join as usual.
    /// </summary>
    public static SizeState? JoinChanges(SizeState joined, SizeState previous, SizeState next)
    {
        if (joined.IsUnreached || previous.IsUnreached || next.IsUnreached)
        {
            return null;
        }

        if (FactMap<ValueFacts>.JoinChanges(joined.Values, previous.Values, next.Values, ValueFactsLattice.Instance, ChangeLimit) is not { } values ||
            FactMap<BufferFacts>.JoinChanges(joined.Buffers, previous.Buffers, next.Buffers, BufferFactsLattice.Instance, ChangeLimit) is not { } buffers ||
            FactMap<bool>.JoinChanges(joined.Sizes, previous.Sizes, next.Sizes, MayFlagLattice.Instance, ChangeLimit) is not { } sizes)
        {
            return null;
        }

        var mentions = MentionIndex.Join(joined.Mentions, next.Mentions);
        if (ReferenceEquals(values, joined.Values) && ReferenceEquals(buffers, joined.Buffers) && ReferenceEquals(mentions, joined.Mentions) &&
            ReferenceEquals(sizes, joined.Sizes))
        {
            return joined;
        }

        return new SizeState(false, values, buffers, mentions, sizes);
    }

    public static bool AreEqual(SizeState left, SizeState right) =>
        ReferenceEquals(left, right) ||
        (left.IsUnreached == right.IsUnreached &&
         FactMap<ValueFacts>.AreEqual(left.Values, right.Values, ValueFactsLattice.Instance) &&
         FactMap<BufferFacts>.AreEqual(left.Buffers, right.Buffers, BufferFactsLattice.Instance) &&
         FactMap<bool>.AreEqual(left.Sizes, right.Sizes, MayFlagLattice.Instance));

    /// <summary>Notes that <paramref name="holder"/>'s facts name <paramref name="named"/> (under it and what it is made of).</summary>
    private static MentionIndex? Mention(MentionIndex? mentions, TrackedLocation? named, TrackedLocation holder)
    {
        if (named is null)
        {
            return mentions;
        }

        mentions ??= new MentionIndex();
        mentions.Add(named, holder);
        if (!named.HasDependencies)
        {
            return mentions;
        }

        foreach (var dependency in named.DependsOn)
        {
            mentions.Add(dependency, holder);
        }

        return mentions;
    }
}
