using System;
using System.Collections.Generic;
using System.Threading;

namespace DriverBuffers.Deferred;

/// <summary>
/// Simulated time of one runtime, in 100 ns units since boot. Timers wait on it; DPCs and work items wait in
/// queues. Nothing runs by itself: <see cref="Advance"/> (a test or the exerciser letting time pass) runs the
/// queued DPCs and work items and every timer that falls due, in order, on the calling thread. The framework's
/// own waits (<c>WdfIoQueueStopSynchronously</c>, removing a device) use <see cref="RunUntil"/>.
/// </summary>
internal sealed class SimulatedClock
{
    /// <summary>The system time at boot (2026-01-01, as a FILETIME): absolute due times are measured from it.</summary>
    public const long BootSystemTime = 134_116_128_000_000_000;

    private readonly object gate = new();
    private readonly object runGate = new();
    private readonly SortedSet<Entry> timers = new(EntryOrder.Instance);
    private readonly Queue<IDeferredWork> dpcs = new();
    private readonly Queue<IDeferredWork> workItems = new();
    private long now;
    private long sequence;

    /// <summary>Time since boot, 100 ns units (C's interrupt time).</summary>
    public long Now { get { lock (gate) { return now; } } }

    /// <summary>The system time (C's <c>KeQuerySystemTime</c>), 100 ns units since 1601.</summary>
    public long SystemTime => BootSystemTime + Now;

    /// <summary>How many timers are waiting, DPCs and work items queued.</summary>
    public int PendingCount { get { lock (gate) { return timers.Count + dpcs.Count + workItems.Count; } } }

    /// <summary>
    /// Schedules a timer: <paramref name="dueTime"/> negative is relative (C's <c>WDF_REL_TIMEOUT_IN_MS</c>),
    /// positive an absolute system time, zero now. Returns the entry to cancel it with.
    /// </summary>
    public object Schedule(IDeferredWork timer, long dueTime)
    {
        lock (gate)
        {
            long due = dueTime < 0 ? now + (dueTime == long.MinValue ? long.MaxValue / 2 : -dueTime)
                : dueTime == 0 ? now
                : Math.Max(now, dueTime - BootSystemTime);
            var entry = new Entry(due, ++sequence, timer);
            timers.Add(entry);
            return entry;
        }
    }

    /// <summary>Cancels a scheduled timer; false if it already ran or was canceled.</summary>
    public bool Cancel(object entry)
    {
        lock (gate) { return entry is Entry e && timers.Remove(e); }
    }

    public void QueueDpc(IDeferredWork dpc)
    {
        lock (gate) { dpcs.Enqueue(dpc); }
    }

    public void QueueWorkItem(IDeferredWork workItem)
    {
        lock (gate) { workItems.Enqueue(workItem); }
    }

    /// <summary>
    /// Lets <paramref name="ticks"/> of simulated time pass: runs queued DPCs and work items and every timer due
    /// by then (including work they queue). Returns how many callbacks ran.
    /// </summary>
    public int Advance(long ticks)
    {
        lock (runGate)
        {
            long target;
            lock (gate) { target = now + Math.Max(0, ticks); }
            int ran = 0;
            while (TakeOne(target) is { } work)
            {
                if (work.Run())
                {
                    ran++;
                }
            }
            lock (gate) { now = Math.Max(now, target); }
            return ran;
        }
    }

    /// <summary>
    /// Runs deferred work, moving time forward timer by timer, until <paramref name="done"/> holds or nothing
    /// can make progress any more: no work due within <paramref name="maxTicks"/> and no
    /// <paramref name="backgroundWork"/> (completions on other threads) in flight. True if <paramref name="done"/> held.
    /// </summary>
    public bool RunUntil(Func<bool> done, long maxTicks, Func<bool> backgroundWork)
    {
        long limit;
        lock (gate) { limit = now + maxTicks; }
        var realDeadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            bool progressed;
            lock (runGate)
            {
                var work = TakeOne(limit);
                progressed = work is not null;
                work?.Run();
            }
            if (progressed)
            {
                continue;
            }
            if (!backgroundWork() || DateTime.UtcNow > realDeadline)
            {
                return done();
            }
            Thread.Sleep(1);
        }
        return true;
    }

    /// <summary>Takes the next DPC, work item, or timer due by <paramref name="target"/> (moving time to it); null if there is none.</summary>
    private IDeferredWork? TakeOne(long target)
    {
        IDeferredWork? work = null;
        lock (gate)
        {
            if (dpcs.Count > 0)
            {
                work = dpcs.Dequeue();
            }
            else if (workItems.Count > 0)
            {
                work = workItems.Dequeue();
            }
            else if (timers.Count > 0 && timers.Min!.Due <= target)
            {
                var entry = timers.Min!;
                timers.Remove(entry);
                now = Math.Max(now, entry.Due);
                work = entry.Work;
            }
        }
        return work;
    }

    private sealed record Entry(long Due, long Sequence, IDeferredWork Work);

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            int byDue = x!.Due.CompareTo(y!.Due);
            return byDue != 0 ? byDue : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
