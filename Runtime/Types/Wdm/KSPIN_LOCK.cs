using System;
using DriverBuffers.Synchronization;

namespace DriverBuffers;

/// <summary>
/// C's <c>KSPIN_LOCK</c>: initialise with <c>KeInitializeSpinLock(out lock)</c>; copies share the lock. <c>default</c>
/// is an uninitialised lock, which every spin-lock DDI refuses (LockMisuse).
/// </summary>
public readonly struct KSPIN_LOCK : IEquatable<KSPIN_LOCK>
{
    internal readonly SpinLockCore? Lock;

    internal KSPIN_LOCK(SpinLockCore spinLock) => Lock = spinLock;

    /// <summary>True when both name the same lock.</summary>
    public bool Equals(KSPIN_LOCK other) => ReferenceEquals(Lock, other.Lock);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KSPIN_LOCK other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HandleText.Hash(Lock);

    /// <summary>"KSPIN_LOCK#n", or "KSPIN_LOCK(uninitialized)".</summary>
    public override string ToString() => Lock?.Name ?? "KSPIN_LOCK(uninitialized)";

    /// <summary>Same lock.</summary>
    public static bool operator ==(KSPIN_LOCK left, KSPIN_LOCK right) => left.Equals(right);

    /// <summary>Different locks.</summary>
    public static bool operator !=(KSPIN_LOCK left, KSPIN_LOCK right) => !left.Equals(right);
}
