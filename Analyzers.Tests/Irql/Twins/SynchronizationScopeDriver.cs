using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Irql.Twins;

/// <summary>
/// Run-time twin of DRV037 in the callback of a queue under the framework's synchronization scope, with no execution
/// level set anywhere (KMDF's default: the scope's lock is a spin lock, the callbacks run at DISPATCH_LEVEL):
/// <list type="bullet">
/// <item><see cref="DriverEntryDeviceScope"/>: the device is created with <c>WdfSynchronizationScopeDevice</c> and its
/// default queue inherits it: <see cref="EvtIoReadUnderDeviceLock"/>'s paged allocation is DRV037 (the runtime raises DRV037 there);</item>
/// <item><see cref="DriverEntryQueueScope"/>: the queue's own attributes set <c>WdfSynchronizationScopeQueue</c>:
/// <see cref="EvtIoReadUnderQueueLock"/>'s paged allocation is DRV037 too;</item>
/// <item><see cref="DriverEntryPassiveDevice"/>: device synchronization with <c>WdfExecutionLevelPassive</c>: a wait lock,
/// the callback runs at PASSIVE_LEVEL and paged pool is right there (clean);</item>
/// <item><see cref="DriverEntryScopeNone"/>: the queue's <c>WdfSynchronizationScopeNone</c> overrides its device's scope:
/// no lock, the read arrives at PASSIVE_LEVEL (clean).</item>
/// </list>
/// </summary>
public static class SynchronizationScopeDriver
{
    private const uint Tag = 0x53636E53; // "SncS" in pool dumps

    public static NTSTATUS DriverEntryDeviceScope(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) =>
        CreateDriver(DriverObject, RegistryPath, EvtDeviceAddDeviceScope);

    public static NTSTATUS DriverEntryQueueScope(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) =>
        CreateDriver(DriverObject, RegistryPath, EvtDeviceAddQueueScope);

    public static NTSTATUS DriverEntryPassiveDevice(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) =>
        CreateDriver(DriverObject, RegistryPath, EvtDeviceAddPassive);

    public static NTSTATUS DriverEntryScopeNone(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) =>
        CreateDriver(DriverObject, RegistryPath, EvtDeviceAddScopeNone);

    private static NTSTATUS CreateDriver(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath, EVT_WDF_DRIVER_DEVICE_ADD EvtDeviceAdd)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS EvtDeviceAddDeviceScope(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device);
        return NT_SUCCESS(status) ? QueueInitialize(device) : status;
    }

    public static NTSTATUS EvtDeviceAddQueueScope(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadUnderQueueLock;
        WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
        queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
        return WdfIoQueueCreate(device, queueConfig, queueAttributes, out _);
    }

    public static NTSTATUS EvtDeviceAddPassive(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ExecutionLevel = WdfExecutionLevelPassive;
        attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadUnderWaitLock;
        return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }

    public static NTSTATUS EvtDeviceAddScopeNone(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, attributes, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadUnserialized;
        WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
        queueAttributes.SynchronizationScope = WdfSynchronizationScopeNone;
        return WdfIoQueueCreate(device, queueConfig, queueAttributes, out _);
    }

    private static NTSTATUS QueueInitialize(WDFDEVICE Device)
    {
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadUnderDeviceLock;
        return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }

    /// <summary>The bug: a paged scratch block in a callback the framework calls under the device's spin lock.</summary>
    public static void EvtIoReadUnderDeviceLock(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag));
    }

    /// <summary>The same bug under the queue's own spin lock.</summary>
    public static void EvtIoReadUnderQueueLock(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag));
    }

    /// <summary>Right: the device's lock is a wait lock, the callback runs at PASSIVE_LEVEL.</summary>
    public static void EvtIoReadUnderWaitLock(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        PAGED_CODE();
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 24, Tag));
    }

    /// <summary>Right: the queue takes no lock, the read arrives at PASSIVE_LEVEL.</summary>
    public static void EvtIoReadUnserialized(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
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
