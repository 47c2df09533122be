namespace DriverBuffers.Exercising.Generation;

/// <summary>
/// A small deterministic random stream (SplitMix64). Each request draws from its own stream keyed by the seed and
/// its number, so request 17 of seed 1 is the same request whether the run has 20 requests, 400, or replays only it.
/// </summary>
internal struct SplitMix
{
    private ulong state;

    public SplitMix(int seed, int stream, int index = 0)
    {
        state = unchecked(((ulong)(uint)seed << 32) ^ (ulong)(uint)index ^ ((ulong)(uint)stream * 0xD1B54A32D192ED03UL));
        Next();
    }

    public ulong Next()
    {
        unchecked
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A number in [0, <paramref name="exclusiveMaximum"/>).</summary>
    public int Below(int exclusiveMaximum) => (int)(Next() % (ulong)exclusiveMaximum);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Below(100) < percent;

    public T Pick<T>(params T[] choices) => choices[Below(choices.Length)];
}
