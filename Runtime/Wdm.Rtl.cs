using DriverBuffers.Memory;

namespace DriverBuffers;

/// <summary>
/// Memory copies and user-address probing. Every byte is checked like a <see cref="PVOID"/> access: a copy
/// longer than either buffer is DRV020, into or out of freed or completed memory a use-after rule.
/// </summary>
public static partial class Wdm
{
    public static void RtlCopyMemory(PVOID Destination, PVOID Source, nuint Length) =>
        PointerOperations.Copy(Destination, Source, Length, nameof(RtlCopyMemory));

    public static void RtlMoveMemory(PVOID Destination, PVOID Source, nuint Length) =>
        PointerOperations.Copy(Destination, Source, Length, nameof(RtlMoveMemory));

    public static void RtlZeroMemory(PVOID Destination, nuint Length) =>
        PointerOperations.Fill(Destination, Length, 0, nameof(RtlZeroMemory));

    public static void RtlFillMemory(PVOID Destination, nuint Length, byte Fill) =>
        PointerOperations.Fill(Destination, Length, Fill, nameof(RtlFillMemory));

    /// <summary>Returns the number of leading bytes that are equal.</summary>
    public static nuint RtlCompareMemory(PVOID Source1, PVOID Source2, nuint Length) =>
        PointerOperations.Compare(Source1, Source2, Length, nameof(RtlCompareMemory));

    /// <summary>Checks that a user-mode range may be read; raises <see cref="NtStatusException"/> otherwise.</summary>
    public static void ProbeForRead(PVOID Address, nuint Length, uint Alignment) =>
        UserAddressProbe.Probe(Address, Length, Alignment, nameof(ProbeForRead));

    /// <summary>Checks that a user-mode range may be written; raises <see cref="NtStatusException"/> otherwise.</summary>
    public static void ProbeForWrite(PVOID Address, nuint Length, uint Alignment) =>
        UserAddressProbe.Probe(Address, Length, Alignment, nameof(ProbeForWrite));
}
