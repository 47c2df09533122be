using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to a framework I/O target. <c>default</c> is the null handle.</summary>
public readonly struct WDFIOTARGET : IEquatable<WDFIOTARGET>
{
    internal readonly WdfIoTargetObject? Object;

    internal WDFIOTARGET(WdfIoTargetObject? obj) => Object = obj;

    public bool Equals(WDFIOTARGET other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFIOTARGET other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFIOTARGET#12", or "WDFIOTARGET(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFIOTARGET", Object);

    public static bool operator ==(WDFIOTARGET left, WDFIOTARGET right) => left.Equals(right);
    public static bool operator !=(WDFIOTARGET left, WDFIOTARGET right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFIOTARGET handle) => new(handle.Object);

    /// <summary>C's <c>(WDFIOTARGET)object</c>: a <c>WDFOBJECT</c> that names a framework I/O target; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFIOTARGET(WDFOBJECT handle) => new(HandleCast.To<WdfIoTargetObject>(handle, "WDFIOTARGET"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFIOTARGET(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFIOTARGET(PVOID pointer) => NullOnly.Convert<WDFIOTARGET>(pointer, default);
}
