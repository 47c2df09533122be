using System;
using System.Collections.Generic;
using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Synchronization;

/// <summary>
/// The IRQL each thread runs at, and the spin locks it holds. Every thread starts at PASSIVE_LEVEL. The
/// framework runs each driver callback through <see cref="RunCallback{T}"/>: at the IRQL KMDF or the I/O manager
/// would use, restoring the caller's IRQL afterwards, and checking that the callback gave back every spin lock
/// it took and returned at the IRQL it was called at (a lock left held would deadlock the next caller, so it
/// is released either way).
/// </summary>
internal static class ThreadIrql
{
    [ThreadStatic] private static KIRQL current;
    [ThreadStatic] private static List<SpinLockCore>? held;

    public static KIRQL Current => current;

    public static void Set(KIRQL irql) => current = irql;

    /// <summary>True above APC_LEVEL, where paged memory and waits are forbidden.</summary>
    public static bool AboveApcLevel => current > KIRQL.APC_LEVEL;

    public static void PushHeld(SpinLockCore spinLock) => (held ??= new List<SpinLockCore>()).Add(spinLock);

    public static void PopHeld(SpinLockCore spinLock)
    {
        int index = held?.LastIndexOf(spinLock) ?? -1;
        if (index >= 0)
        {
            held!.RemoveAt(index);
        }
    }

    private static int HeldCount => held?.Count ?? 0;

    /// <summary>Reports <see cref="Rules.WrongIrql"/> when the thread runs above <paramref name="maximum"/>; true if it does not.</summary>
    public static bool Check(KIRQL maximum, string ddi, string handle)
    {
        if (current <= maximum)
        {
            return true;
        }
        AmbientRuntime.Current.Verifier.Report(Rules.WrongIrql, ddi, handle,
            $"called at IRQL {current}; it must be called at {maximum} or below");
        return false;
    }

    /// <summary>Runs a driver callback at <paramref name="irql"/>; see the class summary.</summary>
    public static void RunCallback(DriverRuntime runtime, KIRQL irql, string callback, Action action) =>
        RunCallback(runtime, irql, callback, () => { action(); return 0; });

    /// <summary>Runs a driver callback at <paramref name="irql"/> and returns its result; see the class summary.</summary>
    public static T RunCallback<T>(DriverRuntime runtime, KIRQL irql, string callback, Func<T> function)
    {
        var previous = current;
        int heldBefore = HeldCount;
        current = irql;
        bool returned = false;
        T result;
        try
        {
            result = function();
            returned = true;
        }
        finally
        {
            var after = current;
            var leftHeld = ReleaseHeldAbove(heldBefore);
            current = previous;
            if (returned)
            {
                if (leftHeld is not null)
                {
                    runtime.Verifier.Report(Rules.LockMisuse, callback, leftHeld.Name,
                        $"{callback} returned while still holding {leftHeld.Name} (the runtime released it)");
                }
                else if (after != irql)
                {
                    runtime.Verifier.Report(Rules.WrongIrql, callback, "(callback)",
                        $"{callback} was called at {irql} and returned at {after}");
                }
            }
        }
        return result;
    }

    /// <summary>Releases the locks taken since <paramref name="count"/> were held; the first of them, or null.</summary>
    private static SpinLockCore? ReleaseHeldAbove(int count)
    {
        if (held is null || held.Count <= count)
        {
            return null;
        }
        var first = held[count];
        for (int i = held.Count - 1; i >= count; i--)
        {
            held[i].ForceRelease();
        }
        held.RemoveRange(count, held.Count - count);
        return first;
    }
}
