using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Pool;
using DriverBuffers.Verifier;

namespace DriverBuffers.Memory;

/// <summary>
/// The WDM lookaside list behind an <c>NPAGED_LOOKASIDE_LIST</c>: pool entries of one size, recycled. Each entry
/// handed out is a fresh view of its pool block that ends when the entry is given back, so a stale pointer into a
/// recycled entry is caught (DRV036); a recycled entry keeps its old bytes, as in C. Entries still handed out when
/// the driver unloads are LookasideLeak.
/// </summary>
internal sealed class WdmLookasideList
{
    private readonly object gate = new();
    private readonly Stack<PoolAllocation> free = new();
    private readonly Dictionary<Allocation, PoolAllocation> outstanding = new();
    private readonly ALLOCATE_FUNCTION? allocate;
    private readonly FREE_FUNCTION? release;
    private EndReason? deleted;

    public WdmLookasideList(DriverRuntime runtime, ALLOCATE_FUNCTION? allocate, FREE_FUNCTION? release, nuint size, uint tag)
    {
        Runtime = runtime;
        this.allocate = allocate;
        this.release = release;
        Size = size;
        Tag = tag;
        Name = $"NPAGED_LOOKASIDE_LIST#{ObjectIds.Next()}";
        InitializedAt = runtime.Verifier.CaptureAllocationStack();
    }

    /// <summary>The stack of <c>ExInitializeNPagedLookasideList</c> (for the leak report of a list never deleted).</summary>
    public System.Diagnostics.StackTrace? InitializedAt { get; }

    /// <summary>Where one of the entries still handed out was allocated (for the leak report), or null.</summary>
    public System.Diagnostics.StackTrace? OutstandingEntryAllocatedAt
    {
        get { lock (gate) { return outstanding.Keys.Select(view => view.AllocatedAt).FirstOrDefault(stack => stack is not null); } }
    }

    public DriverRuntime Runtime { get; }

    public string Name { get; }

    public nuint Size { get; }

    public uint Tag { get; }

    /// <summary>True once <c>ExDeleteNPagedLookasideList</c> ran.</summary>
    public bool IsDeleted
    {
        get { lock (gate) { return deleted is not null; } }
    }

    /// <summary>Entries handed out and not given back.</summary>
    public int OutstandingCount
    {
        get { lock (gate) { return outstanding.Count; } }
    }

    /// <summary><c>ExAllocateFromNPagedLookasideList</c>: an entry (recycled or new), or NULL when pool runs out.</summary>
    public PVOID Allocate(string ddi)
    {
        if (!CheckAlive(ddi))
        {
            return default;
        }
        PoolAllocation? entry;
        lock (gate) { free.TryPop(out entry); }
        if (entry is null)
        {
            var pointer = allocate is { } custom
                ? custom(Wdm.NonPagedPoolNx, Size, Tag)
                : Runtime.Pool.Allocate(new PoolRequest(ddi, Size, Tag, Zeroed: false, ChargeQuota: false, RaiseOnFailure: false));
            entry = pointer.Allocation as PoolAllocation;
            if (entry is null || pointer.Offset != 0)
            {
                return default;
            }
            entry.FrameworkOwner = Name;
        }
        var view = new Allocation(Runtime, entry.Storage, entry.Start, entry.Length, $"entry of {Name}")
        {
            AllocatedAt = Runtime.Verifier.CaptureAllocationStack(),
        };
        lock (gate) { outstanding.Add(view, entry); }
        return new PVOID(view, 0);
    }

    /// <summary><c>ExFreeToNPagedLookasideList</c>: the entry goes back to the list; its pointer ends.</summary>
    public void Free(PVOID entryPointer, string ddi)
    {
        if (!CheckAlive(ddi))
        {
            return;
        }
        PoolAllocation? entry = null;
        bool known;
        lock (gate)
        {
            known = entryPointer.Offset == 0 && entryPointer.Allocation is { } view && outstanding.Remove(view, out entry);
            if (known)
            {
                free.Push(entry!);
            }
        }
        if (known)
        {
            entryPointer.Allocation!.TryEnd(new EndReason(Rules.UseAfterFree, $"the entry went back to {Name} (ExFreeToNPagedLookasideList)"));
            return;
        }
        if (entryPointer.Allocation is { End: { } end } && end.Detail.Contains(Name))
        {
            Runtime.Verifier.Report(Rules.BadPoolFree, ddi, entryPointer.ToString(), $"double free: {end.Detail}");
            return;
        }
        Runtime.Verifier.Report(Rules.InvalidPoolFree, ddi, entryPointer.ToString(),
            $"{entryPointer} is not an entry {Name} handed out (only ExAllocateFromNPagedLookasideList's pointers go back)");
    }

    /// <summary><c>ExDeleteNPagedLookasideList</c>: frees the cached entries; the list may not be used afterwards (DRV036).</summary>
    public void Delete(string ddi)
    {
        if (!CheckAlive(ddi))
        {
            return;
        }
        PoolAllocation[] cached;
        lock (gate)
        {
            deleted = new EndReason(Rules.UseAfterDelete, $"{Name} was deleted by ExDeleteNPagedLookasideList");
            cached = free.ToArray();
            free.Clear();
        }
        foreach (var entry in cached)
        {
            if (release is { } custom)
            {
                entry.FrameworkOwner = null;
                custom(new PVOID(entry, 0));
            }
            else
            {
                Runtime.Pool.Release(entry, $"{entry.Name} was freed when {Name} was deleted");
            }
        }
    }

    private bool CheckAlive(string ddi)
    {
        EndReason? end;
        lock (gate) { end = deleted; }
        if (end is null)
        {
            return true;
        }
        Runtime.Verifier.Report(end.Rule, ddi, Name, end.Detail);
        return false;
    }
}
