using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Irql.Twins;

/// <summary>
/// Run-time twin of DRV037 in a queue callback: the default queue is created with
/// <c>ExecutionLevel = WdfExecutionLevelDispatch</c> and queue synchronization, so the framework calls its EvtIoRead
/// under the queue's spin lock, at DISPATCH_LEVEL. <see cref="EvtIoReadPaged"/> allocates paged pool there (DRV037; the
/// runtime raises DRV037 at the allocation); <see cref="EvtIoReadNonPaged"/> allocates nonpaged pool (clean).
/// </summary>
public static class DispatchQueueDriver
{
    private const uint Tag = 0x51707344; // "DspQ" in pool dumps

    public static NTSTATUS DriverEntryPaged(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddPaged);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverEntryNonPaged(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddNonPaged);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS EvtDeviceAddPaged(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadPaged;
        WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
        queueAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
        queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
        return WdfIoQueueCreate(device, queueConfig, queueAttributes, out _);
    }

    public static NTSTATUS EvtDeviceAddNonPaged(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoReadNonPaged;
        WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
        queueAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
        queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
        return WdfIoQueueCreate(device, queueConfig, queueAttributes, out _);
    }

    /// <summary>The bug: a paged scratch block in a callback the framework calls at DISPATCH_LEVEL.</summary>
    public static void EvtIoReadPaged(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag));
    }

    public static void EvtIoReadNonPaged(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        Complete(Request, ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tag));
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
