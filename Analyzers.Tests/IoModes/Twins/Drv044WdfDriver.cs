using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV044 twin, WDF's form (SDV DeviceInitAPI): a <c>WDFDEVICE_INIT</c> configured after <c>WdfDeviceCreate</c> consumed
/// it. Compiled and run by <see cref="Drv044WdfTwinTests"/> and analyzed as text by the same tests.
/// </summary>
public static class Drv044WdfDriver
{
    public static NTSTATUS DriverEntryLate(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddSettingIoTypeLate);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    /// <summary>The bug: the I/O type set after the device was created (KMDF freed the WDFDEVICE_INIT).</summary>
    public static NTSTATUS EvtDeviceAddSettingIoTypeLate(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);
        return STATUS_SUCCESS;
    }

    /// <summary>The fix: every DeviceInit call before WdfDeviceCreate.</summary>
    public static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);
        return WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
    }
}
