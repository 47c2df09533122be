using DriverBuffers.Framework;
using DriverBuffers.Verifier;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// Object contexts: driver state that lives exactly as long as a framework object. C's
/// <c>WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(DEVICE_CONTEXT, GetDeviceContext)</c> becomes
/// <c>static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) =&gt; WdfObjectGetTypedContext&lt;DEVICE_CONTEXT&gt;(o);</c>.
/// Reaching a context through a deleted object is reported with the rule the object's end names (DRV036).
/// </summary>
public static partial class Wdf
{
    /// <summary>Initialises attributes whose object gets a new <typeparamref name="T"/> as its context (C's macro of the same name).</summary>
    public static void WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<T>(out WDF_OBJECT_ATTRIBUTES Attributes) where T : class, new()
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out Attributes);
        Attributes.ContextTypeInfo = WDF_OBJECT_CONTEXT_TYPE_INFO.For<T>();
    }

    /// <summary>Adds a context type to attributes already initialised (C's <c>WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE</c>).</summary>
    public static void WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE<T>(WDF_OBJECT_ATTRIBUTES Attributes) where T : class, new()
    {
        if (RequiredParameter.Present(Attributes, nameof(WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE), nameof(Attributes)))
        {
            Attributes.ContextTypeInfo = WDF_OBJECT_CONTEXT_TYPE_INFO.For<T>();
        }
    }

    /// <summary>
    /// The object's context of type <typeparamref name="T"/>. An object without such a context is ContextNotAllocated
    /// (KMDF returns NULL, which the driver then dereferences); a deleted object breaks the rule its end names.
    /// </summary>
    public static T WdfObjectGetTypedContext<T>(WDFOBJECT Handle) where T : class
    {
        const string ddi = nameof(WdfObjectGetTypedContext);
        if (Handle.Object is { InTeardownCallbacks: true } dying && dying.GetContext(typeof(T)) is T stillThere)
        {
            // EvtCleanupCallback/EvtDestroyCallback of the object itself: its contexts live until they return.
            return stillThere;
        }
        var obj = HandleValidation.Use(Handle.Object, ddi, Handle.ToString());
        if (obj is null)
        {
            return null!;
        }
        if (obj.GetContext(typeof(T)) is T context)
        {
            return context;
        }
        obj.Runtime.Verifier.Report(Rules.ContextNotAllocated, ddi, obj.HandleName,
            $"{obj.HandleName} has no {typeof(T).Name} context (give it one with WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE when creating it, or WdfObjectAllocateContext)");
        return null!;
    }

    /// <summary>
    /// Gives an existing object another context, of the type in <paramref name="ContextAttributes"/> (with its own
    /// cleanup and destroy callbacks). STATUS_OBJECT_NAME_EXISTS (and the existing context) if it already has one of
    /// that type; STATUS_OBJECT_NAME_INVALID without a context type; STATUS_INVALID_PARAMETER with a parent object.
    /// </summary>
    public static NTSTATUS WdfObjectAllocateContext(WDFOBJECT Handle, WDF_OBJECT_ATTRIBUTES ContextAttributes, out object? Context)
    {
        const string ddi = nameof(WdfObjectAllocateContext);
        Context = null;
        var obj = HandleValidation.Use(Handle.Object, ddi, Handle.ToString());
        if (obj is null || !RequiredParameter.Present(ContextAttributes, ddi, nameof(ContextAttributes)))
        {
            return obj is null ? STATUS_DELETE_PENDING : STATUS_INVALID_PARAMETER;
        }
        if (ContextAttributes.ParentObject.Object is not null)
        {
            return STATUS_INVALID_PARAMETER;
        }
        if (ContextAttributes.ContextTypeInfo is not { } type)
        {
            return STATUS_OBJECT_NAME_INVALID;
        }
        bool created = obj.AllocateContext(type, ContextAttributes.EvtCleanupCallback, ContextAttributes.EvtDestroyCallback, out var context);
        Context = context;
        return created ? STATUS_SUCCESS : STATUS_OBJECT_NAME_EXISTS;
    }
}
