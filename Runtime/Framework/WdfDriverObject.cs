namespace DriverBuffers.Framework;

/// <summary>
/// The driver object: root of a host's object tree and default parent of driver-created objects. It becomes
/// the driver's <c>WDFDRIVER</c> when <c>DriverEntry</c> calls <c>WdfDriverCreate</c>, which stores its
/// configuration here.
/// </summary>
internal sealed class WdfDriverObject : WdfObject
{
    public WdfDriverObject(DriverRuntime runtime) : base(runtime, "WDFDRIVER", parent: null) { }

    public override string? WhyDriverMayNotDelete => "the driver object is deleted by the framework at unload";

    /// <summary>True once <c>WdfDriverCreate</c> succeeded: the driver is a KMDF driver.</summary>
    public bool Created { get; private set; }

    public EVT_WDF_DRIVER_DEVICE_ADD? EvtDriverDeviceAdd { get; private set; }

    public EVT_WDF_DRIVER_UNLOAD? EvtDriverUnload { get; private set; }

    /// <summary><c>WdfDriverInitNonPnpDriver</c>: the driver creates control devices only; no device-add.</summary>
    public bool NonPnp { get; private set; }

    /// <summary>
    /// The registry path the framework keeps (its own copy, as KMDF: the driver may ask for it later with
    /// <c>WdfDriverGetRegistryPath</c>, unlike the <c>RegistryPath</c> parameter, DRV046).
    /// </summary>
    public string RegistryPath { get; private set; } = string.Empty;

    /// <summary><c>WdfDriverCreate</c>: false if the driver was already created.</summary>
    public bool Configure(WDF_DRIVER_CONFIG config, string registryPath)
    {
        lock (Runtime.Sync)
        {
            if (Created)
            {
                return false;
            }
            Created = true;
            EvtDriverDeviceAdd = config.EvtDriverDeviceAdd;
            EvtDriverUnload = config.EvtDriverUnload;
            NonPnp = (config.DriverInitFlags & Wdf.WdfDriverInitNonPnpDriver) != 0;
            RegistryPath = registryPath;
            return true;
        }
    }
}
