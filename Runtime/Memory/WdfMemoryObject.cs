using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Pool;
using DriverBuffers.Requests;

namespace DriverBuffers.Memory;

/// <summary>
/// The framework memory object behind a <c>WDFMEMORY</c>: a buffer pointer and length, who owns the buffer
/// (<see cref="MemoryOrigin"/>), and the requests that hold a reference on it because they were formatted
/// with it. A buffer the object owns is released only when the object has been deleted and neither the
/// driver nor an I/O target holds a reference any more.
/// </summary>
internal sealed class WdfMemoryObject : WdfObject
{
    private readonly HashSet<WdfRequestObject> heldBy = new();
    private PVOID buffer;
    private nuint length;
    private bool bufferReleased;

    public WdfMemoryObject(DriverRuntime runtime, MemoryOrigin origin, PVOID buffer, nuint length, WdfObject? parent)
        : base(runtime, "WDFMEMORY", parent)
    {
        Origin = origin;
        this.buffer = buffer;
        this.length = length;
    }

    public MemoryOrigin Origin { get; }

    /// <summary>The pool buffer a <see cref="MemoryOrigin.Created"/> object owns.</summary>
    public PoolAllocation? OwnedPool { get; init; }

    /// <summary>The list a <see cref="MemoryOrigin.Lookaside"/> object's buffer returns to.</summary>
    public WdfLookasideObject? Lookaside { get; init; }

    /// <summary>The request a request buffer belongs to.</summary>
    public WdfRequestObject? OwningRequest { get; init; }

    public bool IsRequestBuffer => Origin is MemoryOrigin.RequestInput or MemoryOrigin.RequestOutput or MemoryOrigin.ProbedUserBuffer;

    public PVOID Buffer { get { lock (Runtime.Sync) { return buffer; } } }

    public nuint Length { get { lock (Runtime.Sync) { return length; } } }

    public override string? WhyDriverMayNotDelete => IsRequestBuffer
        ? $"it belongs to {OwningRequest?.HandleName}; the framework deletes it when the request completes"
        : null;

    /// <summary><c>WdfMemoryAssignBuffer</c>.</summary>
    public void Assign(PVOID newBuffer, nuint newLength)
    {
        lock (Runtime.Sync)
        {
            buffer = newBuffer;
            length = newLength;
        }
    }

    /// <summary>The requests (driver-created or forwarded) that were formatted with this memory and not since released it.</summary>
    public IReadOnlyList<WdfRequestObject> HeldBy
    {
        get { lock (Runtime.Sync) { return heldBy.ToArray(); } }
    }

    public void AddTargetReference(WdfRequestObject request)
    {
        lock (Runtime.Sync) { heldBy.Add(request); }
    }

    public void RemoveTargetReference(WdfRequestObject request)
    {
        lock (Runtime.Sync) { heldBy.Remove(request); }
        ReleaseBufferIfUnused();
    }

    protected override void OnEnded(Verifier.EndReason reason) => ReleaseBufferIfUnused();

    protected override void OnLastReferenceReleased() => ReleaseBufferIfUnused();

    private void ReleaseBufferIfUnused()
    {
        lock (Runtime.Sync)
        {
            if (bufferReleased || End is null || DriverReferences > 0 || heldBy.Count > 0)
            {
                return;
            }
            bufferReleased = true;
        }
        if (OwnedPool is not null)
        {
            Runtime.Pool.Release(OwnedPool, $"{OwnedPool.Name} was freed when {HandleName} was deleted");
        }
        Lookaside?.Return(this);
    }
}
