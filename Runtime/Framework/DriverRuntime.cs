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
    }

    /// <summary>The runtime of code that runs outside every host (pool DDIs called from a plain test).</summary>
    public static DriverRuntime ProcessDefault { get; } = new(verifierEnabled: true);

    public RuntimeVerifier Verifier { get; }

    public PoolAllocator Pool { get; }

    /// <summary>
    /// Guards framework object state (parents, children, references, request states). Held only for short
    /// sections that never call driver code, so it cannot deadlock with a completion on another thread.
    /// Lock order: this, then a <see cref="Memory.Storage"/> gate.
    /// </summary>
    public object Sync { get; } = new();
}
