namespace DriverBuffers;

/// <summary>C's <c>WDF_DRIVER_CONFIG</c>; initialise with <see cref="Wdf.WDF_DRIVER_CONFIG_INIT(out WDF_DRIVER_CONFIG, EVT_WDF_DRIVER_DEVICE_ADD?)"/>.</summary>
public sealed class WDF_DRIVER_CONFIG
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>Called for each device the PnP manager reports (not for <c>WdfDriverInitNonPnpDriver</c> drivers).</summary>
    public EVT_WDF_DRIVER_DEVICE_ADD? EvtDriverDeviceAdd { get; set; }

    /// <summary>Called when the driver unloads.</summary>
    public EVT_WDF_DRIVER_UNLOAD? EvtDriverUnload { get; set; }

    /// <summary><c>WdfDriverInitNonPnpDriver</c>, <c>WdfDriverInitNoDispatchOverride</c>.</summary>
    public uint DriverInitFlags { get; set; }

    /// <summary>The tag the framework uses for its own allocations (0: derived from the driver's name).</summary>
    public uint DriverPoolTag { get; set; }
}
