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
    public uint Size { get; set; }

    /// <summary>The parent: the object is deleted when its parent is deleted.</summary>
    public WDFOBJECT ParentObject { get; set; }

    /// <summary>Called when the object is deleted, before its children are gone.</summary>
    public EVT_WDF_OBJECT_CONTEXT_CLEANUP? EvtCleanupCallback { get; set; }

    /// <summary>Called when the object's last reference is gone.</summary>
    public EVT_WDF_OBJECT_CONTEXT_DESTROY? EvtDestroyCallback { get; set; }

    /// <summary>C's <c>NULL</c> for optional attributes; only NULL converts.</summary>
    public static implicit operator WDF_OBJECT_ATTRIBUTES?(PVOID pointer) =>
        NullOnly.Convert<WDF_OBJECT_ATTRIBUTES?>(pointer, null);
}
