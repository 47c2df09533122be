using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to a framework work-item object. <c>default</c> is the null handle.</summary>
public readonly struct WDFWORKITEM : IEquatable<WDFWORKITEM>
{
    internal readonly Deferred.WdfWorkItemObject? Object;

    internal WDFWORKITEM(Deferred.WdfWorkItemObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFWORKITEM other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFWORKITEM other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFWORKITEM#12", or "WDFWORKITEM(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFWORKITEM", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFWORKITEM left, WDFWORKITEM right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFWORKITEM left, WDFWORKITEM right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFWORKITEM handle) => new(handle.Object);

    /// <summary>C's <c>(WDFWORKITEM)object</c>: a <c>WDFOBJECT</c> that names a framework work-item object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFWORKITEM(WDFOBJECT handle) => new(HandleCast.To<Deferred.WdfWorkItemObject>(handle, "WDFWORKITEM"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFWORKITEM(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFWORKITEM(PVOID pointer) => NullOnly.Convert<WDFWORKITEM>(pointer, default);
}
