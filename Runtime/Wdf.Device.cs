using System;
using DriverBuffers.Framework;
using DriverBuffers.Queues;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Framework devices: <c>WdfDeviceCreate</c> and what a created device offers.</summary>
public static partial class Wdf
{
    /// <summary>
    /// Creates the device <paramref name="DeviceInit"/> describes, attached above the physical device, and consumes
    /// <paramref name="DeviceInit"/>: any later use of it is DRV044 (KMDF frees it). The device's parent is the driver;
    /// <paramref name="DeviceAttributes"/> gives its context and callbacks.
    /// </summary>
    public static NTSTATUS WdfDeviceCreate(ref WDFDEVICE_INIT DeviceInit, WDF_OBJECT_ATTRIBUTES? DeviceAttributes, out WDFDEVICE Device)
    {
        Device = default;
        if (!UseInit(DeviceInit, nameof(WdfDeviceCreate)))
        {
            return DeviceInit is null ? STATUS_INVALID_PARAMETER : STATUS_INVALID_DEVICE_STATE;
        }
        var init = DeviceInit;
        var runtime = init.Runtime;
        var device = new WdfDeviceObject(runtime, init);
        if (init.DeviceName is { } name && !runtime.Names.AddDevice(name, device.WdmDevice))
        {
            Pnp.FrameworkPnp.Delete(device, "its name was taken");
            return STATUS_OBJECT_NAME_COLLISION;
        }
        device.ApplyContextAndCallbacks(DeviceAttributes);
        init.CreatedDevice = device;
        Device = new WDFDEVICE(device);
        return STATUS_SUCCESS;
    }

    /// <summary>The WDM device object the framework created for the device.</summary>
    public static DEVICE_OBJECT WdfDeviceWdmGetDeviceObject(WDFDEVICE Device) =>
        HandleValidation.Use(Device.Object, nameof(WdfDeviceWdmGetDeviceObject), Device.ToString())?.WdmDevice!;

    /// <summary>The next lower WDM device object (where the default I/O target sends), or NULL.</summary>
    public static DEVICE_OBJECT? WdfDeviceWdmGetAttachedDevice(WDFDEVICE Device) =>
        HandleValidation.Use(Device.Object, nameof(WdfDeviceWdmGetAttachedDevice), Device.ToString())?.WdmDevice.LowerDevice;

    /// <summary>The physical device object at the bottom of the device's stack, or NULL.</summary>
    public static DEVICE_OBJECT? WdfDeviceWdmGetPhysicalDevice(WDFDEVICE Device)
    {
        var lower = WdfDeviceWdmGetAttachedDevice(Device);
        while (lower?.LowerDevice is { } below)
        {
            lower = below;
        }
        return lower;
    }

    /// <summary>Registers a device interface applications find the device by (the host lists them).</summary>
    public static NTSTATUS WdfDeviceCreateDeviceInterface(WDFDEVICE Device, Guid InterfaceClassGuid, UNICODE_STRING? ReferenceString)
    {
        var device = HandleValidation.Use(Device.Object, nameof(WdfDeviceCreateDeviceInterface), Device.ToString());
        if (device is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        device.AddInterface(InterfaceClassGuid);
        return STATUS_SUCCESS;
    }

    /// <summary>The device's default queue (the null handle if it has none).</summary>
    public static WDFQUEUE WdfDeviceGetDefaultQueue(WDFDEVICE Device) =>
        new(HandleValidation.Use(Device.Object, nameof(WdfDeviceGetDefaultQueue), Device.ToString())?.DefaultQueue);

    /// <summary>
    /// Sends every request of <paramref name="RequestType"/> (read, write, device control, internal device control,
    /// create) to <paramref name="Queue"/> instead of the default queue. STATUS_INVALID_PARAMETER for another type or
    /// a queue of another device; STATUS_WDF_BUSY if the type already goes to another queue.
    /// </summary>
    public static NTSTATUS WdfDeviceConfigureRequestDispatching(WDFDEVICE Device, WDFQUEUE Queue, WDF_REQUEST_TYPE RequestType)
    {
        const string ddi = nameof(WdfDeviceConfigureRequestDispatching);
        var device = HandleValidation.Use(Device.Object, ddi, Device.ToString());
        var queue = HandleValidation.Use(Queue.Object, ddi, Queue.ToString());
        if (device is null || queue is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        bool dispatchable = RequestType is WdfRequestTypeRead or WdfRequestTypeWrite or WdfRequestTypeDeviceControl
            or WdfRequestTypeDeviceControlInternal or WdfRequestTypeCreate;
        if (!dispatchable || queue.Device != device)
        {
            return STATUS_INVALID_PARAMETER;
        }
        return device.ConfigureDispatching(RequestType, queue) ? STATUS_SUCCESS : STATUS_WDF_BUSY;
    }
}
