using DriverBuffers.Deferred;
using DriverBuffers.Framework;
using DriverBuffers.Synchronization;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// Framework work items: queued work that runs at PASSIVE_LEVEL when simulated time next moves (or at once on
/// <c>WdfWorkItemFlush</c>).
/// </summary>
public static partial class Wdf
{
    /// <summary>Initialises a work-item configuration (automatic serialization on, as in C).</summary>
    public static void WDF_WORKITEM_CONFIG_INIT(out WDF_WORKITEM_CONFIG Config, EVT_WDF_WORKITEM EvtWorkItemFunc) =>
        Config = new WDF_WORKITEM_CONFIG { Size = 24, EvtWorkItemFunc = EvtWorkItemFunc, AutomaticSerialization = true };

    /// <summary>Creates a work item; a parent leading to a device is required (STATUS_WDF_PARENT_NOT_SPECIFIED).</summary>
    public static NTSTATUS WdfWorkItemCreate(WDF_WORKITEM_CONFIG Config, WDF_OBJECT_ATTRIBUTES? Attributes, out WDFWORKITEM WorkItem)
    {
        var status = DeferredParent.Create(Config, AutomaticSerializationOf(Config), Attributes, nameof(WdfWorkItemCreate), runtime => new WdfWorkItemObject(runtime, Config), out var workItem);
        WorkItem = new WDFWORKITEM(workItem);
        return status;
    }

    /// <summary>Queues the work item (once: queuing it again before it ran does nothing).</summary>
    public static void WdfWorkItemEnqueue(WDFWORKITEM WorkItem) =>
        HandleValidation.Use(WorkItem.Object, nameof(WdfWorkItemEnqueue), WorkItem.ToString())?.Enqueue();

    /// <summary>Waits for the work item (PASSIVE_LEVEL only): a queued one runs now, on this thread.</summary>
    public static void WdfWorkItemFlush(WDFWORKITEM WorkItem)
    {
        var workItem = HandleValidation.Use(WorkItem.Object, nameof(WdfWorkItemFlush), WorkItem.ToString());
        if (workItem is not null && ThreadIrql.Check(KIRQL.PASSIVE_LEVEL, nameof(WdfWorkItemFlush), workItem.HandleName))
        {
            workItem.Flush();
        }
    }

    /// <summary>The work item's parent object.</summary>
    public static WDFOBJECT WdfWorkItemGetParentObject(WDFWORKITEM WorkItem) =>
        new(HandleValidation.Use(WorkItem.Object, nameof(WdfWorkItemGetParentObject), WorkItem.ToString())?.Parent);
}
