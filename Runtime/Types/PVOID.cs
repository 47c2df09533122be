using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// C's <c>PVOID</c> as a checked pointer: an allocation plus a byte offset. <c>default</c> (and
/// <see cref="Wdm.NULL"/>) is NULL. Arithmetic never checks; every access checks, at the moment it happens,
/// that the allocation is alive and the range is in bounds, and raises a <see cref="WdfViolationException"/>
/// otherwise. No accessor hands out a span that outlives the call.
/// </summary>
public readonly struct PVOID : IEquatable<PVOID>
{
    internal readonly Allocation? Allocation;
    internal readonly nuint Offset;

    internal PVOID(Allocation? allocation, nuint offset)
    {
        Allocation = allocation;
        Offset = offset;
    }

    /// <summary>Reads a value at <paramref name="offset"/> bytes past this pointer.</summary>
    public T Read<T>(nuint offset) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        ReadBytes(offset, bytes, "PVOID.Read", Rules.PointerAccessOutOfBounds);
        return MemoryMarshal.Read<T>(bytes);
    }

    /// <summary>Writes a value at <paramref name="offset"/> bytes past this pointer.</summary>
    public void Write<T>(nuint offset, T value) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(bytes, in value);
        WriteBytes(offset, bytes, "PVOID.Write", Rules.PointerAccessOutOfBounds);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="offset"/> bytes past this pointer.</summary>
    public void CopyFrom(ReadOnlySpan<byte> source, nuint offset) => WriteBytes(offset, source, "PVOID.CopyFrom", Rules.PointerAccessOutOfBounds);

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/> bytes past this pointer.</summary>
    public void CopyTo(Span<byte> destination, nuint offset) => ReadBytes(offset, destination, "PVOID.CopyTo", Rules.PointerAccessOutOfBounds);

    /// <summary>A checked read; out of bounds is <paramref name="outOfBoundsRule"/> (DRV024 for accessors, DRV020 for copy DDIs).</summary>
    internal void ReadBytes(nuint offset, Span<byte> destination, string ddi, string outOfBoundsRule)
    {
        if (Allocation is null)
        {
            ReportNull(ddi);
            destination.Fill(MemoryPatterns.Stale);
            return;
        }
        Allocation.Read(Offset + offset, destination, ddi, ToString(), outOfBoundsRule);
    }

    /// <summary>A checked write; out of bounds is <paramref name="outOfBoundsRule"/>.</summary>
    internal void WriteBytes(nuint offset, ReadOnlySpan<byte> source, string ddi, string outOfBoundsRule)
    {
        if (Allocation is null)
        {
            ReportNull(ddi);
            return;
        }
        Allocation.Write(Offset + offset, source, ddi, ToString(), outOfBoundsRule);
    }

    internal void ReportNull(string ddi) =>
        AmbientRuntime.Current.Verifier.Report(Rules.NullHandleUse, ddi, ToString(),
            "a NULL pointer was dereferenced (typically a buffer from a failed retrieve or allocation)");

    public bool Equals(PVOID other) => ReferenceEquals(Allocation, other.Allocation) && Offset == other.Offset;
    public override bool Equals(object? obj) => obj is PVOID other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(HandleText.Hash(Allocation), Offset);

    /// <summary>"NULL", or the allocation and offset, e.g. "PVOID(pool#7+0x10)".</summary>
    public override string ToString() =>
        Allocation is null
            ? (Offset == 0 ? "NULL" : $"PVOID(NULL+0x{Offset:X})")
            : (Offset == 0 ? $"PVOID({Allocation.Name})" : $"PVOID({Allocation.Name}+0x{Offset:X})");

    public static bool operator ==(PVOID left, PVOID right) => left.Equals(right);
    public static bool operator !=(PVOID left, PVOID right) => !left.Equals(right);

    public static PVOID operator +(PVOID pointer, nuint offset) => new(pointer.Allocation, pointer.Offset + offset);
    public static PVOID operator -(PVOID pointer, nuint offset) => new(pointer.Allocation, pointer.Offset - offset);
    public static PVOID operator +(PVOID pointer, int offset) => new(pointer.Allocation, (nuint)((nint)pointer.Offset + offset));
    public static PVOID operator -(PVOID pointer, int offset) => new(pointer.Allocation, (nuint)((nint)pointer.Offset - offset));

    /// <summary>C's <c>NULL</c> for an optional <c>PLONGLONG</c> (device offset); only NULL converts.</summary>
    public static implicit operator long?(PVOID pointer) => NullOnly.Convert<long?>(pointer, null);
}
