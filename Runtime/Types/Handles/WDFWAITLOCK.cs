using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to a framework wait-lock object. <c>default</c> is the null handle.</summary>
public readonly struct WDFWAITLOCK : IEquatable<WDFWAITLOCK>
{
    internal readonly Synchronization.WdfWaitLockObject? Object;

    internal WDFWAITLOCK(Synchronization.WdfWaitLockObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFWAITLOCK other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFWAITLOCK other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFWAITLOCK#12", or "WDFWAITLOCK(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFWAITLOCK", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFWAITLOCK left, WDFWAITLOCK right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFWAITLOCK left, WDFWAITLOCK right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFWAITLOCK handle) => new(handle.Object);

    /// <summary>C's <c>(WDFWAITLOCK)object</c>: a <c>WDFOBJECT</c> that names a framework wait-lock object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFWAITLOCK(WDFOBJECT handle) => new(HandleCast.To<Synchronization.WdfWaitLockObject>(handle, "WDFWAITLOCK"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFWAITLOCK(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFWAITLOCK(PVOID pointer) => NullOnly.Convert<WDFWAITLOCK>(pointer, default);
}
