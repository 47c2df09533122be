using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Queues;
using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers.Pnp;

/// <summary>
/// The PnP and power sequences KMDF runs for a device, driven by the PnP IRPs the host sends. Start:
/// <c>EvtDevicePrepareHardware</c>, <c>EvtDeviceD0Entry(WdfPowerDeviceD3Final)</c>, power-managed queues start,
/// <c>EvtDeviceSelfManagedIoInit</c>. Remove: <c>EvtDeviceSelfManagedIoSuspend</c>, power-managed queues stop
/// (<c>EvtIoStop</c> with the purge action for every request the driver owns; the framework waits, on simulated
/// time, until each is completed or acknowledged), <c>EvtDeviceD0Exit(WdfPowerDeviceD3Final)</c>,
/// <c>EvtDeviceSelfManagedIoFlush</c>, every queue purged (waiting requests canceled) and drained, the device's I/O
/// targets purged (what is pending there canceled, and every sent request waited for until it came back),
/// <c>EvtDeviceReleaseHardware</c>, <c>EvtDeviceSelfManagedIoCleanup</c>, and the device is deleted. Callbacks run at
/// PASSIVE_LEVEL. A request the driver never completes keeps waiting (a real system would hang); it is reported
/// as DRV004 when the driver unloads.
/// </summary>
internal static class FrameworkPnp
{
    public static NTSTATUS Handle(WdfDeviceObject device, byte minorFunction) => minorFunction switch
    {
        Wdm.IRP_MN_START_DEVICE => Start(device),
        Wdm.IRP_MN_REMOVE_DEVICE => Remove(device),
        Wdm.IRP_MN_SURPRISE_REMOVAL => SurpriseRemove(device),
        _ => Wdm.STATUS_SUCCESS,
    };

    public static NTSTATUS Start(WdfDeviceObject device)
    {
        var callbacks = device.PnpPowerCallbacks;
        var wdf = new WDFDEVICE(device);
        var raw = new WDFCMRESLIST(new WdfResourceListObject(device.Runtime, device));
        var translated = new WDFCMRESLIST(new WdfResourceListObject(device.Runtime, device));
        var status = Call(device, "EvtDevicePrepareHardware", callbacks?.EvtDevicePrepareHardware is { } prepare ? () => prepare(wdf, raw, translated) : null);
        if (!Wdm.NT_SUCCESS(status))
        {
            Call(device, "EvtDeviceReleaseHardware", callbacks?.EvtDeviceReleaseHardware is { } release ? () => release(wdf, translated) : null);
            return status;
        }
        status = Call(device, "EvtDeviceD0Entry", callbacks?.EvtDeviceD0Entry is { } d0Entry
            ? () => d0Entry(wdf, WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3Final) : null);
        if (!Wdm.NT_SUCCESS(status))
        {
            Call(device, "EvtDeviceReleaseHardware", callbacks?.EvtDeviceReleaseHardware is { } release ? () => release(wdf, translated) : null);
            return status;
        }
        device.ResourcesTranslated = translated;
        device.InWorkingState = true;
        foreach (var queue in device.Queues.Where(q => q.PowerManaged))
        {
            queue.ResumeDriverOwnedRequests();
        }
        bool first = !device.EverStarted;
        device.EverStarted = true;
        return first
            ? Call(device, "EvtDeviceSelfManagedIoInit", callbacks?.EvtDeviceSelfManagedIoInit is { } init ? () => init(wdf) : null)
            : Call(device, "EvtDeviceSelfManagedIoRestart", callbacks?.EvtDeviceSelfManagedIoRestart is { } restart ? () => restart(wdf) : null);
    }

    public static NTSTATUS Remove(WdfDeviceObject device)
    {
        var callbacks = device.PnpPowerCallbacks;
        var wdf = new WDFDEVICE(device);
        var runtime = device.Runtime;
        if (device.InWorkingState)
        {
            Call(device, "EvtDeviceSelfManagedIoSuspend", callbacks?.EvtDeviceSelfManagedIoSuspend is { } suspend ? () => suspend(wdf) : null);
            device.InWorkingState = false;
            var powerManaged = device.Queues.Where(q => q.PowerManaged).ToArray();
            foreach (var queue in powerManaged)
            {
                queue.StopDriverOwnedRequests(purge: true);
            }
            runtime.WaitFor(() => powerManaged.All(q => q.AllDriverOwnedStopped));
            Call(device, "EvtDeviceD0Exit", callbacks?.EvtDeviceD0Exit is { } d0Exit
                ? () => d0Exit(wdf, WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3Final) : null);
        }
        if (device.EverStarted)
        {
            CallVoid(device, "EvtDeviceSelfManagedIoFlush", callbacks?.EvtDeviceSelfManagedIoFlush is { } flush ? () => flush(wdf) : null);
        }
        var queues = device.Queues;
        foreach (var queue in queues)
        {
            queue.Purge(null, null);
        }
        // The framework purges the device's I/O targets: what is pending there is canceled, and the removal waits until
        // every request sent through them has come back, including completions another thread is delivering.
        var targets = device.Descendants<Targets.WdfIoTargetObject>().ToArray();
        foreach (var target in targets)
        {
            target.CancelPending();
        }
        runtime.WaitFor(() => queues.All(q => q.IsIdle) && !targets.Any(t => t.HasSentRequestsOutstanding));
        if (device.ResourcesTranslated is { } translated)
        {
            Call(device, "EvtDeviceReleaseHardware", callbacks?.EvtDeviceReleaseHardware is { } release ? () => release(wdf, translated) : null);
        }
        if (device.EverStarted)
        {
            CallVoid(device, "EvtDeviceSelfManagedIoCleanup", callbacks?.EvtDeviceSelfManagedIoCleanup is { } cleanup ? () => cleanup(wdf) : null);
        }
        Delete(device, "the device was removed");
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>
    /// The device leaves D0 for a while (system sleep, idle): <c>EvtDeviceSelfManagedIoSuspend</c>, power-managed queues
    /// stop (<c>EvtIoStop</c> with the suspend action for every request the driver owns; the framework waits on
    /// simulated time until each is acknowledged or completed), <c>EvtDeviceD0Exit(WdfPowerDeviceD3)</c>.
    /// </summary>
    public static NTSTATUS PowerDown(WdfDeviceObject device)
    {
        var callbacks = device.PnpPowerCallbacks;
        var wdf = new WDFDEVICE(device);
        Call(device, "EvtDeviceSelfManagedIoSuspend", callbacks?.EvtDeviceSelfManagedIoSuspend is { } suspend ? () => suspend(wdf) : null);
        device.InWorkingState = false;
        var powerManaged = device.Queues.Where(q => q.PowerManaged).ToArray();
        foreach (var queue in powerManaged)
        {
            queue.StopDriverOwnedRequests(purge: false);
        }
        device.Runtime.WaitFor(() => powerManaged.All(q => q.AllDriverOwnedStopped));
        return Call(device, "EvtDeviceD0Exit", callbacks?.EvtDeviceD0Exit is { } d0Exit
            ? () => d0Exit(wdf, WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3) : null);
    }

    /// <summary>
    /// The device comes back to D0: <c>EvtDeviceD0Entry(WdfPowerDeviceD3)</c>, power-managed queues restart
    /// (<c>EvtIoResume</c> for acknowledged requests, then waiting requests are presented),
    /// <c>EvtDeviceSelfManagedIoRestart</c>.
    /// </summary>
    public static NTSTATUS PowerUp(WdfDeviceObject device)
    {
        var callbacks = device.PnpPowerCallbacks;
        var wdf = new WDFDEVICE(device);
        var status = Call(device, "EvtDeviceD0Entry", callbacks?.EvtDeviceD0Entry is { } d0Entry
            ? () => d0Entry(wdf, WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3) : null);
        if (!Wdm.NT_SUCCESS(status))
        {
            return status;
        }
        device.InWorkingState = true;
        foreach (var queue in device.Queues.Where(q => q.PowerManaged))
        {
            queue.ResumeDriverOwnedRequests();
        }
        return Call(device, "EvtDeviceSelfManagedIoRestart", callbacks?.EvtDeviceSelfManagedIoRestart is { } restart ? () => restart(wdf) : null);
    }

    private static NTSTATUS SurpriseRemove(WdfDeviceObject device)
    {
        var wdf = new WDFDEVICE(device);
        CallVoid(device, "EvtDeviceSurpriseRemoval", device.PnpPowerCallbacks?.EvtDeviceSurpriseRemoval is { } removal ? () => removal(wdf) : null);
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>Deletes a device: its children (queues, timers, memory, ...) and its WDM device object.</summary>
    public static void Delete(WdfDeviceObject device, string why)
    {
        device.EndTree(new EndReason(Rules.UseAfterDelete, $"{device.HandleName} was deleted by the framework ({why})"));
        if (device.WdmDevice.LowerDevice is { } lower)
        {
            Wdm.IoDetachDevice(lower);
        }
    }

    private static NTSTATUS Call(WdfDeviceObject device, string name, System.Func<NTSTATUS>? callback) =>
        callback is null ? Wdm.STATUS_SUCCESS : ThreadIrql.RunCallback(device.Runtime, KIRQL.PASSIVE_LEVEL, name, callback);

    private static void CallVoid(WdfDeviceObject device, string name, System.Action? callback)
    {
        if (callback is not null)
        {
            ThreadIrql.RunCallback(device.Runtime, KIRQL.PASSIVE_LEVEL, name, callback);
        }
    }
}
