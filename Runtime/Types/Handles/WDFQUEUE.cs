using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to a framework I/O queue. <c>default</c> is the null handle.</summary>
public readonly struct WDFQUEUE : IEquatable<WDFQUEUE>
{
    internal readonly WdfQueueObject? Object;

    internal WDFQUEUE(WdfQueueObject? obj) => Object = obj;

    public bool Equals(WDFQUEUE other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFQUEUE other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFQUEUE#12", or "WDFQUEUE(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFQUEUE", Object);

    public static bool operator ==(WDFQUEUE left, WDFQUEUE right) => left.Equals(right);
    public static bool operator !=(WDFQUEUE left, WDFQUEUE right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFQUEUE handle) => new(handle.Object);

    /// <summary>C's <c>(WDFQUEUE)object</c>: a <c>WDFOBJECT</c> that names a framework I/O queue; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFQUEUE(WDFOBJECT handle) => new(HandleCast.To<WdfQueueObject>(handle, "WDFQUEUE"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFQUEUE(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFQUEUE(PVOID pointer) => NullOnly.Convert<WDFQUEUE>(pointer, default);
}
