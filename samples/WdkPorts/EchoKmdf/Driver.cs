// Port of Windows-driver-samples general/echo/kmdf/driver/AutoSync/driver.c (MS-PL), translated mechanically to the
// DriverBuffers API. Left out: EchoPrintDriverVersion (WdfStringCreate, WdfDriverRetrieveVersionString and
// WdfDriverIsVersionAvailable are not in the API; it only prints under DBG), the KdPrint calls, the alloc_text pragmas.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace EchoKmdf;

public static class Driver
{
    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out var config, EchoEvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, out _);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    private static NTSTATUS EchoEvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status;

        UNREFERENCED_PARAMETER(Driver);

        PAGED_CODE();

        status = Device.EchoDeviceCreate(DeviceInit);

        return status;
    }
}
