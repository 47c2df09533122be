using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to a framework device object. <c>default</c> is the null handle.</summary>
public readonly struct WDFDEVICE : IEquatable<WDFDEVICE>
{
    internal readonly WdfDeviceObject? Object;

    internal WDFDEVICE(WdfDeviceObject? obj) => Object = obj;

    public bool Equals(WDFDEVICE other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFDEVICE other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFDEVICE#12", or "WDFDEVICE(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFDEVICE", Object);

    public static bool operator ==(WDFDEVICE left, WDFDEVICE right) => left.Equals(right);
    public static bool operator !=(WDFDEVICE left, WDFDEVICE right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFDEVICE handle) => new(handle.Object);

    /// <summary>C's <c>(WDFDEVICE)object</c>: a <c>WDFOBJECT</c> that names a framework device object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFDEVICE(WDFOBJECT handle) => new(HandleCast.To<WdfDeviceObject>(handle, "WDFDEVICE"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFDEVICE(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFDEVICE(PVOID pointer) => NullOnly.Convert<WDFDEVICE>(pointer, default);
}
