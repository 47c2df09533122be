using System;

namespace DriverBuffers;

/// <summary>
/// C's <c>POOL_TYPE</c> enum. Like a C enum it promotes implicitly to an integer (<c>ulong</c>), so passing a
/// pool type where <c>ExAllocatePool2/3</c> expect <c>POOL_FLAGS</c> compiles, as in C, and fails at run time
/// (the DRV033 migration pitfall).
/// </summary>
public readonly struct POOL_TYPE : IEquatable<POOL_TYPE>
{
    public POOL_TYPE(int value) => Value = value;

    public int Value { get; }

    public bool Equals(POOL_TYPE other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is POOL_TYPE other && Equals(other);
    public override int GetHashCode() => Value;
    public override string ToString() => $"POOL_TYPE({Value})";

    public static bool operator ==(POOL_TYPE left, POOL_TYPE right) => left.Equals(right);
    public static bool operator !=(POOL_TYPE left, POOL_TYPE right) => !left.Equals(right);

    /// <summary>Combines a pool type with modifiers such as <c>POOL_RAISE_IF_ALLOCATION_FAILURE</c>.</summary>
    public static POOL_TYPE operator |(POOL_TYPE left, POOL_TYPE right) => new(left.Value | right.Value);

    /// <summary>C enum promotion.</summary>
    public static implicit operator ulong(POOL_TYPE type) => unchecked((ulong)type.Value);
}
