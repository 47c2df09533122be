using System;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>A handle to a framework spin-lock object. <c>default</c> is the null handle.</summary>
public readonly struct WDFSPINLOCK : IEquatable<WDFSPINLOCK>
{
    internal readonly Synchronization.WdfSpinLockObject? Object;

    internal WDFSPINLOCK(Synchronization.WdfSpinLockObject? obj) => Object = obj;

    /// <summary>True when both handles name the same object (or both are null).</summary>
    public bool Equals(WDFSPINLOCK other) => ReferenceEquals(Object, other.Object);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WDFSPINLOCK other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Object);

    /// <summary>The handle's name, for example "WDFSPINLOCK#12", or "WDFSPINLOCK(NULL)".</summary>
    public override string ToString() => HandleText.Name("WDFSPINLOCK", Object);

    /// <summary>Handle equality, as C compares handle values.</summary>
    public static bool operator ==(WDFSPINLOCK left, WDFSPINLOCK right) => left.Equals(right);

    /// <summary>Handle inequality.</summary>
    public static bool operator !=(WDFSPINLOCK left, WDFSPINLOCK right) => !left.Equals(right);

    /// <summary>Every framework handle is a <c>WDFOBJECT</c>.</summary>
    public static implicit operator WDFOBJECT(WDFSPINLOCK handle) => new(handle.Object);

    /// <summary>C's <c>(WDFSPINLOCK)object</c>: a <c>WDFOBJECT</c> that names a framework spin-lock object; any other object is a WrongHandleType violation.</summary>
    public static explicit operator WDFSPINLOCK(WDFOBJECT handle) => new(HandleCast.To<Synchronization.WdfSpinLockObject>(handle, "WDFSPINLOCK"));

    /// <summary><c>WDF_NO_HANDLE</c> is the null handle.</summary>
    public static implicit operator WDFSPINLOCK(WdfNoHandle noHandle) => default;

    /// <summary>C's <c>NULL</c> for an optional handle; any other pointer is refused.</summary>
    public static implicit operator WDFSPINLOCK(PVOID pointer) => NullOnly.Convert<WDFSPINLOCK>(pointer, default);
}
