using DriverBuffers.Pool;
using DriverBuffers.Verifier;

namespace DriverBuffers.Framework;

/// <summary>
/// The simulated system one driver runs on: its verifier, its pool, and the lock that guards the
/// framework's object tree. Each host owns one; driver code that runs outside any host uses
/// <see cref="ProcessDefault"/>.
/// </summary>
internal sealed class DriverRuntime
{
    public DriverRuntime(bool verifierEnabled)
    {
        Verifier = new RuntimeVerifier(verifierEnabled);
        Pool = new PoolAllocator(this);
        Driver = new WdfDriverObject(this);
        DriverObject = new DRIVER_OBJECT(this, @"\Driver\SimulatedDriver");
    }

    /// <summary>The runtime of code that runs outside every host (pool DDIs called from a plain test).</summary>
    public static DriverRuntime ProcessDefault { get; } = new(verifierEnabled: true);

    public RuntimeVerifier Verifier { get; }

    /// <summary>Simulated time: timers, DPCs and work items.</summary>
    public Deferred.SimulatedClock Clock { get; } = new();

    /// <summary>Named device objects and symbolic links.</summary>
    public IoManager.ObjectNamespace Names { get; } = new();

    /// <summary>The WDM driver object the driver's <c>DriverEntry</c> receives.</summary>
    public DRIVER_OBJECT DriverObject { get; }

    private readonly System.Collections.Generic.Dictionary<string, Hosting.SimulatedIoTarget> namedTargets =
        new(System.StringComparer.OrdinalIgnoreCase);
    private int backgroundWork;

    /// <summary>
    /// The application rewrites a neither-I/O user buffer right after the driver reads it (each byte read is
    /// inverted), as a malicious application on another thread could: a double fetch then sees another value.
    /// </summary>
    public bool ChangeUserMemoryBetweenReads { get; set; }

    /// <summary>Makes a target openable by name (<c>WdfIoTargetOpen</c> with <c>WdfIoTargetOpenByName</c>).</summary>
    public void AddNamedTarget(string name, Hosting.SimulatedIoTarget target)
    {
        lock (Sync) { namedTargets[name] = target; }
    }

    /// <summary>The target the host provides under <paramref name="name"/>, or null.</summary>
    public Hosting.SimulatedIoTarget? FindNamedTarget(string name)
    {
        lock (Sync) { return namedTargets.TryGetValue(name, out var target) ? target : null; }
    }

    /// <summary>Completion work running on other threads (targets in OnAnotherThread mode) starts or ends.</summary>
    public void BackgroundWorkStarted() => System.Threading.Interlocked.Increment(ref backgroundWork);

    public void BackgroundWorkEnded() => System.Threading.Interlocked.Decrement(ref backgroundWork);

    public bool HasBackgroundWork => System.Threading.Volatile.Read(ref backgroundWork) > 0;

    /// <summary>
    /// Waits, in real time and at most <see cref="BackgroundWorkLimit"/>, until no completion runs on another thread
    /// (the driver cannot unload while a lower driver is still calling back into it). True if none does.
    /// </summary>
    public bool WaitForBackgroundWork()
    {
        var deadline = System.DateTime.UtcNow + BackgroundWorkLimit;
        while (HasBackgroundWork)
        {
            if (System.DateTime.UtcNow > deadline)
            {
                return false;
            }
            System.Threading.Thread.Sleep(1);
        }
        return true;
    }

    /// <summary>The longest <see cref="WaitForBackgroundWork"/> waits (30 s, as long as a framework wait lets real time run).</summary>
    public static readonly System.TimeSpan BackgroundWorkLimit = System.TimeSpan.FromSeconds(30);

    /// <summary>The longest a framework wait lets simulated time run (one minute).</summary>
    public const long MaxWaitTicks = 60L * 10_000_000;

    /// <summary>
    /// A framework wait (stop a queue synchronously, remove a device): runs deferred work on simulated time until
    /// <paramref name="done"/> holds or nothing can make progress. True if <paramref name="done"/> held.
    /// </summary>
    public bool WaitFor(System.Func<bool> done) => Clock.RunUntil(done, MaxWaitTicks, () => HasBackgroundWork);

    public PoolAllocator Pool { get; }

    /// <summary>The root of the object tree: default parent of memory, lookaside lists and created requests.</summary>
    public WdfDriverObject Driver { get; }

    /// <summary>
    /// Guards framework object state (parents, children, references, request states). Held only for short
    /// sections that never call driver code, so it cannot deadlock with a completion on another thread.
    /// Lock order: this, then a <see cref="Memory.Storage"/> gate.
    /// </summary>
    public object Sync { get; } = new();

    private int mappingFailuresToInject;
    private readonly System.Collections.Generic.List<Memory.WdfLookasideObject> lookasides = new();

    /// <summary>Remembers a lookaside list for the leak check at unload.</summary>
    public void RegisterLookaside(Memory.WdfLookasideObject lookaside)
    {
        lock (Sync) { lookasides.Add(lookaside); }
    }

    public System.Collections.Generic.IReadOnlyList<Memory.WdfLookasideObject> Lookasides
    {
        get { lock (Sync) { return lookasides.ToArray(); } }
    }

    private readonly System.Collections.Generic.List<Memory.WdmLookasideList> wdmLookasides = new();

    /// <summary>Remembers a WDM lookaside list for the leak check at unload.</summary>
    public void RegisterLookaside(Memory.WdmLookasideList lookaside)
    {
        lock (Sync) { wdmLookasides.Add(lookaside); }
    }

    public System.Collections.Generic.IReadOnlyList<Memory.WdmLookasideList> WdmLookasides
    {
        get { lock (Sync) { return wdmLookasides.ToArray(); } }
    }

    /// <summary>Makes the next <paramref name="count"/> MDL mappings fail (system PTEs exhausted).</summary>
    public void FailNextMappings(int count) => System.Threading.Interlocked.Exchange(ref mappingFailuresToInject, count);

    /// <summary>True (and consumes one) when a mapping failure was injected.</summary>
    public bool TakeMappingFailure()
    {
        while (true)
        {
            int current = System.Threading.Volatile.Read(ref mappingFailuresToInject);
            if (current <= 0)
            {
                return false;
            }
            if (System.Threading.Interlocked.CompareExchange(ref mappingFailuresToInject, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
