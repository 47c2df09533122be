using System.Collections.Generic;
using System.Threading;
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
    private List<ObjectContext>? contexts;
    private EndReason? end;
    private bool ending;
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

    /// <summary>The attributes' <c>SynchronizationScope</c> (inherit from the parent when none was given).</summary>
    public WDF_SYNCHRONIZATION_SCOPE SynchronizationScope { get; private set; } = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInheritFromParent;

    /// <summary>The attributes' <c>ExecutionLevel</c> (inherit from the parent when none was given).</summary>
    public WDF_EXECUTION_LEVEL ExecutionLevel { get; private set; } = WDF_EXECUTION_LEVEL.WdfExecutionLevelInheritFromParent;

    /// <summary>Whether the driver may pass this object to <c>WdfObjectDelete</c>; null if it may, else why not.</summary>
    public virtual string? WhyDriverMayNotDelete => null;

    public override string ToString() => HandleName;

    /// <summary>Applies <c>ParentObject</c>, the callbacks and the context of the attributes; the default parent otherwise.</summary>
    public void ApplyAttributes(WDF_OBJECT_ATTRIBUTES? attributes, WdfObject defaultParent)
    {
        SetParent(attributes?.ParentObject.Object ?? defaultParent);
        ApplyContextAndCallbacks(attributes);
    }

    /// <summary>Applies the callbacks and context of the attributes (objects whose parent the framework decides).</summary>
    public void ApplyContextAndCallbacks(WDF_OBJECT_ATTRIBUTES? attributes)
    {
        EvtCleanupCallback = attributes?.EvtCleanupCallback;
        EvtDestroyCallback = attributes?.EvtDestroyCallback;
        // WDF_OBJECT_ATTRIBUTES_INIT sets both to InheritFromParent in C; here a structure left at 0 (Invalid) inherits too.
        if (attributes?.SynchronizationScope is { } scope and not WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInvalid)
        {
            SynchronizationScope = scope;
        }
        if (attributes?.ExecutionLevel is { } level and not WDF_EXECUTION_LEVEL.WdfExecutionLevelInvalid)
        {
            ExecutionLevel = level;
        }
        if (attributes?.ContextTypeInfo is { } type)
        {
            AllocateContext(type, cleanup: null, destroy: null, out _);
        }
    }

    /// <summary>
    /// Gives the object a context of <paramref name="type"/> (a new instance, as KMDF zero-fills it). False, with
    /// the existing context, if it already has one of that type.
    /// </summary>
    public bool AllocateContext(WDF_OBJECT_CONTEXT_TYPE_INFO type, EVT_WDF_OBJECT_CONTEXT_CLEANUP? cleanup,
        EVT_WDF_OBJECT_CONTEXT_DESTROY? destroy, out object context)
    {
        var created = type.Create();
        lock (Runtime.Sync)
        {
            foreach (var existing in contexts ?? new List<ObjectContext>())
            {
                if (existing.Type == type.ContextType)
                {
                    context = existing.Value;
                    return false;
                }
            }
            (contexts ??= new List<ObjectContext>()).Add(new ObjectContext(type.ContextType, created, cleanup, destroy));
        }
        context = created;
        return true;
    }

    /// <summary>This object's living descendants of type <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> Descendants<T>() where T : WdfObject
    {
        var found = new List<T>();
        lock (Runtime.Sync)
        {
            Collect(this);
        }
        return found;

        void Collect(WdfObject node)
        {
            foreach (var child in node.children)
            {
                if (child is T match)
                {
                    found.Add(match);
                }
                Collect(child);
            }
        }
    }

    /// <summary>The context of <paramref name="type"/> (or a type derived from it), or null.</summary>
    public object? GetContext(System.Type type)
    {
        lock (Runtime.Sync)
        {
            foreach (var context in contexts ?? new List<ObjectContext>())
            {
                if (type.IsAssignableFrom(context.Type))
                {
                    return context.Value;
                }
            }
            return null;
        }
    }

    private ObjectContext[] Contexts
    {
        get { lock (Runtime.Sync) { return contexts?.ToArray() ?? System.Array.Empty<ObjectContext>(); } }
    }

    private void SetParent(WdfObject parent)
    {
        lock (Runtime.Sync)
        {
            Parent?.children.Remove(this);
            Parent = parent;
            if (parent.end is null && !parent.ending)
            {
                parent.children.Add(this);
            }
        }
    }

    /// <summary>
    /// Ends this object and every descendant. Returns false if it had already ended (or is ending). Children are
    /// told <see cref="ReasonForChild"/> (a completed request tells its memory "DRV001: belongs to a completed
    /// request"). The cleanup callbacks run first, children before parents, while the objects and their contexts
    /// may still be used, as in KMDF; then the objects end and release what they own.
    /// </summary>
    public bool EndTree(EndReason reason)
    {
        var ended = new List<(WdfObject Object, EndReason Reason)>();
        lock (Runtime.Sync)
        {
            if (end is not null || ending)
            {
                return false;
            }
            CollectSubtree(reason, ended);
            Parent?.children.Remove(this);
        }
        // A callback that raises a violation must not leave the rest of the tree alive: finish, then rethrow.
        System.Exception? first = null;
        void Guarded(System.Action callback)
        {
            try
            {
                callback();
            }
            catch (System.Exception exception)
            {
                first ??= exception;
            }
        }
        for (int i = ended.Count - 1; i >= 0; i--)
        {
            var obj = ended[i].Object;
            Interlocked.Increment(ref obj.tearingDown);
            if (obj.EvtCleanupCallback is { } cleanup)
            {
                Guarded(() => cleanup(obj.AsHandle()));
            }
            foreach (var context in obj.Contexts)
            {
                if (context.Cleanup is { } contextCleanup)
                {
                    Guarded(() => contextCleanup(obj.AsHandle()));
                }
            }
            Interlocked.Decrement(ref obj.tearingDown);
        }
        lock (Runtime.Sync)
        {
            foreach (var (obj, why) in ended)
            {
                obj.end = why;
                obj.ending = false;
            }
        }
        for (int i = ended.Count - 1; i >= 0; i--)
        {
            var (obj, why) = ended[i];
            Guarded(() => obj.OnEnded(why));
            if (obj.DriverReferences == 0)
            {
                Guarded(obj.InvokeDestroyCallbacks);
            }
        }
        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        return true;
    }

    private void CollectSubtree(EndReason reason, List<(WdfObject, EndReason)> ended)
    {
        ending = true;
        ended.Add((this, reason));
        foreach (var child in children)
        {
            if (child.end is null && !child.ending)
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
            InvokeDestroyCallbacks();
        }
        return true;
    }

    public WDFOBJECT AsHandle() => new(this);

    private void InvokeDestroyCallbacks()
    {
        Interlocked.Increment(ref tearingDown);
        try
        {
            EvtDestroyCallback?.Invoke(AsHandle());
            foreach (var context in Contexts)
            {
                context.Destroy?.Invoke(AsHandle());
            }
        }
        finally
        {
            Interlocked.Decrement(ref tearingDown);
        }
    }

    /// <summary>
    /// Whether the object's own cleanup or destroy callbacks are running: KMDF keeps its contexts until they return
    /// (that is what they are for: releasing what a context points to), although the object is already deleted.
    /// </summary>
    public bool InTeardownCallbacks => Volatile.Read(ref tearingDown) > 0;

    private int tearingDown;

    /// <summary>One context of an object, with the callbacks <c>WdfObjectAllocateContext</c> gave it.</summary>
    private sealed record ObjectContext(System.Type Type, object Value,
        EVT_WDF_OBJECT_CONTEXT_CLEANUP? Cleanup, EVT_WDF_OBJECT_CONTEXT_DESTROY? Destroy);
}
