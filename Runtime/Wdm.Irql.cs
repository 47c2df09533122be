using DriverBuffers.Framework;
using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// IRQL and WDM spin locks. Each thread runs at an IRQL (PASSIVE_LEVEL unless raised); the framework runs timers,
/// DPCs and completion routines from other threads at DISPATCH_LEVEL. Above APC_LEVEL, touching paged memory or
/// reaching <see cref="PAGED_CODE"/> is DRV037.
/// </summary>
public static partial class Wdm
{
    /// <summary><see cref="KIRQL.PASSIVE_LEVEL"/>.</summary>
    public const KIRQL PASSIVE_LEVEL = KIRQL.PASSIVE_LEVEL;
    /// <summary><see cref="KIRQL.PASSIVE_LEVEL"/> (C's <c>LOW_LEVEL</c>).</summary>
    public const KIRQL LOW_LEVEL = KIRQL.PASSIVE_LEVEL;
    /// <summary><see cref="KIRQL.APC_LEVEL"/>.</summary>
    public const KIRQL APC_LEVEL = KIRQL.APC_LEVEL;
    /// <summary><see cref="KIRQL.DISPATCH_LEVEL"/>.</summary>
    public const KIRQL DISPATCH_LEVEL = KIRQL.DISPATCH_LEVEL;
    /// <summary><see cref="KIRQL.HIGH_LEVEL"/>.</summary>
    public const KIRQL HIGH_LEVEL = KIRQL.HIGH_LEVEL;

    /// <summary>The IRQL this thread runs at.</summary>
    public static KIRQL KeGetCurrentIrql() => ThreadIrql.Current;

    /// <summary>Raises the IRQL to <paramref name="NewIrql"/> (not below the current one: WrongIrql) and returns the old one.</summary>
    public static void KeRaiseIrql(KIRQL NewIrql, out KIRQL OldIrql)
    {
        OldIrql = ThreadIrql.Current;
        if (NewIrql < OldIrql)
        {
            AmbientRuntime.Current.Verifier.Report(Rules.WrongIrql, nameof(KeRaiseIrql), "(thread)",
                $"KeRaiseIrql to {NewIrql} from the higher {OldIrql} (IRQL_NOT_GREATER_OR_EQUAL)");
            return;
        }
        ThreadIrql.Set(NewIrql);
    }

    /// <summary>Raises the IRQL to DISPATCH_LEVEL and returns the old one.</summary>
    public static KIRQL KeRaiseIrqlToDpcLevel()
    {
        KeRaiseIrql(DISPATCH_LEVEL, out var old);
        return old;
    }

    /// <summary>Lowers the IRQL back to <paramref name="NewIrql"/> (not above the current one: WrongIrql).</summary>
    public static void KeLowerIrql(KIRQL NewIrql)
    {
        var current = ThreadIrql.Current;
        if (NewIrql > current)
        {
            AmbientRuntime.Current.Verifier.Report(Rules.WrongIrql, nameof(KeLowerIrql), "(thread)",
                $"KeLowerIrql to {NewIrql} from the lower {current} (IRQL_NOT_LESS_OR_EQUAL)");
            return;
        }
        ThreadIrql.Set(NewIrql);
    }

    /// <summary>
    /// C's <c>PAGED_CODE()</c>: the function is pageable, so the thread must be at APC_LEVEL or below; above it is
    /// DRV037 (a real system bug-checks with IRQL_NOT_LESS_OR_EQUAL when the page is out).
    /// </summary>
    public static void PAGED_CODE()
    {
        if (ThreadIrql.AboveApcLevel)
        {
            AmbientRuntime.Current.Verifier.Report(Rules.PagedMemoryAboveApcLevel, nameof(PAGED_CODE), "(thread)",
                $"pageable code reached at {ThreadIrql.Current}; it may run only at APC_LEVEL or below");
        }
    }

    /// <summary>Initialises a spin lock (C passes the address of the driver's <c>KSPIN_LOCK</c>).</summary>
    public static void KeInitializeSpinLock(out KSPIN_LOCK SpinLock) =>
        SpinLock = new KSPIN_LOCK(new SpinLockCore($"KSPIN_LOCK#{ObjectIds.Next()}"));

    /// <summary>Acquires a spin lock, raising to DISPATCH_LEVEL; <paramref name="OldIrql"/> is what to pass to <see cref="KeReleaseSpinLock"/>.</summary>
    public static void KeAcquireSpinLock(KSPIN_LOCK SpinLock, out KIRQL OldIrql)
    {
        OldIrql = ThreadIrql.Current;
        if (UseSpinLock(SpinLock, nameof(KeAcquireSpinLock)) is { } spinLock)
        {
            spinLock.Acquire(AmbientRuntime.Current, nameof(KeAcquireSpinLock), atDpcLevel: false, out OldIrql);
        }
    }

    /// <summary>Releases a spin lock and returns to <paramref name="NewIrql"/> (the old IRQL from <see cref="KeAcquireSpinLock"/>).</summary>
    public static void KeReleaseSpinLock(KSPIN_LOCK SpinLock, KIRQL NewIrql)
    {
        if (UseSpinLock(SpinLock, nameof(KeReleaseSpinLock)) is { } spinLock && spinLock.Release(AmbientRuntime.Current, nameof(KeReleaseSpinLock)))
        {
            ThreadIrql.Set(NewIrql);
        }
    }

    /// <summary>Acquires a spin lock in code already at DISPATCH_LEVEL (a DPC, a completion routine).</summary>
    public static void KeAcquireSpinLockAtDpcLevel(KSPIN_LOCK SpinLock) =>
        UseSpinLock(SpinLock, nameof(KeAcquireSpinLockAtDpcLevel))?.Acquire(AmbientRuntime.Current, nameof(KeAcquireSpinLockAtDpcLevel), atDpcLevel: true, out _);

    /// <summary>Releases a spin lock taken with <see cref="KeAcquireSpinLockAtDpcLevel"/>; the IRQL stays DISPATCH_LEVEL.</summary>
    public static void KeReleaseSpinLockFromDpcLevel(KSPIN_LOCK SpinLock) =>
        UseSpinLock(SpinLock, nameof(KeReleaseSpinLockFromDpcLevel))?.Release(AmbientRuntime.Current, nameof(KeReleaseSpinLockFromDpcLevel));

    private static SpinLockCore? UseSpinLock(KSPIN_LOCK spinLock, string ddi)
    {
        if (spinLock.Lock is { } core)
        {
            return core;
        }
        AmbientRuntime.Current.Verifier.Report(Rules.LockMisuse, ddi, spinLock.ToString(),
            "the spin lock was never initialised with KeInitializeSpinLock");
        return null;
    }
}
