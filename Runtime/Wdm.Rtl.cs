using System;

namespace DriverBuffers;

/// <summary>Memory copies and user-address probing.</summary>
public static partial class Wdm
{
    public static void RtlCopyMemory(PVOID Destination, PVOID Source, nuint Length) => throw new NotImplementedException();

    public static void RtlMoveMemory(PVOID Destination, PVOID Source, nuint Length) => throw new NotImplementedException();

    public static void RtlZeroMemory(PVOID Destination, nuint Length) => throw new NotImplementedException();

    public static void RtlFillMemory(PVOID Destination, nuint Length, byte Fill) => throw new NotImplementedException();

    /// <summary>Returns the number of leading bytes that are equal.</summary>
    public static nuint RtlCompareMemory(PVOID Source1, PVOID Source2, nuint Length) => throw new NotImplementedException();

    /// <summary>Checks that a user-mode range may be read; raises <see cref="NtStatusException"/> otherwise.</summary>
    public static void ProbeForRead(PVOID Address, nuint Length, uint Alignment) => throw new NotImplementedException();

    /// <summary>Checks that a user-mode range may be written; raises <see cref="NtStatusException"/> otherwise.</summary>
    public static void ProbeForWrite(PVOID Address, nuint Length, uint Alignment) => throw new NotImplementedException();
}
