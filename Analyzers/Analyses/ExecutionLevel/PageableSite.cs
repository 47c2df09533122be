using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>What makes a call wrong above APC_LEVEL.</summary>
internal enum PageableKind
{
    /// <summary>Allocates paged pool.</summary>
    PagedAllocation,

    /// <summary>Reads, writes or copies paged pool.</summary>
    PagedTouch,

    /// <summary><c>PAGED_CODE()</c>.</summary>
    PagedCode,

    /// <summary>A helper that does one of the above (at most <c>helper_depth</c> calls deep).</summary>
    Helper,
}

/// <summary>
/// A call the user wrote that allocates or touches paged pool, reaches <c>PAGED_CODE()</c>, or calls a helper that
/// does: <see cref="What"/> says it in the driver writer's words ("ExAllocatePool2 allocates paged pool
/// (POOL_FLAG_PAGED)"); <see cref="PagedConstant"/> is the constant a fix replaces (allocations only).
/// </summary>
internal sealed class PageableSite
{
    public PageableSite(
        IInvocationOperation call, PageableKind kind, string what, IFieldReferenceOperation? pagedConstant = null, PageableReach? helperReach = null,
        int allocationLine = 0)
    {
        AllocationLine = allocationLine;
        HelperReach = helperReach;
        Call = call;
        Kind = kind;
        What = what;
        PagedConstant = pagedConstant;
    }

    public IInvocationOperation Call { get; }

    public PageableKind Kind { get; }

    public string What { get; }

    public IFieldReferenceOperation? PagedConstant { get; }

    /// <summary>The line the touched paged pool was allocated at (touches only).</summary>
    public int AllocationLine { get; }

    /// <summary>The called helper's summary (helper calls only).</summary>
    public PageableReach? HelperReach { get; }
}
