using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace CorrectDriver;

/// <summary>
/// The echo device's KMDF driver: DriverEntry creates the framework driver; EvtDriverDeviceAdd creates the device
/// (direct I/O, so that writes arrive as an MDL), registers its hardware callbacks, and creates the parallel default
/// queue with the echo callbacks (zero-length reads and writes included).
/// </summary>
public static class EchoDriver
{
    /// <summary>The pool tag of the service key's copy, 'Ekey'.</summary>
    public const uint ServiceKeyTag = 0x79656B45;

    /// <summary>
    /// A copy of the driver's service key (its registry path), which IOCTL_ECHO_GET_SERVICE_KEY_LENGTH reports: the
    /// RegistryPath string dies when DriverEntry returns, so the driver keeps a copy in pool it owns and frees at unload.
    /// </summary>
    internal static readonly UNICODE_STRING ServiceKey = new();

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        ushort size = (ushort)(RegistryPath.Length + sizeof(char));
        ServiceKey.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, size, ServiceKeyTag);
        if (ServiceKey.Buffer == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        ServiceKey.MaximumLength = size;
        RtlCopyUnicodeString(ServiceKey, RegistryPath);

        WDF_DRIVER_CONFIG_INIT(out var config, EchoEvtDeviceAdd);
        config.EvtDriverUnload = EchoEvtDriverUnload;
        var status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, out _);
        if (!NT_SUCCESS(status))
        {
            FreeServiceKey();
        }

        return status;
    }

    /// <summary>EvtDriverUnload: frees the copy of the service key.</summary>
    private static void EchoEvtDriverUnload(WDFDRIVER Driver) => FreeServiceKey();

    private static void FreeServiceKey()
    {
        if (ServiceKey.Buffer != NULL)
        {
            ExFreePoolWithTag(ServiceKey.Buffer, ServiceKeyTag);
            ServiceKey.Buffer = NULL;
            ServiceKey.Length = 0;
            ServiceKey.MaximumLength = 0;
        }
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
            return status;
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
