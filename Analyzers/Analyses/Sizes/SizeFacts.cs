using System;
using System.Collections.Immutable;
using System.Linq;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// A size or upper bound: a constant number of bytes, or the value of a tracked key. Constants compare by
/// value; <see cref="Text"/> (how the constant was written) only serves messages and fixes.
/// </summary>
internal readonly struct Bound : IEquatable<Bound>
{
    private readonly string? _text;

    private Bound(ulong constant, TrackedLocation? key, string? text)
    {
        Constant = constant;
        Key = key;
        _text = text;
    }

    public ulong Constant { get; }

    public TrackedLocation? Key { get; }

    /// <summary>How the bound reads in a message or a fix: as the constant was written, else its value; the key's name.</summary>
    public string Text => _text ?? (Key is { } key ? SizeLocations.Display(key) : Constant.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public bool IsConstant => Key is null;

    public static Bound Of(ulong constant, string? text = null) => new(constant, null, text);

    public static Bound Of(TrackedLocation key) => new(0, key, null);

    public bool Equals(Bound other) =>
        Key is null ? other.Key is null && Constant == other.Constant : Key.Equals(other.Key);

    public override bool Equals(object? obj) => obj is Bound other && Equals(other);

    public override int GetHashCode() => Key?.GetHashCode() ?? Constant.GetHashCode();

    public override string ToString() => Text;
}

/// <summary>What is known about a number: at least <see cref="Min"/>, at most each of <see cref="Upper"/>.</summary>
internal sealed class ValueFacts : IEquatable<ValueFacts>
{
    public static readonly ValueFacts None = new(0, BoundSet.Empty);

    public ValueFacts(ulong min, BoundSet upper)
    {
        Min = min;
        Upper = upper;
    }

    public ulong Min { get; }

    public BoundSet Upper { get; }

    public bool IsEmpty => Min == 0 && Upper.IsEmpty;

    /// <summary>
    /// Where two paths meet: the smaller minimum, the common bounds, and the larger of the two constant bounds. A number
    /// that is 0 on one path keeps the other path's bounds that are never negative (a size left 0 where a buffer was not
    /// retrieved is at most the buffer's length, as the retrieved size is).
    /// </summary>
    public ValueFacts Join(ValueFacts other)
    {
        var upper = Upper.Intersect(other.Upper);
        var left = Upper.SmallestConstant();
        var right = other.Upper.SmallestConstant();
        if (left is { } l && right is { } r)
        {
            upper = upper.Add(Bound.Of(Math.Max(l, r)));
        }

        if (left == 0)
        {
            upper = upper.Union(NeverNegativeKeys(other.Upper));
        }
        if (right == 0)
        {
            upper = upper.Union(NeverNegativeKeys(Upper));
        }

        return new(Math.Min(Min, other.Min), upper);
    }

    private static BoundSet NeverNegativeKeys(BoundSet bounds) =>
        bounds.Where(b => b.Key is { } key && SizeLocations.IsNeverNegative(key));

    public bool Equals(ValueFacts? other) => other is not null && Min == other.Min && Upper.SetEquals(other.Upper);

    public override bool Equals(object? obj) => Equals(obj as ValueFacts);

    public override int GetHashCode() => Min.GetHashCode() ^ Upper.Count;
}

/// <summary>The call that gave a buffer its known size: named in messages, an additional location of the diagnostic.</summary>
internal sealed class SizeOrigin : IEquatable<SizeOrigin>
{
    public SizeOrigin(string ddi, Location location, bool fromCallers = false, bool minimumCheckedWhereQueued = false)
    {
        Ddi = ddi;
        Location = location;
        FromCallers = fromCallers;
        MinimumCheckedWhereQueued = minimumCheckedWhereQueued;
    }

    public string Ddi { get; }

    /// <summary>
    /// The size is what every caller of the function passes with the buffer (<see cref="CallerBufferSizes"/>): judged for
    /// indexes (DRV024), not for a copy's length (a helper often computes it relationally, as a ring buffer's wrap does).
    /// </summary>
    public bool FromCallers { get; }

    /// <summary>
    /// The size of the memory of a request the function took from one of the driver's queues (<c>WdfMemoryGetBuffer</c>'s
    /// <c>out</c> size): the callback that queued the request checked a constant minimum the function does not see, so the
    /// size bounds a length it is not compared with (DRV020, DRV023) but not a constant one (a header written first, DRV024).
    /// </summary>
    public bool MinimumCheckedWhereQueued { get; }

    public Location Location { get; }

    public bool Equals(SizeOrigin? other) =>
        other is not null && Ddi == other.Ddi && Location.Equals(other.Location) && FromCallers == other.FromCallers &&
        MinimumCheckedWhereQueued == other.MinimumCheckedWhereQueued;

    public override bool Equals(object? obj) => Equals(obj as SizeOrigin);

    public override int GetHashCode() => Location.GetHashCode();

    /// <summary>The earlier of two origins, so that joins are deterministic.</summary>
    public static SizeOrigin? Earlier(SizeOrigin? left, SizeOrigin? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        return left.Location.SourceSpan.Start <= right.Location.SourceSpan.Start ? left : right;
    }
}

/// <summary>
/// What is known about a buffer (a <c>PVOID</c>, a memory object, an MDL, a lookaside list or a request's
/// buffer): it holds at least each of <see cref="AtLeast"/> bytes from <see cref="Offset"/> bytes before the
/// pointer, and, for a pointer into a memory object's buffer, which memory object that is.
/// </summary>
internal sealed class BufferFacts : IEquatable<BufferFacts>
{
    public BufferFacts(BoundSet atLeast, ulong offset, TrackedLocation? memory, SizeOrigin? origin)
    {
        AtLeast = atLeast;
        Offset = offset;
        Memory = memory;
        Origin = origin;
    }

    public BoundSet AtLeast { get; }

    /// <summary>How far the pointer is past the start of the buffer whose size <see cref="AtLeast"/> gives.</summary>
    public ulong Offset { get; }

    /// <summary>The memory object whose buffer this pointer is (from <c>WdfMemoryGetBuffer</c> or <c>WdfMemoryCreate</c>).</summary>
    public TrackedLocation? Memory { get; }

    public SizeOrigin? Origin { get; }

    /// <summary>Nothing known (the <see cref="BufferFactsLattice"/>'s "no entry").</summary>
    public static readonly BufferFacts None = new(BoundSet.Empty, 0, null, null);

    public BufferFacts With(BoundSet? atLeast = null, ulong? offset = null, SizeOrigin? origin = null) =>
        new(atLeast ?? AtLeast, offset ?? Offset, Memory, origin ?? Origin);

    public BufferFacts WithMemory(TrackedLocation? memory) => new(AtLeast, Offset, memory, Origin);

    public BufferFacts? Join(BufferFacts other)
    {
        if (Offset != other.Offset)
        {
            return null;
        }

        var atLeast = AtLeast.Intersect(other.AtLeast);
        var memory = Memory is not null && Memory.Equals(other.Memory) ? Memory : null;
        if (atLeast.IsEmpty && memory is null)
        {
            return null;
        }

        return new BufferFacts(atLeast, Offset, memory, SizeOrigin.Earlier(Origin, other.Origin));
    }

    public bool Equals(BufferFacts? other) =>
        other is not null && Offset == other.Offset && AtLeast.SetEquals(other.AtLeast) &&
        Equals(Memory, other.Memory) && Equals(Origin, other.Origin);

    public override bool Equals(object? obj) => Equals(obj as BufferFacts);

    public override int GetHashCode() => AtLeast.Count ^ (int)Offset;
}

/// <summary>
/// A term of a comparison or a length: a constant, a tracked key, or an unnamed value with some facts
/// (e.g. <c>Math.Min(a, b)</c>).
/// </summary>
internal sealed class Term
{
    public static readonly Term Unknown = new(null, null, ValueFacts.None);

    public Term(ulong? constant, TrackedLocation? key, ValueFacts facts)
    {
        Constant = constant;
        Key = key;
        Facts = facts;
    }

    public ulong? Constant { get; }

    public TrackedLocation? Key { get; }

    /// <summary>The facts of the term, including <c>≤ Key</c> for a key and <c>= Constant</c> for a constant.</summary>
    public ValueFacts Facts { get; }
}
