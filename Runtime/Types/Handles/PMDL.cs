using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A pointer to a memory descriptor list (MDL). <c>default</c> is the null handle.</summary>
public readonly struct PMDL : IEquatable<PMDL>
{
    internal readonly MemoryDescriptorList? Object;

    internal PMDL(MemoryDescriptorList? obj) => Object = obj;

    public bool Equals(PMDL other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is PMDL other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "PMDL#12", or "PMDL(NULL)".</summary>
    public override string ToString() => HandleText.Name("PMDL", Object);

    public static bool operator ==(PMDL left, PMDL right) => left.Equals(right);
    public static bool operator !=(PMDL left, PMDL right) => !left.Equals(right);

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator PMDL(WdfNoHandle noHandle) => default;

    /// <summary>
    /// C's <c>NULL</c>, or C's <c>(PMDL)ExAllocatePool2(...)</c>: pool the driver allocated (at least
    /// <c>MmSizeOfMdl</c> bytes) to hold an MDL it then sets up with <c>MmInitializeMdl</c>. The MDL dies
    /// with that pool. Any other pointer is refused.
    /// </summary>
    public static implicit operator PMDL(PVOID pointer) =>
        pointer == default ? default : new(MemoryDescriptorList.InDriverPool(pointer));

    /// <summary>
    /// C's <c>(PVOID)mdl</c>, e.g. for <c>ExFreePool</c> of an MDL the driver keeps in its own pool. Explicit,
    /// because an implicit conversion both ways would make <c>mdl == NULL</c> ambiguous.
    /// </summary>
    public static explicit operator PVOID(PMDL mdl) => mdl.Object?.AsPointer() ?? default;
}
