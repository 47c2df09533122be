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
    }

    /// <summary>The runtime of code that runs outside every host (pool DDIs called from a plain test).</summary>
    public static DriverRuntime ProcessDefault { get; } = new(verifierEnabled: true);

    public RuntimeVerifier Verifier { get; }

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
