using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to any framework object. <c>default</c> is the null handle.</summary>
public readonly struct WDFOBJECT : IEquatable<WDFOBJECT>
{
    internal readonly WdfObject? Object;

    internal WDFOBJECT(WdfObject? obj) => Object = obj;

    public bool Equals(WDFOBJECT other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFOBJECT other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFOBJECT#12", or "WDFOBJECT(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFOBJECT", Object);

    public static bool operator ==(WDFOBJECT left, WDFOBJECT right) => left.Equals(right);
    public static bool operator !=(WDFOBJECT left, WDFOBJECT right) => !left.Equals(right);

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFOBJECT(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFOBJECT(PVOID pointer) => NullOnly.Convert<WDFOBJECT>(pointer, default);
}
