using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>What a free releases: pool, an MDL, a lookaside entry, or a framework object.</summary>
internal enum FreeKind
{
    Pool,
    Mdl,
    LookasideEntry,
    Object,
}

/// <summary>A free of a followed block (by a DDI, or by a helper that frees its parameter), with the facts just before it.</summary>
internal sealed class PoolFreeEvent
{
    private readonly IOperation _blockOperation;
    private readonly IOperation? _tagOperation;
    private readonly string? _helperTagText;

    /// <param name="tagOperation">The tag argument of <c>ExFreePoolWithTag</c> (null for <c>ExFreePool</c> or a helper).</param>
    /// <param name="helperTagText">For a free by a helper: the tag as the helper wrote it.</param>
    public PoolFreeEvent(
        IInvocationOperation free, FreeKind kind, TrackedLocation block, IOperation blockOperation, ImmutableHashSet<PoolFact> facts,
        uint? tag, IOperation? tagOperation, string? helperTagText, bool byHelper)
    {
        Free = free;
        Kind = kind;
        Block = block;
        _blockOperation = blockOperation;
        Facts = facts;
        Tag = tag;
        _tagOperation = tagOperation;
        _helperTagText = helperTagText;
        ByHelper = byHelper;
    }

    /// <summary>The freeing call: <c>ExFreePool*</c>, <c>IoFreeMdl</c>, ..., or the helper's call.</summary>
    public IInvocationOperation Free { get; }

    public FreeKind Kind { get; }

    public TrackedLocation Block { get; }

    /// <summary>The block as the free wrote it, e.g. <c>Context.WriteBuffer</c> (made when a rule reports).</summary>
    public string BlockText => _blockOperation.Syntax.ToString();

    public ImmutableHashSet<PoolFact> Facts { get; }

    /// <summary>The constant tag given to <c>ExFreePoolWithTag</c>; null for <c>ExFreePool</c> or a tag not known.</summary>
    public uint? Tag { get; }

    /// <summary>The tag as written at the free.</summary>
    public string? TagText => _tagOperation?.Syntax.ToString() ?? _helperTagText;

    /// <summary>True when a helper method frees the block.</summary>
    public bool ByHelper { get; }
}

/// <summary>A use of a followed block (a DDI given it, an accessor called on it, a helper that uses it), with its facts there.</summary>
internal sealed class PoolUseEvent
{
    private readonly IOperation _blockOperation;

    public PoolUseEvent(IOperation site, TrackedLocation block, IOperation blockOperation, ImmutableHashSet<PoolFact> facts, string? byHelper)
    {
        Site = site;
        Block = block;
        _blockOperation = blockOperation;
        Facts = facts;
        ByHelper = byHelper;
    }

    /// <summary>The using operation: the call (DDI, accessor or helper).</summary>
    public IOperation Site { get; }

    public TrackedLocation Block { get; }

    /// <summary>The block as the use wrote it (made when a rule reports).</summary>
    public string BlockText => _blockOperation.Syntax.ToString();

    public ImmutableHashSet<PoolFact> Facts { get; }

    /// <summary>The helper's name when a helper uses the block; null for a direct use.</summary>
    public string? ByHelper { get; }
}

/// <summary>What the pool-block analysis tells its rules, in evaluation order (replayed, so reported once).</summary>
internal abstract class PoolObserver
{
    public virtual void OnFree(PoolFreeEvent free)
    {
    }

    public virtual void OnUse(PoolUseEvent use)
    {
    }
}

/// <summary>The events of one function's replay, recorded once and replayed into every rule's observer.</summary>
internal sealed class PoolEvents : PoolObserver
{
    private readonly List<object> _events = new();

    public bool IsEmpty => _events.Count == 0;

    public override void OnFree(PoolFreeEvent free) => _events.Add(free);

    public override void OnUse(PoolUseEvent use) => _events.Add(use);

    public void ReplayInto(PoolObserver observer)
    {
        foreach (var recorded in _events)
        {
            switch (recorded)
            {
                case PoolFreeEvent free:
                    observer.OnFree(free);
                    break;
                case PoolUseEvent use:
                    observer.OnUse(use);
                    break;
            }
        }
    }
}
