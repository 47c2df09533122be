using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to a framework DPC object. <c>default</c> is the null handle.</summary>
public readonly struct WDFDPC : IEquatable<WDFDPC>
{
    internal readonly Deferred.WdfDpcObject? Object;

    internal WDFDPC(Deferred.WdfDpcObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFDPC other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFDPC other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFDPC#12", or "WDFDPC(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFDPC", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFDPC left, WDFDPC right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFDPC left, WDFDPC right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFDPC handle) => new(handle.Object);

    /// <summary>C's <c>(WDFDPC)object</c>: a <c>WDFOBJECT</c> that names a framework DPC object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFDPC(WDFOBJECT handle) => new(HandleCast.To<Deferred.WdfDpcObject>(handle, "WDFDPC"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFDPC(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFDPC(PVOID pointer) => NullOnly.Convert<WDFDPC>(pointer, default);
}
