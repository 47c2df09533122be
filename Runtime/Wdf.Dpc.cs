using DriverBuffers.Deferred;
using DriverBuffers.Framework;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Framework DPCs: queued work that runs at DISPATCH_LEVEL when simulated time next moves.</summary>
public static partial class Wdf
{
    /// <summary>Initialises a DPC configuration (automatic serialization on, as in C).</summary>
    public static void WDF_DPC_CONFIG_INIT(out WDF_DPC_CONFIG Config, EVT_WDF_DPC EvtDpcFunc) =>
        Config = new WDF_DPC_CONFIG { Size = 24, EvtDpcFunc = EvtDpcFunc, AutomaticSerialization = true };

    /// <summary>Creates a DPC; a parent leading to a device is required (STATUS_WDF_PARENT_NOT_SPECIFIED).</summary>
    public static NTSTATUS WdfDpcCreate(WDF_DPC_CONFIG Config, WDF_OBJECT_ATTRIBUTES? Attributes, out WDFDPC Dpc)
    {
        var status = DeferredParent.Create(Config, AutomaticSerializationOf(Config), Attributes, nameof(WdfDpcCreate), runtime => new WdfDpcObject(runtime, Config), out var dpc);
        Dpc = new WDFDPC(dpc);
        return status;
    }

    /// <summary>Queues the DPC; FALSE if it was already queued.</summary>
    public static bool WdfDpcEnqueue(WDFDPC Dpc) =>
        HandleValidation.Use(Dpc.Object, nameof(WdfDpcEnqueue), Dpc.ToString())?.Enqueue() ?? false;

    /// <summary>Takes a queued DPC off the queue; TRUE if it was queued (its callback will not run).</summary>
    public static bool WdfDpcCancel(WDFDPC Dpc, bool Wait) =>
        HandleValidation.Use(Dpc.Object, nameof(WdfDpcCancel), Dpc.ToString())?.Dequeue() ?? false;

    /// <summary>The DPC's parent object.</summary>
    public static WDFOBJECT WdfDpcGetParentObject(WDFDPC Dpc) =>
        new(HandleValidation.Use(Dpc.Object, nameof(WdfDpcGetParentObject), Dpc.ToString())?.Parent);
}
