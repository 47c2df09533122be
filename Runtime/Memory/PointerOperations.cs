using System;

namespace DriverBuffers.Memory;

/// <summary>
/// The checked bulk operations behind <c>RtlCopyMemory</c>, <c>RtlFillMemory</c>, <c>RtlCompareMemory</c>:
/// every byte goes through <see cref="Allocation"/>'s checks, and no temporary buffer is larger than the
/// memory that can actually be touched (a garbage length cannot exhaust .NET memory).
/// </summary>
internal static class PointerOperations
{
    public static void Copy(PVOID destination, PVOID source, nuint length, string ddi)
    {
        if (length == 0)
        {
            return;
        }
        if (source.Allocation is null || destination.Allocation is null)
        {
            (source.Allocation is null ? source : destination).ReportNull(ddi);
            return;
        }
        // Going through a temporary makes overlapping moves correct and never holds two locks at once.
        var bytes = new byte[Bounded(length, source)];
        source.ReadBytes(0, bytes, ddi, Verifier.Rules.OutOfBounds);
        destination.WriteBytes(0, bytes, ddi, Verifier.Rules.OutOfBounds);
    }

    /// <summary>Checks that <paramref name="length"/> bytes at <paramref name="pointer"/> may be used (reports if not).</summary>
    public static bool CheckRange(PVOID pointer, nuint length, string ddi)
    {
        if (length == 0)
        {
            return true;
        }
        if (pointer.Allocation is null)
        {
            pointer.ReportNull(ddi);
            return false;
        }
        return pointer.Allocation.CheckRange(pointer.Offset, length, ddi, pointer.ToString());
    }

    public static void Fill(PVOID destination, nuint length, byte value, string ddi)
    {
        if (length == 0)
        {
            return;
        }
        if (destination.Allocation is null)
        {
            destination.ReportNull(ddi);
            return;
        }
        destination.Allocation.Fill(destination.Offset, length, value, ddi, destination.ToString());
    }

    public static nuint Compare(PVOID first, PVOID second, nuint length, string ddi)
    {
        if (length == 0)
        {
            return 0;
        }
        var left = new byte[Bounded(length, first)];
        var right = new byte[left.Length];
        first.ReadBytes(0, left, ddi, Verifier.Rules.OutOfBounds);
        second.ReadBytes(0, right, ddi, Verifier.Rules.OutOfBounds);
        int equal = 0;
        while (equal < left.Length && left[equal] == right[equal])
        {
            equal++;
        }
        return (nuint)equal;
    }

    /// <summary>
    /// The length, capped just past the end of the allocation: a longer access is out of bounds anyway
    /// and is reported as such by the checked read.
    /// </summary>
    private static int Bounded(nuint length, PVOID pointer)
    {
        nuint cap = (nuint)(pointer.Allocation?.Length ?? 0) + 1;
        return (int)Math.Min(length, cap);
    }
}
