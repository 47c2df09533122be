// Port of Windows-driver-samples general/echo/kmdf/driver/AutoSync/device.c and device.h (MS-PL), translated
// mechanically to the DriverBuffers API. Left out: the KdPrint calls and the alloc_text pragmas.
using System;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace EchoKmdf;

/// <summary>device.h: the device context.</summary>
public sealed class DEVICE_CONTEXT
{
    public ulong PrivateDeviceData;
}

public static class Device
{
    // public.h: {CDC35B6E-0BE4-4936-BF5F-5537380A7C1A}
    public static readonly Guid GUID_DEVINTERFACE_ECHO = new("CDC35B6E-0BE4-4936-BF5F-5537380A7C1A");

    // WDF_DECLARE_CONTEXT_TYPE(DEVICE_CONTEXT)
    public static DEVICE_CONTEXT WdfObjectGet_DEVICE_CONTEXT(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

    public static NTSTATUS EchoDeviceCreate(WDFDEVICE_INIT DeviceInit)
    {
        DEVICE_CONTEXT deviceContext;
        WDFDEVICE device;
        NTSTATUS status;

        PAGED_CODE();

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out var pnpPowerCallbacks);

        // Start and stop the timer as the device gets started and stopped.
        pnpPowerCallbacks.EvtDeviceSelfManagedIoInit = EchoEvtDeviceSelfManagedIoStart;
        pnpPowerCallbacks.EvtDeviceSelfManagedIoSuspend = EchoEvtDeviceSelfManagedIoSuspend;
        pnpPowerCallbacks.EvtDeviceSelfManagedIoRestart = EchoEvtDeviceSelfManagedIoStart;

        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out var deviceAttributes);

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out device);

        if (NT_SUCCESS(status))
        {
            deviceContext = WdfObjectGet_DEVICE_CONTEXT(device);
            deviceContext.PrivateDeviceData = 0;

            // A device interface so that the application can find and talk to us.
            status = WdfDeviceCreateDeviceInterface(device, GUID_DEVINTERFACE_ECHO, null);

            if (NT_SUCCESS(status))
            {
                // Initialize the I/O package and any queues.
                status = Queue.EchoQueueInitialize(device);
            }
        }

        return status;
    }

    private static NTSTATUS EchoEvtDeviceSelfManagedIoStart(WDFDEVICE Device)
    {
        var queueContext = Queue.QueueGetContext(WdfDeviceGetDefaultQueue(Device));

        // Restart the queue and the periodic timer; they were stopped before going into a low power state.
        WdfIoQueueStart(WdfDeviceGetDefaultQueue(Device));

        long dueTime = WDF_REL_TIMEOUT_IN_MS(100);

        WdfTimerStart(queueContext.Timer, dueTime);

        return STATUS_SUCCESS;
    }

    private static NTSTATUS EchoEvtDeviceSelfManagedIoSuspend(WDFDEVICE Device)
    {
        var queueContext = Queue.QueueGetContext(WdfDeviceGetDefaultQueue(Device));

        PAGED_CODE();

        // The framework cannot suspend the device while the driver owns requests: wait until the periodic timer has
        // completed them (the queue is restarted when the device is restarted).
        WdfIoQueueStopSynchronously(WdfDeviceGetDefaultQueue(Device));

        // Stop the timer and wait for its DPC to run to completion if it already fired.
        WdfTimerStop(queueContext.Timer, true);

        return STATUS_SUCCESS;
    }
}
