using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to the framework driver object. <c>default</c> is the null handle.</summary>
public readonly struct WDFDRIVER : IEquatable<WDFDRIVER>
{
    internal readonly WdfDriverObject? Object;

    internal WDFDRIVER(WdfDriverObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFDRIVER other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFDRIVER other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFDRIVER#12", or "WDFDRIVER(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFDRIVER", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFDRIVER left, WDFDRIVER right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFDRIVER left, WDFDRIVER right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFDRIVER handle) => new(handle.Object);

    /// <summary>C's <c>(WDFDRIVER)object</c>: a <c>WDFOBJECT</c> that names the framework driver object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFDRIVER(WDFOBJECT handle) => new(HandleCast.To<WdfDriverObject>(handle, "WDFDRIVER"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFDRIVER(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFDRIVER(PVOID pointer) => NullOnly.Convert<WDFDRIVER>(pointer, default);
}
