using System;
using System.Threading;
using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Synchronization;

/// <summary>
/// The mutual exclusion behind <c>WDFSPINLOCK</c> and <c>KSPIN_LOCK</c>: one owner thread at a time, taken at
/// DISPATCH_LEVEL. Acquiring it again on the owning thread (a certain deadlock on a real system) and releasing
/// it from a thread that does not own it are <see cref="Rules.LockMisuse"/> violations, never a .NET exception.
/// </summary>
internal sealed class SpinLockCore
{
    private readonly object gate = new();
    private int ownerThread;

    public SpinLockCore(string name) => Name = name;

    public string Name { get; }

    /// <summary>The IRQL to go back to when a <c>WdfSpinLockRelease</c> releases it.</summary>
    public KIRQL SavedIrql { get; private set; }

    public bool IsHeldByCurrentThread
    {
        get { lock (gate) { return ownerThread == Environment.CurrentManagedThreadId; } }
    }

    /// <summary>Takes the lock (raising to DISPATCH_LEVEL unless <paramref name="atDpcLevel"/>); false if it was misused.</summary>
    public bool Acquire(DriverRuntime runtime, string ddi, bool atDpcLevel, out KIRQL oldIrql)
    {
        oldIrql = ThreadIrql.Current;
        if (atDpcLevel ? oldIrql < KIRQL.DISPATCH_LEVEL : oldIrql > KIRQL.DISPATCH_LEVEL)
        {
            runtime.Verifier.Report(Rules.WrongIrql, ddi, Name, atDpcLevel
                ? $"called at {oldIrql}; it requires DISPATCH_LEVEL"
                : $"called at {oldIrql}; a spin lock is taken at DISPATCH_LEVEL or below");
        }
        int me = Environment.CurrentManagedThreadId;
        bool recursive;
        lock (gate)
        {
            recursive = ownerThread == me;
            if (!recursive)
            {
                while (ownerThread != 0)
                {
                    Monitor.Wait(gate);
                }
                ownerThread = me;
                SavedIrql = oldIrql;
            }
        }
        if (recursive)
        {
            runtime.Verifier.Report(Rules.LockMisuse, ddi, Name,
                "the thread already holds this spin lock; acquiring it again deadlocks a real system");
            return false;
        }
        if (!atDpcLevel)
        {
            ThreadIrql.Set(KIRQL.DISPATCH_LEVEL);
        }
        ThreadIrql.PushHeld(this);
        return true;
    }

    /// <summary>Gives the lock back; false (after reporting) if this thread does not hold it.</summary>
    public bool Release(DriverRuntime runtime, string ddi)
    {
        int me = Environment.CurrentManagedThreadId;
        bool owned;
        lock (gate)
        {
            owned = ownerThread == me;
            if (owned)
            {
                ownerThread = 0;
                Monitor.Pulse(gate);
            }
        }
        if (!owned)
        {
            runtime.Verifier.Report(Rules.LockMisuse, ddi, Name, "the spin lock is not held by this thread");
            return false;
        }
        ThreadIrql.PopHeld(this);
        return true;
    }

    /// <summary>Frees the lock whoever holds it (a callback ended while holding it).</summary>
    public void ForceRelease()
    {
        lock (gate)
        {
            ownerThread = 0;
            Monitor.PulseAll(gate);
        }
    }
}
