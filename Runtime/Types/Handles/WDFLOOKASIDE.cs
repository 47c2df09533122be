using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers;

/// <summary>A handle to a framework lookaside list. <c>default</c> is the null handle.</summary>
public readonly struct WDFLOOKASIDE : IEquatable<WDFLOOKASIDE>
{
    internal readonly WdfLookasideObject? Object;

    internal WDFLOOKASIDE(WdfLookasideObject? obj) => Object = obj;

    public bool Equals(WDFLOOKASIDE other) => ReferenceEquals(Object, other.Object);
    public override bool Equals(object? obj) => obj is WDFLOOKASIDE other && Equals(other);
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFLOOKASIDE#12", or "WDFLOOKASIDE(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFLOOKASIDE", Object);

    public static bool operator ==(WDFLOOKASIDE left, WDFLOOKASIDE right) => left.Equals(right);
    public static bool operator !=(WDFLOOKASIDE left, WDFLOOKASIDE right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFLOOKASIDE handle) => new(handle.Object);

    /// <summary>C's <c>(WDFLOOKASIDE)object</c>: a <c>WDFOBJECT</c> that names a framework lookaside list; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFLOOKASIDE(WDFOBJECT handle) => new(HandleCast.To<WdfLookasideObject>(handle, "WDFLOOKASIDE"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFLOOKASIDE(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFLOOKASIDE(PVOID pointer) => NullOnly.Convert<WDFLOOKASIDE>(pointer, default);
}
