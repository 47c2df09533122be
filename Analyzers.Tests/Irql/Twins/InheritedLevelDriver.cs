using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Irql.Twins;

/// <summary>
/// Run-time twin of DRV037 in the callback of a queue that inherits DISPATCH_LEVEL from another method, the WDK's layout
/// (<c>EvtDeviceAdd</c> creates the device, <c>QueueInitialize(device)</c> creates the default queue with no attributes):
/// <list type="bullet">
/// <item><see cref="DriverEntryDispatchDevice"/>: the device is created with <c>ExecutionLevel = WdfExecutionLevelDispatch</c>
/// and device synchronization, so the framework calls <see cref="EvtIoReadOfDispatchDevice"/> under the device's spin lock,
/// at DISPATCH_LEVEL: its paged allocation is DRV037 (the runtime raises DRV037 there);</item>
/// <item><see cref="DriverEntryDispatchDriver"/>: the driver's attributes set the level and scope, the device and queue
/// inherit them: <see cref="EvtIoReadOfDispatchDriver"/>'s paged allocation is DRV037 too;</item>
/// <item><see cref="DriverEntryHelperQueue"/>: the queue's config and attributes are filled by helpers
/// (<c>InitReadConfig(out config)</c>, <c>MakeDispatchAttributes(out attributes)</c>, dispatch level and queue
/// synchronization): <see cref="EvtIoReadOfHelperQueue"/>'s paged allocation is DRV037 too;</item>
/// <item><see cref="DriverEntryPassiveDevice"/>: the device is created at <c>WdfExecutionLevelPassive</c>: its queue's
/// callback runs at PASSIVE_LEVEL under a wait lock, and paged pool is right there (clean).</item>
/// </list>
/// </summary>
public static class InheritedLevelDriver
{
    private const uint Tag = 0x4C687249; // "IrhL" in pool dumps

    public static NTSTATUS DriverEntryDispatchDevice(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddDispatch);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverEntryDispatchDriver(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddInheriting);
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ExecutionLevel = WdfExecutionLevelDispatch;
        attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
        return WdfDriverCreate(DriverObject, RegistryPath, attributes, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverEntryHelperQueue(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddHelperQueue);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverEntryPassiveDevice(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddPassive);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS EvtDeviceAddDispatch(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ExecutionLevel = WdfExecutionLevelDispatch;
        attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device);
        return NT_SUCCESS(status) ? DispatchDeviceQueueInitialize(device) : status;
    }

    public static NTSTATUS EvtDeviceAddInheriting(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        return NT_SUCCESS(status) ? DispatchDriverQueueInitialize(device) : status;
    }

    public static NTSTATUS EvtDeviceAddHelperQueue(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        InitReadConfig(out var queueConfig);
        MakeDispatchAttributes(out var queueAttributes);
        return WdfIoQueueCreate(device, queueConfig, queueAttributes, out _);
    }

    private static void InitReadConfig(out WDF_IO_QUEUE_CONFIG queueConfig)
    {
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadOfHelperQueue;
    }

    private static void MakeDispatchAttributes(out WDF_OBJECT_ATTRIBUTES attributes)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ExecutionLevel = WdfExecutionLevelDispatch;
        attributes.SynchronizationScope = WdfSynchronizationScopeQueue;
    }

    public static NTSTATUS EvtDeviceAddPassive(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ExecutionLevel = WdfExecutionLevelPassive;
        attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device);
        return NT_SUCCESS(status) ? PassiveDeviceQueueInitialize(device) : status;
    }

    private static NTSTATUS DispatchDeviceQueueInitialize(WDFDEVICE Device)
    {
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadOfDispatchDevice;
        return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }

    private static NTSTATUS DispatchDriverQueueInitialize(WDFDEVICE Device)
    {
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadOfDispatchDriver;
        return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }

    private static NTSTATUS PassiveDeviceQueueInitialize(WDFDEVICE Device)
    {
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadOfPassiveDevice;
        return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }

    /// <summary>The bug: a paged scratch block in a callback the framework calls under the device's spin lock.</summary>
    public static void EvtIoReadOfDispatchDevice(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag));
    }

    /// <summary>The same bug, the level coming from the driver's attributes.</summary>
    public static void EvtIoReadOfDispatchDriver(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag));
    }

    /// <summary>The same bug, the level set by a helper.</summary>
    public static void EvtIoReadOfHelperQueue(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 24, Tag));
    }

    /// <summary>Right: the device is at PASSIVE_LEVEL, so is its queue's callback.</summary>
    public static void EvtIoReadOfPassiveDevice(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        PAGED_CODE();
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 32, Tag));
    }

    private static void Complete(WDFREQUEST Request, PVOID scratch)
    {
        if (scratch == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        scratch.Write<ulong>(0, 0x1234);
        ExFreePoolWithTag(scratch, Tag);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
    }
}
