using System;
using System.Collections.Generic;
using DriverBuffers.Runtime.Tests.TestSupport;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>
/// A small KMDF driver written as a WDK sample is, from DriverEntry down: a device with a context, a sequential
/// default queue that keeps the last write in its queue context and returns it on reads, and PnP callbacks that
/// record the order the framework calls them in. Each instance is one loaded driver (its "globals").
/// </summary>
internal sealed class KmdfEchoDriver
{
    public static readonly Guid InterfaceGuid = new("2e9c7a56-3f4b-4c1d-9a57-7e0f3c1b2a10");

    public readonly List<string> Calls = new();
    public WDF_IO_QUEUE_DISPATCH_TYPE DispatchType = WdfIoQueueDispatchSequential;
    public NTSTATUS DeviceAddStatus = STATUS_SUCCESS;
    public bool TouchDeviceInitAfterCreate;
    public WDFDEVICE Device;
    public WDFQUEUE Queue;

    public sealed class DEVICE_CONTEXT
    {
        public uint PrivateDeviceData;
        public PVOID HardwareBuffer;
    }

    public sealed class QUEUE_CONTEXT
    {
        public PVOID Buffer;
        public nuint Length;
    }

    public sealed class REQUEST_CONTEXT
    {
        public int Presented;
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

    public static QUEUE_CONTEXT GetQueueContext(WDFOBJECT o) => WdfObjectGetTypedContext<QUEUE_CONTEXT>(o);

    public NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        Calls.Add("DriverEntry");
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
        config.EvtDriverUnload = driver => Calls.Add("EvtDriverUnload");
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    private NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        Calls.Add("EvtDriverDeviceAdd");
        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out var pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDevicePrepareHardware = EvtDevicePrepareHardware;
        pnpPowerCallbacks.EvtDeviceReleaseHardware = EvtDeviceReleaseHardware;
        pnpPowerCallbacks.EvtDeviceD0Entry = (device, previous) => { Calls.Add($"EvtDeviceD0Entry({previous})"); return STATUS_SUCCESS; };
        pnpPowerCallbacks.EvtDeviceD0Exit = (device, target) => { Calls.Add($"EvtDeviceD0Exit({target})"); return STATUS_SUCCESS; };
        pnpPowerCallbacks.EvtDeviceSelfManagedIoInit = device => { Calls.Add("EvtDeviceSelfManagedIoInit"); return STATUS_SUCCESS; };
        pnpPowerCallbacks.EvtDeviceSelfManagedIoCleanup = device => Calls.Add("EvtDeviceSelfManagedIoCleanup");
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);
        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<REQUEST_CONTEXT>(out var requestAttributes);
        WdfDeviceInitSetRequestAttributes(DeviceInit, requestAttributes);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out var attributes);
        var status = WdfDeviceCreate(ref DeviceInit, attributes, out Device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        if (TouchDeviceInitAfterCreate)
        {
            WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);
        }
        GetDeviceContext(Device).PrivateDeviceData = 7;
        status = WdfDeviceCreateDeviceInterface(Device, InterfaceGuid, NULL);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, DispatchType);
        queueConfig.EvtIoRead = EvtIoRead;
        queueConfig.EvtIoWrite = EvtIoWrite;
        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<QUEUE_CONTEXT>(out var queueAttributes);
        queueAttributes.EvtCleanupCallback = queue =>
        {
            var context = GetQueueContext(queue);
            if (context.Buffer != NULL)
            {
                ExFreePoolWithTag(context.Buffer, Tags.Test);
                context.Buffer = NULL;
            }
        };
        status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out Queue);
        return NT_SUCCESS(status) ? DeviceAddStatus : status;
    }

    private NTSTATUS EvtDevicePrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw, WDFCMRESLIST ResourcesTranslated)
    {
        Calls.Add("EvtDevicePrepareHardware");
        GetDeviceContext(Device).HardwareBuffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tags.Test);
        return STATUS_SUCCESS;
    }

    private NTSTATUS EvtDeviceReleaseHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesTranslated)
    {
        Calls.Add("EvtDeviceReleaseHardware");
        var context = GetDeviceContext(Device);
        if (context.HardwareBuffer != NULL)
        {
            ExFreePoolWithTag(context.HardwareBuffer, Tags.Test);
            context.HardwareBuffer = NULL;
        }
        return STATUS_SUCCESS;
    }

    public Action<WDFQUEUE, WDFREQUEST, nuint>? OnRead;

    private void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfObjectGetTypedContext<REQUEST_CONTEXT>(Request).Presented++;
        if (OnRead is { } read)
        {
            read(Queue, Request, Length);
            return;
        }
        var context = GetQueueContext(Queue);
        if (context.Buffer == NULL)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
            return;
        }
        var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }
        nuint length = Length < context.Length ? Length : context.Length;
        status = WdfMemoryCopyFromBuffer(memory, 0, context.Buffer, length);
        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? length : 0);
    }

    private void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        var context = GetQueueContext(Queue);
        var status = WdfRequestRetrieveInputMemory(Request, out var memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }
        if (context.Buffer != NULL)
        {
            ExFreePoolWithTag(context.Buffer, Tags.Test);
        }
        context.Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Length, Tags.Test);
        if (context.Buffer == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }
        status = WdfMemoryCopyToBuffer(memory, 0, context.Buffer, Length);
        context.Length = Length;
        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? Length : 0);
    }
}
