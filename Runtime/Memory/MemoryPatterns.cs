namespace DriverBuffers.Memory;

/// <summary>The byte patterns the simulated system leaves in memory nobody initialised.</summary>
internal static class MemoryPatterns
{
    /// <summary>Fill of uninitialised pool (deprecated allocators, <c>POOL_FLAG_UNINITIALIZED</c>).</summary>
    public const byte Uninitialized = 0xCD;

    /// <summary>What a read of dead or out-of-range memory returns when the verifier is off.</summary>
    public const byte Stale = 0xDD;
}
