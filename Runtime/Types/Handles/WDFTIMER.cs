using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to a framework timer object. <c>default</c> is the null handle.</summary>
public readonly struct WDFTIMER : IEquatable<WDFTIMER>
{
    internal readonly Deferred.WdfTimerObject? Object;

    internal WDFTIMER(Deferred.WdfTimerObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFTIMER other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFTIMER other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFTIMER#12", or "WDFTIMER(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFTIMER", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFTIMER left, WDFTIMER right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFTIMER left, WDFTIMER right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFTIMER handle) => new(handle.Object);

    /// <summary>C's <c>(WDFTIMER)object</c>: a <c>WDFOBJECT</c> that names a framework timer object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFTIMER(WDFOBJECT handle) => new(HandleCast.To<Deferred.WdfTimerObject>(handle, "WDFTIMER"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFTIMER(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFTIMER(PVOID pointer) => NullOnly.Convert<WDFTIMER>(pointer, default);
}
