using System;
using DriverBuffers.Framework;
using DriverBuffers.Queues;

namespace DriverBuffers.Deferred;

/// <summary>
/// Creating a timer, work item or DPC: a configuration is required, and a parent, <c>Attributes.ParentObject</c>: a
/// device or an object whose chain of parents leads to one (a queue, ...). STATUS_WDF_PARENT_NOT_SPECIFIED
/// without one, STATUS_INVALID_DEVICE_REQUEST for a parent that leads to no device. With <c>AutomaticSerialization</c>
/// and a parent device or queue that has a synchronization scope, the callback runs under the parent's callback lock;
/// STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL when that lock is not of the callback's kind (a wait lock for a timer or DPC,
/// a spin lock for a work item), as KMDF's FxObject::_GetEffectiveLock.
/// </summary>
internal static class DeferredParent
{
    public static NTSTATUS Create<T>(object? config, bool automaticSerialization, WDF_OBJECT_ATTRIBUTES? attributes, string ddi,
        Func<DriverRuntime, T> create, out T? created) where T : DeferredWorkObject
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
        var callbackLock = automaticSerialization ? CallbackLockOf(parent!) : null;
        bool passiveCallback = typeof(T) == typeof(WdfWorkItemObject);
        if (callbackLock is not null && callbackLock.Passive != passiveCallback)
        {
            return Wdm.STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL;
        }
        created = create(parent!.Runtime);
        created.ApplyAttributes(attributes, parent);
        created.SerializedWith = callbackLock;
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>The callback lock of a parent device or queue (its synchronization scope's), or null.</summary>
    private static Synchronization.CallbackLock? CallbackLockOf(WdfObject parent) => parent switch
    {
        WdfQueueObject queue => queue.SyncLock,
        WdfDeviceObject device => device.DeviceScopeLock,
        _ => null,
    };

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
