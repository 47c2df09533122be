namespace DriverBuffers;

/// <summary>Cleanup/destroy callback of a framework object (<c>EVT_WDF_OBJECT_CONTEXT_CLEANUP</c>).</summary>
public delegate void EVT_WDF_OBJECT_CONTEXT_CLEANUP(WDFOBJECT Object);

/// <summary>Destroy callback of a framework object (<c>EVT_WDF_OBJECT_CONTEXT_DESTROY</c>).</summary>
public delegate void EVT_WDF_OBJECT_CONTEXT_DESTROY(WDFOBJECT Object);

/// <summary>
/// C's <c>WDF_OBJECT_ATTRIBUTES</c>. Initialise with <see cref="Wdf.WDF_OBJECT_ATTRIBUTES_INIT"/>; pass
/// <see cref="Wdf.WDF_NO_OBJECT_ATTRIBUTES"/> (null) where C passes it.
/// </summary>
public sealed class WDF_OBJECT_ATTRIBUTES
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>The parent: the object is deleted when its parent is deleted.</summary>
    public WDFOBJECT ParentObject { get; set; }

    /// <summary>Called when the object is deleted, before its children are gone.</summary>
    public EVT_WDF_OBJECT_CONTEXT_CLEANUP? EvtCleanupCallback { get; set; }

    /// <summary>Called when the object's last reference is gone.</summary>
    public EVT_WDF_OBJECT_CONTEXT_DESTROY? EvtDestroyCallback { get; set; }

    /// <summary>
    /// The context the new object gets (C's <c>ContextTypeInfo</c>), set by
    /// <see cref="Wdf.WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE{T}"/> or <see cref="Wdf.WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE{T}"/>.
    /// </summary>
    public WDF_OBJECT_CONTEXT_TYPE_INFO? ContextTypeInfo { get; set; }

    /// <summary>C's <c>ContextSizeOverride</c> (accepted; a context is always a whole object).</summary>
    public nuint ContextSizeOverride { get; set; }

    /// <summary>C's <c>ExecutionLevel</c>: the kind of callback lock a synchronization scope gives (see the runtime README).</summary>
    public WDF_EXECUTION_LEVEL ExecutionLevel { get; set; }

    /// <summary>C's <c>SynchronizationScope</c>: device or queue scope serializes queue callbacks (see the runtime README).</summary>
    public WDF_SYNCHRONIZATION_SCOPE SynchronizationScope { get; set; }

    /// <summary>A copy, so the driver reusing its structure for the next object changes nothing (as in C).</summary>
    internal WDF_OBJECT_ATTRIBUTES Copy() => (WDF_OBJECT_ATTRIBUTES)MemberwiseClone();

    /// <summary>C's <c>NULL</c> for optional attributes; only NULL converts.</summary>
    public static implicit operator WDF_OBJECT_ATTRIBUTES?(PVOID pointer) =>
        NullOnly.Convert<WDF_OBJECT_ATTRIBUTES?>(pointer, null);
}
