using System.Collections.Generic;
using DriverBuffers.Verifier;

namespace DriverBuffers.Framework;

/// <summary>
/// The object behind every framework handle: identity, parent and children, driver references, and the
/// end of its life. Ending an object ends its whole subtree (children first); what each kind releases
/// then (a buffer, a lookaside entry, ...) happens in <see cref="OnEnded"/>, outside the runtime lock.
/// </summary>
internal abstract class WdfObject : INamedObject
{
    private readonly List<WdfObject> children = new();
    private EndReason? end;
    private int driverReferences;

    protected WdfObject(DriverRuntime runtime, string kind, WdfObject? parent)
    {
        Runtime = runtime;
        Kind = kind;
        Id = ObjectIds.Next();
        if (parent is not null)
        {
            SetParent(parent);
        }
    }

    public DriverRuntime Runtime { get; }

    public long Id { get; }

    /// <summary>The handle type name, e.g. "WDFMEMORY".</summary>
    public string Kind { get; }

    public string HandleName => $"{Kind}#{Id}";

    public WdfObject? Parent { get; private set; }

    public EndReason? End
    {
        get { lock (Runtime.Sync) { return end; } }
    }

    public bool IsAlive => End is null;

    /// <summary>References taken with <c>WdfObjectReference</c> and not yet released.</summary>
    public int DriverReferences
    {
        get { lock (Runtime.Sync) { return driverReferences; } }
    }

    public EVT_WDF_OBJECT_CONTEXT_CLEANUP? EvtCleanupCallback { get; set; }

    public EVT_WDF_OBJECT_CONTEXT_DESTROY? EvtDestroyCallback { get; set; }

    /// <summary>Whether the driver may pass this object to <c>WdfObjectDelete</c>; null if it may, else why not.</summary>
    public virtual string? WhyDriverMayNotDelete => null;

    public override string ToString() => HandleName;

    /// <summary>Applies <c>ParentObject</c> and the callbacks of the attributes; the default parent otherwise.</summary>
    public void ApplyAttributes(WDF_OBJECT_ATTRIBUTES? attributes, WdfObject defaultParent)
    {
        SetParent(attributes?.ParentObject.Object ?? defaultParent);
        EvtCleanupCallback = attributes?.EvtCleanupCallback;
        EvtDestroyCallback = attributes?.EvtDestroyCallback;
    }

    private void SetParent(WdfObject parent)
    {
        lock (Runtime.Sync)
        {
            Parent?.children.Remove(this);
            Parent = parent;
            if (parent.end is null)
            {
                parent.children.Add(this);
            }
        }
    }

    /// <summary>
    /// Ends this object and every descendant. Returns false if it had already ended. Children are told
    /// <see cref="ReasonForChild"/> (a completed request tells its memory "DRV001: belongs to a completed request").
    /// </summary>
    public bool EndTree(EndReason reason)
    {
        var ended = new List<(WdfObject Object, EndReason Reason)>();
        lock (Runtime.Sync)
        {
            if (end is not null)
            {
                return false;
            }
            CollectSubtree(reason, ended);
            Parent?.children.Remove(this);
        }
        // Children first, as KMDF deletes them before their parent.
        for (int i = ended.Count - 1; i >= 0; i--)
        {
            var (obj, why) = ended[i];
            obj.EvtCleanupCallback?.Invoke(obj.AsHandle());
            obj.OnEnded(why);
            if (obj.DriverReferences == 0)
            {
                obj.EvtDestroyCallback?.Invoke(obj.AsHandle());
            }
        }
        return true;
    }

    private void CollectSubtree(EndReason reason, List<(WdfObject, EndReason)> ended)
    {
        end = reason;
        ended.Add((this, reason));
        foreach (var child in children)
        {
            if (child.end is null)
            {
                child.CollectSubtree(ReasonForChild(child, reason), ended);
            }
        }
        children.Clear();
    }

    /// <summary>What a child of this object is told when it ends.</summary>
    protected virtual EndReason ReasonForChild(WdfObject child, EndReason reason) =>
        new(Rules.UseAfterDelete, $"its parent {HandleName} was deleted ({reason.Detail})");

    /// <summary>Releases what this kind of object owns. Runs outside the runtime lock.</summary>
    protected virtual void OnEnded(EndReason reason) { }

    /// <summary>Called when the last driver reference of an ended object is released.</summary>
    protected virtual void OnLastReferenceReleased() { }

    public void Reference()
    {
        lock (Runtime.Sync) { driverReferences++; }
    }

    /// <summary>Releases a driver reference; false if none was held (an unbalanced dereference).</summary>
    public bool Dereference()
    {
        bool released;
        lock (Runtime.Sync)
        {
            if (driverReferences == 0)
            {
                return false;
            }
            driverReferences--;
            released = driverReferences == 0 && end is not null;
        }
        if (released)
        {
            OnLastReferenceReleased();
            EvtDestroyCallback?.Invoke(AsHandle());
        }
        return true;
    }

    public WDFOBJECT AsHandle() => new(this);
}
