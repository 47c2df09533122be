using System;
using DriverBuffers.Framework;
using DriverBuffers.Queues;

namespace DriverBuffers.Deferred;

/// <summary>
/// Creating a timer, work item or DPC: a configuration is required, and a parent, <c>Attributes.ParentObject</c>: a
/// device or an object whose chain of parents leads to one (a queue, ...). STATUS_WDF_PARENT_NOT_SPECIFIED
/// without one, STATUS_INVALID_DEVICE_REQUEST for a parent that leads to no device.
/// </summary>
internal static class DeferredParent
{
    public static NTSTATUS Create<T>(object? config, WDF_OBJECT_ATTRIBUTES? attributes, string ddi,
        Func<DriverRuntime, T> create, out T? created) where T : WdfObject
    {
        created = null;
        if (!RequiredParameter.Present(config, ddi, "Config"))
        {
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        var status = Resolve(attributes, ddi, out var parent);
        if (!Wdm.NT_SUCCESS(status))
        {
            return status;
        }
        created = create(parent!.Runtime);
        created.ApplyAttributes(attributes, parent);
        return Wdm.STATUS_SUCCESS;
    }

    private static NTSTATUS Resolve(WDF_OBJECT_ATTRIBUTES? attributes, string ddi, out WdfObject? parent)
    {
        parent = null;
        if (attributes?.ParentObject.Object is not { } candidate)
        {
            return Wdm.STATUS_WDF_PARENT_NOT_SPECIFIED;
        }
        if (HandleValidation.Use(candidate, ddi, attributes.ParentObject.ToString()) is null)
        {
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        for (var ancestor = candidate; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ancestor is WdfDeviceObject)
            {
                parent = candidate;
                return Wdm.STATUS_SUCCESS;
            }
        }
        return Wdm.STATUS_INVALID_DEVICE_REQUEST;
    }
}
