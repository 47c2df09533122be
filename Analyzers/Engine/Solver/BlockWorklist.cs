namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The solver's worklist: the blocks waiting to be visited, taken lowest ordinal first (the graph's order, so a block is
/// visited after the blocks before it that changed). One bit per block: adding and taking allocate nothing (a sorted set
/// allocated a node per block queued, every time it was queued).
/// </summary>
internal sealed class BlockWorklist
{
    private readonly ulong[] _words;

    /// <summary>No word before this one has a bit set.</summary>
    private int _lowest;

    public BlockWorklist(int blocks)
    {
        _words = new ulong[(blocks + 63) / 64];
        _lowest = _words.Length;
    }

    /// <summary>Queues <paramref name="ordinal"/> (nothing when it is queued already).</summary>
    public void Add(int ordinal)
    {
        var word = ordinal >> 6;
        _words[word] |= 1UL << (ordinal & 63);
        if (word < _lowest)
        {
            _lowest = word;
        }
    }

    /// <summary>Takes the lowest queued ordinal; false when none is queued.</summary>
    public bool TryTakeFirst(out int ordinal)
    {
        for (; _lowest < _words.Length; _lowest++)
        {
            var bits = _words[_lowest];
            if (bits != 0)
            {
                var bit = LowestBit(bits);
                _words[_lowest] = bits & (bits - 1);
                ordinal = (_lowest << 6) + bit;
                return true;
            }
        }

        ordinal = -1;
        return false;
    }

    /// <summary>The index of the lowest set bit (netstandard2.0 has no <c>TrailingZeroCount</c>): a de Bruijn multiply.</summary>
    private static int LowestBit(ulong bits) => DeBruijnPositions[((bits & (~bits + 1)) * DeBruijn) >> 58];

    private const ulong DeBruijn = 0x03F79D71B4CB0A89UL;

    private static readonly int[] DeBruijnPositions = Positions();

    private static int[] Positions()
    {
        var positions = new int[64];
        for (var bit = 0; bit < 64; bit++)
        {
            positions[((1UL << bit) * DeBruijn) >> 58] = bit;
        }

        return positions;
    }
}
