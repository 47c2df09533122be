using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Pool;
using DriverBuffers.Verifier;

namespace DriverBuffers.Memory;

/// <summary>
/// The lookaside list behind a <c>WDFLOOKASIDE</c>: fixed-size pool buffers handed to memory objects and
/// taken back when they are deleted. Each memory object sees its buffer through its own view, which ends
/// when the object is deleted, so a stale pointer into a recycled buffer is caught (UseAfterFree).
/// </summary>
internal sealed class WdfLookasideObject : WdfObject
{
    private readonly Stack<PoolAllocation> free = new();
    private readonly Dictionary<WdfMemoryObject, PoolAllocation> outstanding = new();

    public WdfLookasideObject(DriverRuntime runtime, nuint bufferSize, uint poolTag, WDF_OBJECT_ATTRIBUTES? memoryAttributes, bool paged)
        : base(runtime, "WDFLOOKASIDE", parent: null)
    {
        Paged = paged;
        BufferSize = bufferSize;
        PoolTag = poolTag;
        MemoryAttributes = memoryAttributes;
    }

    public nuint BufferSize { get; }

    /// <summary>Buffers come from paged pool.</summary>
    public bool Paged { get; }

    public uint PoolTag { get; }

    public WDF_OBJECT_ATTRIBUTES? MemoryAttributes { get; }

    /// <summary>Memory objects created from this list and not yet deleted.</summary>
    public IReadOnlyList<WdfMemoryObject> Outstanding
    {
        get { lock (Runtime.Sync) { return outstanding.Keys.ToArray(); } }
    }

    /// <summary>Creates a memory object with a buffer from the list; null when pool runs out.</summary>
    public WdfMemoryObject? CreateMemory()
    {
        PoolAllocation? entry;
        lock (Runtime.Sync) { free.TryPop(out entry); }
        if (entry is null)
        {
            var pointer = Runtime.Pool.Allocate(new PoolRequest("WdfMemoryCreateFromLookaside", BufferSize, PoolTag,
                Zeroed: false, ChargeQuota: false, RaiseOnFailure: false, Paged));
            entry = pointer.Allocation as PoolAllocation;
            if (entry is null)
            {
                return null;
            }
            entry.FrameworkOwner = HandleName;
        }
        var view = new Allocation(Runtime, entry.Storage, entry.Start, entry.Length, $"lookaside buffer of {HandleName}")
        {
            Pageable = entry.Pageable,
            AllocatedAt = Runtime.Verifier.CaptureAllocationStack(),
        };
        var memory = new WdfMemoryObject(Runtime, MemoryOrigin.Lookaside, new PVOID(view, 0), BufferSize, parent: null)
        {
            Lookaside = this,
        };
        memory.ApplyAttributes(MemoryAttributes, this);
        lock (Runtime.Sync) { outstanding.Add(memory, entry); }
        return memory;
    }

    /// <summary>Takes a deleted memory object's buffer back; its view ends so stale pointers are caught.</summary>
    public void Return(WdfMemoryObject memory)
    {
        memory.Buffer.Allocation?.TryEnd(new EndReason(Rules.UseAfterFree,
            $"the buffer went back to {HandleName} when {memory.HandleName} was deleted"));
        PoolAllocation? entry;
        lock (Runtime.Sync)
        {
            if (!outstanding.Remove(memory, out entry))
            {
                return;
            }
            if (IsAlive)
            {
                free.Push(entry);
                return;
            }
        }
        Runtime.Pool.Release(entry, $"{entry.Name} was freed because {HandleName} was deleted");
    }

    protected override void OnEnded(EndReason reason)
    {
        PoolAllocation[] entries;
        lock (Runtime.Sync)
        {
            entries = free.ToArray();
            free.Clear();
        }
        foreach (var entry in entries)
        {
            Runtime.Pool.Release(entry, $"{entry.Name} was freed when {HandleName} was deleted");
        }
    }
}
