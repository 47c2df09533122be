using System;
using System.Threading;
using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Synchronization;

/// <summary>
/// The framework wait lock behind a <c>WDFWAITLOCK</c>: taken at PASSIVE_LEVEL (with a zero timeout also at
/// DISPATCH_LEVEL), it may be released by another thread, as a KMDF wait lock (an event) may. Acquiring it again
/// on the thread that holds it is a self-deadlock, reported as <see cref="Rules.LockMisuse"/>.
/// </summary>
internal sealed class WdfWaitLockObject : WdfObject
{
    /// <summary>The longest real time an acquire without timeout waits before it is reported as a deadlock.</summary>
    private static readonly TimeSpan DeadlockAfter = TimeSpan.FromSeconds(30);

    /// <summary>The longest real time an acquire with a timeout waits (simulated time does not pass while it waits).</summary>
    private static readonly TimeSpan LongestTimedWait = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private int ownerThread;

    public WdfWaitLockObject(DriverRuntime runtime) : base(runtime, "WDFWAITLOCK", parent: null) { }

    /// <summary><c>WdfWaitLockAcquire</c>: STATUS_SUCCESS, or STATUS_TIMEOUT when <paramref name="timeout"/> expired.</summary>
    public NTSTATUS Acquire(long? timeout, string ddi)
    {
        int me = Environment.CurrentManagedThreadId;
        TimeSpan wait = timeout switch
        {
            null => DeadlockAfter,
            0 => TimeSpan.Zero,
            < 0 => TimeSpan.FromTicks(Math.Min(-timeout.Value, LongestTimedWait.Ticks)),
            _ => TimeSpan.FromTicks(Math.Min(Math.Max(0, timeout.Value - Runtime.Clock.SystemTime), LongestTimedWait.Ticks)),
        };
        bool recursive;
        bool acquired = false;
        lock (gate)
        {
            recursive = ownerThread == me;
            if (!recursive)
            {
                var deadline = DateTime.UtcNow + wait;
                while (ownerThread != 0)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !Monitor.Wait(gate, left))
                    {
                        break;
                    }
                }
                if (ownerThread == 0)
                {
                    ownerThread = me;
                    acquired = true;
                }
            }
        }
        if (recursive)
        {
            Runtime.Verifier.Report(Rules.LockMisuse, ddi, HandleName,
                "the thread already holds this wait lock; acquiring it again deadlocks a real system");
            return Wdm.STATUS_TIMEOUT;
        }
        if (!acquired && timeout is null)
        {
            Runtime.Verifier.Report(Rules.LockMisuse, ddi, HandleName,
                $"waited {DeadlockAfter.TotalSeconds} s for a wait lock another thread never released (a deadlock)");
        }
        return acquired ? Wdm.STATUS_SUCCESS : Wdm.STATUS_TIMEOUT;
    }

    /// <summary><c>WdfWaitLockRelease</c>; releasing a lock nobody holds is <see cref="Rules.LockMisuse"/>.</summary>
    public void Release(string ddi)
    {
        bool held;
        lock (gate)
        {
            held = ownerThread != 0;
            ownerThread = 0;
            Monitor.Pulse(gate);
        }
        if (!held)
        {
            Runtime.Verifier.Report(Rules.LockMisuse, ddi, HandleName, "the wait lock is not held");
        }
    }
}
