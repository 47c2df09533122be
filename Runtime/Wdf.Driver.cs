using DriverBuffers.Framework;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>The KMDF driver object: <c>WdfDriverCreate</c> in <c>DriverEntry</c>.</summary>
public static partial class Wdf
{
    /// <summary>Initialises a driver configuration with its device-add callback (C's <c>WDF_DRIVER_CONFIG_INIT</c>).</summary>
    public static void WDF_DRIVER_CONFIG_INIT(out WDF_DRIVER_CONFIG Config, EVT_WDF_DRIVER_DEVICE_ADD? EvtDriverDeviceAdd) =>
        Config = new WDF_DRIVER_CONFIG { Size = 32, EvtDriverDeviceAdd = EvtDriverDeviceAdd };

    /// <summary><see cref="WDF_DRIVER_CONFIG_INIT(out WDF_DRIVER_CONFIG, EVT_WDF_DRIVER_DEVICE_ADD?)"/> with <c>WDF_NO_EVENT_CALLBACK</c> (a non-PnP driver).</summary>
    public static void WDF_DRIVER_CONFIG_INIT(out WDF_DRIVER_CONFIG Config, PVOID EvtDriverDeviceAdd)
    {
        NullOnly.Convert(EvtDriverDeviceAdd, 0);
        WDF_DRIVER_CONFIG_INIT(out Config, (EVT_WDF_DRIVER_DEVICE_ADD?)null);
    }

    /// <summary>
    /// Makes the driver a KMDF driver: the framework takes over <paramref name="DriverObject"/>'s dispatch
    /// routines, AddDevice (which calls <c>EvtDriverDeviceAdd</c>) and unload (which calls <c>EvtDriverUnload</c>).
    /// The framework keeps its own copy of <paramref name="RegistryPath"/>. STATUS_INVALID_DEVICE_STATE when called twice.
    /// </summary>
    public static NTSTATUS WdfDriverCreate(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath,
        WDF_OBJECT_ATTRIBUTES? DriverAttributes, WDF_DRIVER_CONFIG DriverConfig, out WDFDRIVER Driver)
    {
        Driver = default;
        const string ddi = nameof(WdfDriverCreate);
        if (!RequiredParameter.Present(DriverObject, ddi, nameof(DriverObject))
            || !RequiredParameter.Present(RegistryPath, ddi, nameof(RegistryPath))
            || !RequiredParameter.Present(DriverConfig, ddi, nameof(DriverConfig)))
        {
            return STATUS_INVALID_PARAMETER;
        }
        var driver = DriverObject.Runtime.Driver;
        if (!driver.Configure(DriverConfig, RegistryPath.ToString()))
        {
            return STATUS_INVALID_DEVICE_STATE;
        }
        driver.ApplyContextAndCallbacks(DriverAttributes);
        FrameworkDispatch.Install(DriverObject, driver);
        Driver = new WDFDRIVER(driver);
        return STATUS_SUCCESS;
    }

    /// <summary><see cref="WdfDriverCreate(DRIVER_OBJECT, UNICODE_STRING, WDF_OBJECT_ATTRIBUTES?, WDF_DRIVER_CONFIG, out WDFDRIVER)"/> with <c>WDF_NO_HANDLE</c> for the driver handle.</summary>
    public static NTSTATUS WdfDriverCreate(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath,
        WDF_OBJECT_ATTRIBUTES? DriverAttributes, WDF_DRIVER_CONFIG DriverConfig, WdfNoHandle Driver) =>
        WdfDriverCreate(DriverObject, RegistryPath, DriverAttributes, DriverConfig, out WDFDRIVER _);

    /// <summary>The driver's <c>WDFDRIVER</c> (the null handle before <c>WdfDriverCreate</c>).</summary>
    public static WDFDRIVER WdfGetDriver()
    {
        var driver = AmbientRuntime.Current.Driver;
        return driver.Created ? new WDFDRIVER(driver) : default;
    }

    /// <summary>The WDM driver object behind a <c>WDFDRIVER</c>.</summary>
    public static DRIVER_OBJECT WdfDriverWdmGetDriverObject(WDFDRIVER Driver) =>
        HandleValidation.Use(Driver.Object, nameof(WdfDriverWdmGetDriverObject), Driver.ToString())?.Runtime.DriverObject!;
}
