// Port of the shipped WDM event sample (microsoft/Windows-driver-samples, general/event/wdm): event.c (DriverEntry,
// EventUnload, EventCreateClose, EventCleanup, EventDispatchIoControl, EventCancelRoutine, CustomTimerDPC,
// RegisterIrpBasedNotification), event.h and public.h. A legacy (non-PnP) WDM driver: IOCTL_REGISTER_EVENT (buffered)
// carries a REGISTER_EVENT; for an IRP-based notification the driver keeps the IRP pending in a NOTIFY_RECORD (pool), with
// a cancel routine, and a kernel timer's DPC completes it when the requested due time expires; cleanup cancels what is
// still queued.
// Mechanical translation per API.md; where the API differs:
//   * KTIMER/KDPC (KeInitializeDpc, KeInitializeTimer, KeSetTimer, KeCancelTimer), IoSetCancelRoutine and the IRP's
//     Tail.Overlay.DriverContext[3] are ntoskrnl's, not the driver's, and the API has none: the region "ntoskrnl stand-in"
//     below keeps them (KeExpireTimers runs the DPCs of expired timers at DISPATCH_LEVEL, IoCancelIrp calls the cancel
//     routine as the I/O manager does, IoReleaseCancelSpinLock is a no-op);
//   * the NOTIFY_RECORD is allocated as in C (ExAllocatePoolQuotaZero of its size, NonPagedPool under POOL_NX_OPTIN is
//     NonPagedPoolNx) and its fields live in a class beside that block (Block), freed with ExFreePoolWithTag(Block, TAG);
//   * there is no FILE_OBJECT and no IO_REMOVE_LOCK (IoAcquireRemoveLock, IoReleaseRemoveLock[AndWait]): the open's
//     FILE_CONTEXT is a pool block kept in the device extension (one open at a time) and cleanup handles every record
//     (the record's FileObject is always the one open file); LIST_ENTRY is a List of records;
//   * REGISTER_EVENT { NOTIFY_TYPE Type; HANDLE hEvent; LARGE_INTEGER DueTime; } is read from the system buffer at its
//     x64 offsets (0, 8, 16; 24 bytes).
// Buggy variant: the shipped sample with four bugs a driver writer plausibly makes, each marked on its line (the input
// length checked against the notification type only, the IRP completed by the helper that also returns its status to a
// caller that completes it, the file context freed with another tag, the record allocated with a deprecated allocator).
// Left out: the EVENT_BASED notification (RegisterEventBasedNotification: ObReferenceObjectByHandle, KeSetEvent,
// ObDereferenceObject are not in the API; its IOCTL answers STATUS_INVALID_PARAMETER like an unknown type),
// ExInitializeDriverRuntime, DbgBreakPoint and the DebugPrint tracing, the ASSERTs.
using System.Collections.Generic;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class EventNotifyBuggy
{
    public const string NTDEVICE_NAME_STRING = @"\Device\Event_Sample";
    public const string SYMBOLIC_NAME_STRING = @"\DosDevices\Event_Sample";
    public const uint TAG = 0x45564554; // (ULONG)'TEVE'
    public const uint FILE_DEVICE_SECURE_OPEN = 0x00000100;
    // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
    public const uint IOCTL_REGISTER_EVENT = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x800 << 2) | METHOD_BUFFERED;

    // NOTIFY_TYPE
    public const int IRP_BASED = 0;
    public const int EVENT_BASED = 1;

    // sizeof(REGISTER_EVENT) on x64 and its fields' offsets
    public const uint SIZEOF_REGISTER_EVENT = 24;
    public const nuint REGISTER_EVENT_Type = 0;
    public const nuint REGISTER_EVENT_DueTime = 16;

    // sizeof(DEVICE_EXTENSION), sizeof(NOTIFY_RECORD) (LIST_ENTRY, KDPC, KTIMER, ...) and sizeof(FILE_CONTEXT) (an
    // IO_REMOVE_LOCK) on x64
    public const uint DEVICE_EXTENSION_SIZE = 32;
    public const uint NOTIFY_RECORD_SIZE = 216;
    public const uint FILE_CONTEXT_SIZE = 120;
    public const uint FILE_TAG = 0x454C4946; // 'FILE'

    public sealed class DEVICE_EXTENSION
    {
        public DEVICE_OBJECT Self = null!;
        public readonly List<NOTIFY_RECORD> EventQueueHead = new(); // where all the user notification requests are queued
        public KSPIN_LOCK QueueLock;
        public PVOID FileContext;
    }

    public sealed class NOTIFY_RECORD
    {
        public PVOID Block;
        public int Type;
        public IRP? PendingIrp;
        public readonly KDPC Dpc = new();
        public readonly KTIMER Timer = new();
        public DEVICE_EXTENSION DeviceExtension = null!;
        public bool CancelRoutineFreeMemory;
    }

    // ---- ntoskrnl stand-in: kernel timers and DPCs, IRP cancel routines ------------------------------------------

    public delegate void KDEFERRED_ROUTINE(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2);

    public delegate void DRIVER_CANCEL(DEVICE_OBJECT DeviceObject, IRP Irp);

    public sealed class KDPC
    {
        public KDEFERRED_ROUTINE? DeferredRoutine;
        public object? DeferredContext;
    }

    public sealed class KTIMER
    {
        public bool Inserted;
        public long DueTime;
        public KDPC? Dpc;
    }

    private static readonly List<KTIMER> SetTimers = new();
    private static readonly Dictionary<IRP, (DRIVER_CANCEL Routine, DEVICE_OBJECT Device)> CancelRoutines = new();
    private static readonly Dictionary<IRP, NOTIFY_RECORD?> DriverContext3 = new();

    public static void KeInitializeDpc(KDPC Dpc, KDEFERRED_ROUTINE DeferredRoutine, object? DeferredContext)
    {
        Dpc.DeferredRoutine = DeferredRoutine;
        Dpc.DeferredContext = DeferredContext;
    }

    public static void KeInitializeTimer(KTIMER Timer) => Timer.Inserted = false;

    public static bool KeSetTimer(KTIMER Timer, long DueTime, KDPC Dpc)
    {
        lock (SetTimers)
        {
            var wasInserted = Timer.Inserted;
            Timer.Inserted = true;
            Timer.DueTime = DueTime;
            Timer.Dpc = Dpc;
            if (!wasInserted)
            {
                SetTimers.Add(Timer);
            }

            return wasInserted;
        }
    }

    public static bool KeCancelTimer(KTIMER Timer)
    {
        lock (SetTimers)
        {
            var wasInserted = Timer.Inserted;
            Timer.Inserted = false;
            SetTimers.Remove(Timer);
            return wasInserted;
        }
    }

    /// <summary>Every timer set so far expires: its DPC runs at DISPATCH_LEVEL (what the clock interrupt does).</summary>
    public static int KeExpireTimers()
    {
        List<KTIMER> expired;
        lock (SetTimers)
        {
            expired = new List<KTIMER>(SetTimers);
            SetTimers.Clear();
            foreach (var timer in expired)
            {
                timer.Inserted = false;
            }
        }

        foreach (var timer in expired)
        {
            KeRaiseIrql(DISPATCH_LEVEL, out var oldIrql);
            timer.Dpc!.DeferredRoutine!(timer.Dpc, timer.Dpc.DeferredContext, null, null);
            KeLowerIrql(oldIrql);
        }

        return expired.Count;
    }

    /// <summary>Sets the IRP's cancel routine and returns the previous one (null when none, or when the I/O manager took it to cancel).</summary>
    public static DRIVER_CANCEL? IoSetCancelRoutine(IRP Irp, DRIVER_CANCEL? CancelRoutine, DEVICE_OBJECT? DeviceObject = null)
    {
        lock (CancelRoutines)
        {
            CancelRoutines.Remove(Irp, out var previous);
            if (CancelRoutine is not null)
            {
                CancelRoutines[Irp] = (CancelRoutine, DeviceObject!);
            }

            return previous.Routine;
        }
    }

    /// <summary>The application cancels the IRP: the I/O manager takes its cancel routine (if any) and calls it.</summary>
    public static bool IoCancelIrp(IRP Irp)
    {
        (DRIVER_CANCEL Routine, DEVICE_OBJECT Device) cancel;
        lock (CancelRoutines)
        {
            if (!CancelRoutines.Remove(Irp, out cancel))
            {
                return false;
            }
        }

        KeRaiseIrql(DISPATCH_LEVEL, out var oldIrql);
        cancel.Routine(cancel.Device, Irp);
        KeLowerIrql(oldIrql);
        return true;
    }

    /// <summary>The IRPs the driver holds with a cancel routine set (what the application could cancel now).</summary>
    public static IRP[] CancelableIrps()
    {
        lock (CancelRoutines)
        {
            return new List<IRP>(CancelRoutines.Keys).ToArray();
        }
    }

    public static NOTIFY_RECORD? GetDriverContext3(IRP Irp)
    {
        lock (DriverContext3)
        {
            return DriverContext3.TryGetValue(Irp, out var record) ? record : null;
        }
    }

    public static void SetDriverContext3(IRP Irp, NOTIFY_RECORD? Record)
    {
        lock (DriverContext3)
        {
            DriverContext3[Irp] = Record;
        }
    }

    public static void IoReleaseCancelSpinLock()
    {
    }

    // ---- event.c --------------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DEVICE_OBJECT deviceObject;
        DEVICE_EXTENSION deviceExtension;
        UNICODE_STRING ntDeviceName;
        UNICODE_STRING symbolicLinkName;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(RegistryPath);

        RtlInitUnicodeString(out ntDeviceName, NTDEVICE_NAME_STRING);

        status = IoCreateDevice(DriverObject, DEVICE_EXTENSION_SIZE, ntDeviceName, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN,
            FALSE, out deviceObject);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = EventCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = EventCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = EventCleanup;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = EventDispatchIoControl;
        DriverObject.DriverUnload = EventUnload;

        RtlInitUnicodeString(out symbolicLinkName, SYMBOLIC_NAME_STRING);

        status = IoCreateSymbolicLink(symbolicLinkName, ntDeviceName);
        if (!NT_SUCCESS(status))
        {
            IoDeleteDevice(deviceObject);
            return status;
        }

        deviceExtension = new DEVICE_EXTENSION();
        deviceObject.DeviceExtension = deviceExtension;

        KeInitializeSpinLock(out deviceExtension.QueueLock);

        deviceExtension.Self = deviceObject;

        deviceObject.Flags |= DO_BUFFERED_IO;

        return status;
    }

    public static void EventUnload(DRIVER_OBJECT DriverObject)
    {
        DEVICE_OBJECT deviceObject = DriverObject.DeviceObject!;
        UNICODE_STRING symbolicLinkName;

        PAGED_CODE();

        // ASSERTMSG("Event Queue is not empty\n", IsListEmpty(&deviceExtension->EventQueueHead))

        RtlInitUnicodeString(out symbolicLinkName, SYMBOLIC_NAME_STRING);
        IoDeleteSymbolicLink(symbolicLinkName);

        IoDeleteDevice(deviceObject);
    }

    public static NTSTATUS EventCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION irpStack;
        NTSTATUS status;
        PVOID fileContext;
        DEVICE_EXTENSION deviceExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;

        PAGED_CODE();

        irpStack = IoGetCurrentIrpStackLocation(Irp);

        switch (irpStack.MajorFunction)
        {
            case IRP_MJ_CREATE:
                fileContext = ExAllocatePoolQuotaZero(NonPagedPoolNx | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, FILE_CONTEXT_SIZE, TAG);
                if (NULL == fileContext)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                // IoInitializeRemoveLock(&fileContext->FileRundownLock, TAG, 0, 0);
                deviceExtension.FileContext = fileContext; // irpStack->FileObject->FsContext
                status = STATUS_SUCCESS;
                break;

            case IRP_MJ_CLOSE:
                fileContext = deviceExtension.FileContext;
                ExFreePoolWithTag(fileContext, FILE_TAG); // BUG DRV034: allocated with TAG at IRP_MJ_CREATE
                deviceExtension.FileContext = NULL;
                status = STATUS_SUCCESS;
                break;

            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    public static NTSTATUS EventCleanup(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status;
        KIRQL oldIrql;
        DEVICE_EXTENSION deviceExtension;
        List<IRP> cleanupList;

        deviceExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;

        // IoAcquireRemoveLock / IoReleaseRemoveLockAndWait(&fileContext->FileRundownLock, Irp)

        cleanupList = new List<IRP>();

        KeAcquireSpinLock(deviceExtension.QueueLock, out oldIrql);

        foreach (var notifyRecord in deviceExtension.EventQueueHead.ToArray())
        {
            // if (irpStack->FileObject == notifyRecord->FileObject): one open at a time
            if (KeCancelTimer(notifyRecord.Timer))
            {
                deviceExtension.EventQueueHead.Remove(notifyRecord);

                switch (notifyRecord.Type)
                {
                    case IRP_BASED:
                        if (IoSetCancelRoutine(notifyRecord.PendingIrp!, null) != null)
                        {
                            cleanupList.Add(notifyRecord.PendingIrp!);
                            ExFreePoolWithTag(notifyRecord.Block, TAG);
                        }
                        else
                        {
                            // The cancel routine is running: it frees the record.
                            notifyRecord.CancelRoutineFreeMemory = TRUE;
                        }

                        break;

                    default:
                        break;
                }
            }
        }

        KeReleaseSpinLock(deviceExtension.QueueLock, oldIrql);

        while (cleanupList.Count != 0)
        {
            IRP pendingIrp = cleanupList[0];
            cleanupList.RemoveAt(0);

            SetDriverContext3(pendingIrp, null);
            pendingIrp.IoStatus.Information = 0;
            pendingIrp.IoStatus.Status = STATUS_CANCELLED;
            IoCompleteRequest(pendingIrp, IO_NO_INCREMENT);
        }

        Irp.IoStatus.Status = status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return status;
    }

    public static NTSTATUS EventDispatchIoControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION irpStack;
        PVOID registerEvent;
        NTSTATUS status;

        irpStack = IoGetCurrentIrpStackLocation(Irp);

        // status = IoAcquireRemoveLock(&fileContext->FileRundownLock, Irp): always granted while the file is open

        switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
        {
            case IOCTL_REGISTER_EVENT:
                if (irpStack.Parameters.DeviceIoControl.InputBufferLength < sizeof(int)) // the notification type
                {
                    status = STATUS_INVALID_PARAMETER;
                    break;
                }

                registerEvent = Irp.AssociatedIrp.SystemBuffer;

                switch (registerEvent.Read<int>(REGISTER_EVENT_Type))
                {
                    case IRP_BASED:
                        status = RegisterIrpBasedNotification(DeviceObject, Irp);
                        break;

                    default:
                        // EVENT_BASED: RegisterEventBasedNotification is left out (see the header).
                        status = STATUS_INVALID_PARAMETER;
                        break;
                }

                break;

            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }

        if (status != STATUS_PENDING)
        {
            Irp.IoStatus.Status = status;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT); // BUG DRV002: RegisterIrpBasedNotification completed a canceled IRP already
        }

        // IoReleaseRemoveLock(&fileContext->FileRundownLock, Irp);

        return status;
    }

    public static void EventCancelRoutine(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        DEVICE_EXTENSION deviceExtension;
        KIRQL oldIrql;
        NOTIFY_RECORD? notifyRecord;

        deviceExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;

        IoReleaseCancelSpinLock(); // Irp->CancelIrql

        KeAcquireSpinLock(deviceExtension.QueueLock, out oldIrql);

        notifyRecord = GetDriverContext3(Irp)!;

        deviceExtension.EventQueueHead.Remove(notifyRecord);

        notifyRecord.PendingIrp = null;

        if (KeCancelTimer(notifyRecord.Timer))
        {
            ExFreePoolWithTag(notifyRecord.Block, TAG);
            notifyRecord = null;
        }
        else
        {
            if (notifyRecord.CancelRoutineFreeMemory == FALSE)
            {
                // InitializeListHead(&notifyRecord->ListEntry): the DPC frees the record.
            }
            else
            {
                ExFreePoolWithTag(notifyRecord.Block, TAG);
                notifyRecord = null;
            }
        }

        KeReleaseSpinLock(deviceExtension.QueueLock, oldIrql);

        SetDriverContext3(Irp, null);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    public static void CustomTimerDPC(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2)
    {
        NOTIFY_RECORD? notifyRecord = (NOTIFY_RECORD)DeferredContext!;
        DEVICE_EXTENSION deviceExtension;
        IRP? irp;

        UNREFERENCED_PARAMETER(Dpc);
        UNREFERENCED_PARAMETER(SystemArgument1);
        UNREFERENCED_PARAMETER(SystemArgument2);

        deviceExtension = notifyRecord.DeviceExtension;

        KeAcquireSpinLockAtDpcLevel(deviceExtension.QueueLock);

        deviceExtension.EventQueueHead.Remove(notifyRecord);

        switch (notifyRecord.Type)
        {
            case IRP_BASED:
                irp = notifyRecord.PendingIrp;
                if (irp != null)
                {
                    if (IoSetCancelRoutine(irp, null) != null)
                    {
                        SetDriverContext3(irp, null);

                        KeReleaseSpinLockFromDpcLevel(deviceExtension.QueueLock);

                        irp.IoStatus.Status = STATUS_SUCCESS;
                        irp.IoStatus.Information = 0;
                        IoCompleteRequest(irp, IO_NO_INCREMENT);

                        KeAcquireSpinLockAtDpcLevel(deviceExtension.QueueLock);
                    }
                    else
                    {
                        // The cancel routine is running: it frees the record.
                        notifyRecord.CancelRoutineFreeMemory = TRUE;
                        notifyRecord = null;
                    }
                }

                break;

            default:
                break;
        }

        KeReleaseSpinLockFromDpcLevel(deviceExtension.QueueLock);

        if (notifyRecord != null)
        {
            ExFreePoolWithTag(notifyRecord.Block, TAG);
            notifyRecord = null;
        }
    }

    public static NTSTATUS RegisterIrpBasedNotification(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        DEVICE_EXTENSION deviceExtension;
        NOTIFY_RECORD notifyRecord;
        PVOID block;
        KIRQL oldIrql;
        PVOID registerEvent;
        long dueTime;

        deviceExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;
        registerEvent = Irp.AssociatedIrp.SystemBuffer;

        block = ExAllocatePoolWithQuotaTag(NonPagedPoolNx | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, NOTIFY_RECORD_SIZE, TAG); // BUG DRV030: deprecated allocator
        if (NULL == block)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        notifyRecord = new NOTIFY_RECORD { Block = block };
        notifyRecord.DeviceExtension = deviceExtension;
        notifyRecord.Type = IRP_BASED;
        notifyRecord.PendingIrp = Irp;

        dueTime = registerEvent.Read<long>(REGISTER_EVENT_DueTime); // BUG DRV024: the caller checked 4 bytes of input
        if (dueTime > 0)
        {
            registerEvent.Write<long>(REGISTER_EVENT_DueTime, -dueTime); // BUG DRV024: the caller checked 4 bytes of input
        }

        KeInitializeDpc(notifyRecord.Dpc, CustomTimerDPC, notifyRecord);

        KeInitializeTimer(notifyRecord.Timer);

        KeAcquireSpinLock(deviceExtension.QueueLock, out oldIrql);

        IoSetCancelRoutine(Irp, EventCancelRoutine, DeviceObject);

        if (Irp.Cancel)
        {
            if (IoSetCancelRoutine(Irp, null) != null)
            {
                KeReleaseSpinLock(deviceExtension.QueueLock, oldIrql);
                ExFreePoolWithTag(block, TAG);
                Irp.IoStatus.Status = STATUS_CANCELLED;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_CANCELLED;
            }
            else
            {
                // The cancel routine will run as soon as the lock is released.
            }
        }

        IoMarkIrpPending(Irp);

        deviceExtension.EventQueueHead.Add(notifyRecord);

        notifyRecord.CancelRoutineFreeMemory = FALSE;

        SetDriverContext3(Irp, notifyRecord);

        KeSetTimer(notifyRecord.Timer, registerEvent.Read<long>(REGISTER_EVENT_DueTime), notifyRecord.Dpc); // BUG DRV024: the caller checked 4 bytes of input

        KeReleaseSpinLock(deviceExtension.QueueLock, oldIrql);

        return STATUS_PENDING;
    }
}
