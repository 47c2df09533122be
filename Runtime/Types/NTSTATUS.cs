using System;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// An NT status code, as in C: a 32-bit value whose sign tells success (&gt;= 0) from failure.
/// <see cref="ToString"/> gives the symbolic name (for example "STATUS_BUFFER_TOO_SMALL").
/// </summary>
public readonly struct NTSTATUS : IEquatable<NTSTATUS>
{
    /// <summary>Creates a status from its raw 32-bit value.</summary>
    public NTSTATUS(int value) => Value = value;

    /// <summary>The raw 32-bit value.</summary>
    public int Value { get; }

    public bool Equals(NTSTATUS other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is NTSTATUS other && Equals(other);
    public override int GetHashCode() => Value;

    /// <summary>The symbolic name, or the hexadecimal value when the code has no known name.</summary>
    public override string ToString() => StatusNames.NameOf(this);

    public static bool operator ==(NTSTATUS left, NTSTATUS right) => left.Equals(right);
    public static bool operator !=(NTSTATUS left, NTSTATUS right) => !left.Equals(right);

    /// <summary>C's <c>(NTSTATUS)value</c>.</summary>
    public static explicit operator NTSTATUS(int value) => new(value);

    /// <summary>C's <c>(NTSTATUS)0xC0000001L</c>.</summary>
    public static explicit operator NTSTATUS(uint value) => new(unchecked((int)value));

    public static explicit operator int(NTSTATUS status) => status.Value;
}
