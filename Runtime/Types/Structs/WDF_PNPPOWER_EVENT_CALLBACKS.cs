namespace DriverBuffers;

/// <summary>
/// C's <c>WDF_PNPPOWER_EVENT_CALLBACKS</c>; initialise with <see cref="Wdf.WDF_PNPPOWER_EVENT_CALLBACKS_INIT"/> and register
/// with <see cref="Wdf.WdfDeviceInitSetPnpPowerEventCallbacks"/>. A started device has gone through PrepareHardware,
/// D0Entry and SelfManagedIoInit; removing it runs SelfManagedIoSuspend, D0Exit, SelfManagedIoFlush,
/// ReleaseHardware and SelfManagedIoCleanup.
/// </summary>
public sealed class WDF_PNPPOWER_EVENT_CALLBACKS
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>The device enters D0.</summary>
    public EVT_WDF_DEVICE_D0_ENTRY? EvtDeviceD0Entry { get; set; }

    /// <summary>The device leaves D0.</summary>
    public EVT_WDF_DEVICE_D0_EXIT? EvtDeviceD0Exit { get; set; }

    /// <summary>The device starts: map resources, allocate what the hardware needs.</summary>
    public EVT_WDF_DEVICE_PREPARE_HARDWARE? EvtDevicePrepareHardware { get; set; }

    /// <summary>The device stops: release what PrepareHardware took.</summary>
    public EVT_WDF_DEVICE_RELEASE_HARDWARE? EvtDeviceReleaseHardware { get; set; }

    /// <summary>Self-managed I/O starts, after the first D0 entry.</summary>
    public EVT_WDF_DEVICE_SELF_MANAGED_IO_INIT? EvtDeviceSelfManagedIoInit { get; set; }

    /// <summary>Self-managed I/O suspends before the device leaves D0.</summary>
    public EVT_WDF_DEVICE_SELF_MANAGED_IO_SUSPEND? EvtDeviceSelfManagedIoSuspend { get; set; }

    /// <summary>Self-managed I/O restarts after a suspend.</summary>
    public EVT_WDF_DEVICE_SELF_MANAGED_IO_RESTART? EvtDeviceSelfManagedIoRestart { get; set; }

    /// <summary>Self-managed I/O flushes when the device is removed.</summary>
    public EVT_WDF_DEVICE_SELF_MANAGED_IO_FLUSH? EvtDeviceSelfManagedIoFlush { get; set; }

    /// <summary>Self-managed I/O cleans up, last, before the device is deleted.</summary>
    public EVT_WDF_DEVICE_SELF_MANAGED_IO_CLEANUP? EvtDeviceSelfManagedIoCleanup { get; set; }

    /// <summary>The device was unplugged.</summary>
    public EVT_WDF_DEVICE_SURPRISE_REMOVAL? EvtDeviceSurpriseRemoval { get; set; }

    /// <summary>A copy, so the driver changing its structure after registering it changes nothing (as in C).</summary>
    internal WDF_PNPPOWER_EVENT_CALLBACKS Copy() => (WDF_PNPPOWER_EVENT_CALLBACKS)MemberwiseClone();
}
