using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace BuggyDriver;

/// <summary>
/// The echo device's KMDF driver: DriverEntry creates the framework driver; EvtDriverDeviceAdd creates the device
/// (direct I/O, so that writes arrive as an MDL), registers its hardware callbacks, and creates the parallel default
/// queue with the echo callbacks (zero-length reads and writes included).
/// </summary>
public static class EchoDriver
{
    /// <summary>The driver's service key (its registry path), which IOCTL_ECHO_GET_SERVICE_KEY_LENGTH reports.</summary>
    internal static UNICODE_STRING ServiceKey = new();

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        ServiceKey = RegistryPath; // BUG DRV046: the RegistryPath string dies when DriverEntry returns; keep a copy (RtlCopyUnicodeString)
        WDF_DRIVER_CONFIG_INIT(out var config, EchoEvtDeviceAdd);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, out _);
    }

    private static NTSTATUS EchoEvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out var pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDevicePrepareHardware = EchoDevice.EvtDevicePrepareHardware;
        pnpPowerCallbacks.EvtDeviceReleaseHardware = EchoDevice.EvtDeviceReleaseHardware;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out var device);
        if (!NT_SUCCESS(status))
        {
            // Try once more with buffered I/O.
            WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered); // BUG DRV044: WdfDeviceCreate consumed DeviceInit, whatever its status; configure the device before creating it
            status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out device); // BUG DRV044: and a second WdfDeviceCreate of the consumed DeviceInit
            if (!NT_SUCCESS(status))
            {
                return status;
            }
        }

        status = WriteLog.Initialize(device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.AllowZeroLengthRequests = true;
        queueConfig.EvtIoRead = EchoQueue.EvtIoRead;
        queueConfig.EvtIoWrite = EchoQueue.EvtIoWrite;
        queueConfig.EvtIoDeviceControl = EchoQueue.EvtIoDeviceControl;
        return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }
}
