using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to a framework request object. <c>default</c> is the null handle.</summary>
public readonly struct WDFREQUEST : IEquatable<WDFREQUEST>
{
    internal readonly WdfRequestObject? Object;

    internal WDFREQUEST(WdfRequestObject? obj) => Object = obj;

    public bool Equals(WDFREQUEST other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFREQUEST other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFREQUEST#12", or "WDFREQUEST(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFREQUEST", Object);

    public static bool operator ==(WDFREQUEST left, WDFREQUEST right) => left.Equals(right);
    public static bool operator !=(WDFREQUEST left, WDFREQUEST right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFREQUEST handle) => new(handle.Object);

    /// <summary>C's <c>(WDFREQUEST)object</c>: a <c>WDFOBJECT</c> that names a framework request object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFREQUEST(WDFOBJECT handle) => new(HandleCast.To<WdfRequestObject>(handle, "WDFREQUEST"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFREQUEST(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFREQUEST(PVOID pointer) => NullOnly.Convert<WDFREQUEST>(pointer, default);
}
