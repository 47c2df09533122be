using System.Collections.Generic;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>How a helper frees one of its parameters: what it frees, with which constant tag (null: <c>ExFreePool</c> or not one constant).</summary>
internal readonly struct HelperFree
{
    public HelperFree(FreeKind kind, uint? tag, string? tagText)
    {
        Kind = kind;
        Tag = tag;
        TagText = tagText;
    }

    public FreeKind Kind { get; }

    public uint? Tag { get; }

    public string? TagText { get; }
}

/// <summary>
/// What a helper does to the blocks it is given: the parameters it frees on every path that returns (directly, or on
/// their non-NULL side), and those it uses (hands to a DDI, reads or writes through an accessor) while they still hold
/// the caller's block.
/// </summary>
internal sealed class PoolSummary
{
    public static readonly PoolSummary None = new(new Dictionary<int, HelperFree>(), new HashSet<int>());

    private readonly IReadOnlyDictionary<int, HelperFree> _freed;
    private readonly HashSet<int> _used;

    public PoolSummary(IReadOnlyDictionary<int, HelperFree> freed, HashSet<int> used)
    {
        _freed = freed;
        _used = used;
    }

    public bool IsEmpty => _freed.Count == 0 && _used.Count == 0;

    public bool FreesAny => _freed.Count > 0;

    public bool Frees(int ordinal, out HelperFree free) => _freed.TryGetValue(ordinal, out free);

    public bool Uses(int ordinal) => _used.Contains(ordinal);
}
