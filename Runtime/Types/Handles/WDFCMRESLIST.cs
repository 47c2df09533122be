using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to a framework resource-requirements list (the hardware resources of a started device). <c>default</c> is the null handle.</summary>
public readonly struct WDFCMRESLIST : IEquatable<WDFCMRESLIST>
{
    internal readonly WdfResourceListObject? Object;

    internal WDFCMRESLIST(WdfResourceListObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFCMRESLIST other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFCMRESLIST other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFCMRESLIST#12", or "WDFCMRESLIST(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFCMRESLIST", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFCMRESLIST left, WDFCMRESLIST right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFCMRESLIST left, WDFCMRESLIST right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFCMRESLIST handle) => new(handle.Object);

    /// <summary>C's <c>(WDFCMRESLIST)object</c>: a <c>WDFOBJECT</c> that names a framework resource-requirements list (the hardware resources of a started device); any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFCMRESLIST(WDFOBJECT handle) => new(HandleCast.To<WdfResourceListObject>(handle, "WDFCMRESLIST"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFCMRESLIST(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFCMRESLIST(PVOID pointer) => NullOnly.Convert<WDFCMRESLIST>(pointer, default);
}
