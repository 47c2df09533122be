using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// The state of <see cref="KnownSizesDomain"/> at one program point: facts about numbers and about buffers.
/// A missing entry means nothing is known. Immutable.
/// </summary>
internal sealed class SizeState
{
    public static readonly SizeState Unreached = new(
        true, ImmutableDictionary<ValueKey, ValueFacts>.Empty, ImmutableDictionary<ValueKey, BufferFacts>.Empty);

    public static readonly SizeState Empty = new(
        false, ImmutableDictionary<ValueKey, ValueFacts>.Empty, ImmutableDictionary<ValueKey, BufferFacts>.Empty);

    public SizeState(bool isUnreached, ImmutableDictionary<ValueKey, ValueFacts> values, ImmutableDictionary<ValueKey, BufferFacts> buffers)
    {
        IsUnreached = isUnreached;
        Values = values;
        Buffers = buffers;
    }

    public bool IsUnreached { get; }

    public ImmutableDictionary<ValueKey, ValueFacts> Values { get; }

    public ImmutableDictionary<ValueKey, BufferFacts> Buffers { get; }

    public ValueFacts FactsOf(ValueKey key) => Values.TryGetValue(key, out var facts) ? facts : ValueFacts.None;

    public BufferFacts? BufferOf(ValueKey? key) => key is not null && Buffers.TryGetValue(key, out var facts) ? facts : null;

    public SizeState WithValue(ValueKey key, ValueFacts facts) =>
        new(false, facts.IsEmpty ? Values.Remove(key) : Values.SetItem(key, facts), Buffers);

    public SizeState WithBuffer(ValueKey key, BufferFacts? facts) =>
        new(false, Values, facts is null ? Buffers.Remove(key) : Buffers.SetItem(key, facts));

    /// <summary>True when some buffer's size is given by <paramref name="key"/>: it is a length, not an arbitrary number.</summary>
    public bool IsBufferSize(ValueKey key)
    {
        var bound = Bound.Of(key);
        return Buffers.Values.Any(b => b.AtLeast.Contains(bound));
    }

    /// <summary>Forgets everything about <paramref name="key"/> and about every key made of it.</summary>
    public SizeState Kill(ValueKey key)
    {
        bool Dies(ValueKey k) =>
            k.Equals(key) || (key.Kind == ValueKeyKind.Symbol && key.Symbol is { } symbol && k.DependsOn(symbol));

        bool BoundDies(Bound b) => b.Key is { } k && Dies(k);

        var values = Values.ToBuilder();
        foreach (var entry in Values)
        {
            if (Dies(entry.Key))
            {
                values.Remove(entry.Key);
            }
            else if (entry.Value.Upper.Any(BoundDies))
            {
                var facts = new ValueFacts(entry.Value.Min, entry.Value.Upper.Except(entry.Value.Upper.Where(BoundDies)));
                if (facts.IsEmpty)
                {
                    values.Remove(entry.Key);
                }
                else
                {
                    values[entry.Key] = facts;
                }
            }
        }

        var buffers = Buffers.ToBuilder();
        foreach (var entry in Buffers)
        {
            if (Dies(entry.Key))
            {
                buffers.Remove(entry.Key);
                continue;
            }

            var facts = entry.Value;
            if (facts.AtLeast.Any(BoundDies))
            {
                facts = facts.With(atLeast: facts.AtLeast.Except(facts.AtLeast.Where(BoundDies)));
            }

            if (facts.Memory is { } memory && Dies(memory))
            {
                facts = facts.WithMemory(null);
            }

            buffers[entry.Key] = facts;
        }

        return new SizeState(false, values.ToImmutable(), buffers.ToImmutable());
    }

    public SizeState Join(SizeState other)
    {
        if (IsUnreached)
        {
            return other;
        }

        if (other.IsUnreached)
        {
            return this;
        }

        var values = ImmutableDictionary.CreateBuilder<ValueKey, ValueFacts>();
        foreach (var entry in Values)
        {
            if (other.Values.TryGetValue(entry.Key, out var facts))
            {
                var joined = entry.Value.Join(facts);
                if (!joined.IsEmpty)
                {
                    values[entry.Key] = joined;
                }
            }
        }

        var buffers = ImmutableDictionary.CreateBuilder<ValueKey, BufferFacts>();
        foreach (var entry in Buffers)
        {
            if (other.Buffers.TryGetValue(entry.Key, out var facts) && entry.Value.Join(facts) is { } joined)
            {
                buffers[entry.Key] = joined;
            }
        }

        return new SizeState(false, values.ToImmutable(), buffers.ToImmutable());
    }

    public bool StateEquals(SizeState other) =>
        IsUnreached == other.IsUnreached &&
        SameEntries(Values, other.Values) &&
        SameEntries(Buffers, other.Buffers);

    private static bool SameEntries<T>(ImmutableDictionary<ValueKey, T> left, ImmutableDictionary<ValueKey, T> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var entry in left)
        {
            if (!right.TryGetValue(entry.Key, out var value) || !EqualityComparer<T>.Default.Equals(entry.Value, value))
            {
                return false;
            }
        }

        return true;
    }
}
