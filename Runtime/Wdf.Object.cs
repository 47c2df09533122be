using DriverBuffers.Framework;
using DriverBuffers.Verifier;

using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Generic framework object DDIs.</summary>
public static partial class Wdf
{
    /// <summary>
    /// Deletes a framework object and its children. Memory from <c>WdfMemoryCreate</c> frees its buffer and
    /// memory from a lookaside returns it, once no I/O target or driver reference still needs it;
    /// preallocated memory leaves the driver's buffer alone. Requests delivered by a queue and request
    /// buffers cannot be deleted (they end when the request completes).
    /// </summary>
    public static void WdfObjectDelete(WDFOBJECT Object)
    {
        var obj = HandleValidation.Use(Object.Object, nameof(WdfObjectDelete), Object.ToString());
        if (obj is null)
        {
            return;
        }
        if (obj.WhyDriverMayNotDelete is { } why)
        {
            obj.Runtime.Verifier.Report(Rules.InvalidObjectDelete, nameof(WdfObjectDelete), obj.HandleName, why);
            return;
        }
        obj.EndTree(new EndReason(Rules.UseAfterDelete, $"{obj.HandleName} was deleted by WdfObjectDelete"));
    }

    /// <summary>
    /// Creates an object whose parent is the attributes' parent, else the driver, with the attributes' context and
    /// callbacks; STATUS_INVALID_PARAMETER for a parent that is no longer valid.
    /// </summary>
    private static NTSTATUS CreateObject<T>(WDF_OBJECT_ATTRIBUTES? attributes, string ddi, System.Func<DriverRuntime, T> create, out T? created)
        where T : WdfObject
    {
        created = null;
        var runtime = RuntimeFor(attributes, ddi, out bool parentValid);
        if (!parentValid)
        {
            return STATUS_INVALID_PARAMETER;
        }
        created = create(runtime);
        created.ApplyAttributes(attributes, runtime.Driver);
        return STATUS_SUCCESS;
    }

    /// <summary>Takes a reference that keeps the object's memory alive after deletion until <see cref="WdfObjectDereference"/>.</summary>
    public static void WdfObjectReference(WDFOBJECT Handle)
    {
        HandleValidation.Use(Handle.Object, nameof(WdfObjectReference), Handle.ToString())?.Reference();
    }

    /// <summary>Releases a reference taken with <see cref="WdfObjectReference"/> (also after the object was deleted).</summary>
    public static void WdfObjectDereference(WDFOBJECT Handle)
    {
        var obj = Handle.Object;
        if (obj is null)
        {
            HandleValidation.Use(obj, nameof(WdfObjectDereference), Handle.ToString());
            return;
        }
        if (!obj.Dereference())
        {
            if (obj.End is { } end)
            {
                obj.Runtime.Verifier.Report(end.Rule, nameof(WdfObjectDereference), obj.HandleName, end.Detail);
                return;
            }
            obj.Runtime.Verifier.Report(Rules.ReferenceCountUnderflow, nameof(WdfObjectDereference), obj.HandleName,
                "no reference taken with WdfObjectReference is outstanding");
        }
    }
}
