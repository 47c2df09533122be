using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Irql.Twins;

/// <summary>
/// Run-time twin of DRV037 under a spin lock taken by a lock helper: <see cref="AcquireReadLock"/> wraps
/// <c>WdfSpinLockAcquire</c>, <see cref="ReleaseReadLock"/> the release, and the code between their calls in the caller
/// runs at DISPATCH_LEVEL. <see cref="EvtIoReadPaged"/> allocates paged pool there (DRV037; the runtime raises DRV037 at
/// the allocation); <see cref="EvtIoReadAllocatingFirst"/> allocates before taking the lock (clean).
/// </summary>
public static class LockHelperDriver
{
    private const uint Tag = 0x4B636F4C; // "LocK" in pool dumps

    private static WDFSPINLOCK readLock;

    public static NTSTATUS DriverEntryPaged(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddPaged);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverEntryAllocatingFirst(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAddAllocatingFirst);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS EvtDeviceAddPaged(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit) => AddDevice(DeviceInit, EvtIoReadPaged);

    public static NTSTATUS EvtDeviceAddAllocatingFirst(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit) => AddDevice(DeviceInit, EvtIoReadAllocatingFirst);

    private static NTSTATUS AddDevice(WDFDEVICE_INIT DeviceInit, EVT_WDF_IO_QUEUE_IO_READ evtIoRead)
    {
        NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out var lockAttributes);
        lockAttributes.ParentObject = device;
        status = WdfSpinLockCreate(lockAttributes, out readLock);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoRead = evtIoRead;
        return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
    }

    private static void AcquireReadLock() => WdfSpinLockAcquire(readLock);

    private static void ReleaseReadLock() => WdfSpinLockRelease(readLock);

    /// <summary>The bug: a paged scratch block allocated while the helper's spin lock is held.</summary>
    public static void EvtIoReadPaged(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        AcquireReadLock();
        PVOID scratch = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
        ReleaseReadLock();
        Complete(Request, scratch);
    }

    /// <summary>Right: the block is allocated before the lock is taken.</summary>
    public static void EvtIoReadAllocatingFirst(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        PVOID scratch = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
        AcquireReadLock();
        ReleaseReadLock();
        Complete(Request, scratch);
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
