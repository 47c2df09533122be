using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Irql.Twins;

/// <summary>
/// Run-time twin of DRV037 in a request's cancel routine. KMDF calls an <c>EvtRequestCancel</c> at IRQL &lt;=
/// DISPATCH_LEVEL: at the level of whatever cancels the request, and under the queue's spin lock when the queue has a
/// synchronization scope (here the queue's own, with no execution level set). The read is kept pending and marked
/// cancelable; when the application cancels it, <see cref="EvtReadCancelPaged"/> runs at DISPATCH_LEVEL and its paged
/// allocation makes the verifier raise DRV037; <see cref="EvtReadCancelNonPaged"/> (nonpaged pool) runs clean.
/// </summary>
public static class CancelRoutineDriver
{
    private const uint Tag = 0x436E6143; // "CanC" in pool dumps

    public static NTSTATUS DriverEntryPagedCancel(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) =>
        CreateDriver(DriverObject, RegistryPath, EvtDeviceAddPagedCancel);

    public static NTSTATUS DriverEntryNonPagedCancel(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath) =>
        CreateDriver(DriverObject, RegistryPath, EvtDeviceAddNonPagedCancel);

    private static NTSTATUS CreateDriver(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath, EVT_WDF_DRIVER_DEVICE_ADD EvtDeviceAdd)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS EvtDeviceAddPagedCancel(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit) =>
        CreateDevice(DeviceInit, EvtIoReadPagedCancel);

    public static NTSTATUS EvtDeviceAddNonPagedCancel(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit) =>
        CreateDevice(DeviceInit, EvtIoReadNonPagedCancel);

    private static NTSTATUS CreateDevice(WDFDEVICE_INIT DeviceInit, EVT_WDF_IO_QUEUE_IO_READ EvtIoRead)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = EvtIoRead;
        WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
        queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
        return WdfIoQueueCreate(device, queueConfig, queueAttributes, out _);
    }

    /// <summary>The read waits for data that never comes: it stays pending until the application cancels it.</summary>
    public static void EvtIoReadPagedCancel(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) =>
        WdfRequestMarkCancelable(Request, EvtReadCancelPaged);

    public static void EvtIoReadNonPagedCancel(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) =>
        WdfRequestMarkCancelable(Request, EvtReadCancelNonPaged);

    /// <summary>The bug: a paged scratch block in a cancel routine, which may run at DISPATCH_LEVEL.</summary>
    public static void EvtReadCancelPaged(WDFREQUEST Request) => CancelWith(Request, ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag));

    /// <summary>Right: nonpaged pool is fine at DISPATCH_LEVEL.</summary>
    public static void EvtReadCancelNonPaged(WDFREQUEST Request) => CancelWith(Request, ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tag));

    private static void CancelWith(WDFREQUEST Request, PVOID scratch)
    {
        if (scratch != NULL)
        {
            scratch.Write<ulong>(0, 0x1234);
            ExFreePoolWithTag(scratch, Tag);
        }

        WdfRequestComplete(Request, STATUS_CANCELLED);
    }
}
