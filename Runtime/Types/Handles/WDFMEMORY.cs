using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to a framework memory object. <c>default</c> is the null handle.</summary>
public readonly struct WDFMEMORY : IEquatable<WDFMEMORY>
{
    internal readonly WdfMemoryObject? Object;

    internal WDFMEMORY(WdfMemoryObject? obj) => Object = obj;

    public bool Equals(WDFMEMORY other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFMEMORY other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFMEMORY#12", or "WDFMEMORY(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFMEMORY", Object);

    public static bool operator ==(WDFMEMORY left, WDFMEMORY right) => left.Equals(right);
    public static bool operator !=(WDFMEMORY left, WDFMEMORY right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFMEMORY handle) => new(handle.Object);

    /// <summary>C's <c>(WDFMEMORY)object</c>: a <c>WDFOBJECT</c> that names a framework memory object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFMEMORY(WDFOBJECT handle) => new(HandleCast.To<WdfMemoryObject>(handle, "WDFMEMORY"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFMEMORY(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFMEMORY(PVOID pointer) => NullOnly.Convert<WDFMEMORY>(pointer, default);
}
