// BUGGY variant of CancelSafeQueue.cs (same port, same sources and translation notes below) with bugs of the
// kinds issue 11 lists, each marked on the line the finding belongs to.
// Port of the shipped WDM cancel sample (microsoft/Windows-driver-samples, general/cancel/sys): cancel.c
// (DriverEntry, CsampCreateClose, CsampRead, CsampPollingThread, CsampPollDevice, CsampCleanup, CsampUnload and the
// cancel-safe queue's callbacks CsampInsertIrp, CsampRemoveIrp, CsampPeekNextIrp, CsampAcquireLock,
// CsampReleaseLock, CsampCompleteCanceledIrp) and cancel.h. A legacy (non-PnP) WDM driver: DriverEntry creates its
// device; reads are queued in a cancel-safe queue and completed by a polling thread.
// Mechanical translation per API.md; where the API differs:
//   * IoCsqInitialize, IoCsqInsertIrp and IoCsqRemoveNextIrp are ntoskrnl's routines, not the driver's, and the API
//     has none: the region "ntoskrnl stand-in" below calls the driver's callbacks as they do (lock, mark pending,
//     insert / peek and remove, unlock); there is no IoSetCancelRoutine, so a queued IRP is not cancelable: the
//     application's cancel is not exercised, and CsampCompleteCanceledIrp is kept but never called;
//   * there are no system threads, semaphores or waits (PsCreateSystemThread, KeWaitForSingleObject,
//     KeDelayExecutionThread): CsampPollingThread is one wake-up of the thread (what follows one
//     KeReleaseSemaphore), which the host runs; the thread's exit on ThreadShouldStop is a return; the C code's
//     completion after the polling loop is the loop's finally, so that an exit while an IRP is held completes it;
//   * there is no FILE_OBJECT: the open's FILE_CONTEXT (allocated at IRP_MJ_CREATE, freed at IRP_MJ_CLOSE) is kept in
//     the device extension (one open at a time) without its remove lock (no IoAcquireRemoveLock), and cleanup
//     completes every queued IRP (the peek context, the file object, is always NULL);
//   * IoCreateDeviceSecure (SDDL, class GUID) is IoCreateDevice; LIST_ENTRY is a List of IRPs.
// Left out: ExInitializeDriverRuntime, KeSetPriorityThread, the KdPrint tracing.
using System.Collections.Generic;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class CancelSafeQueueBuggy
{
    public const string CSAMP_DEVICE_NAME_U = @"\Device\CANCELSAMP";
    public const string CSAMP_DOS_DEVICE_NAME_U = @"\DosDevices\CancelSamp";
    public const long CSAMP_RETRY_INTERVAL = 500 * 1000; // 500 ms
    public const uint TAG = 0x4D415343; // (ULONG)'MASC'
    public const uint CSAMP_FILE_CONTEXT_TAG = 0x4346534D; // (ULONG)'MSFC'
    public const uint FILE_DEVICE_SECURE_OPEN = 0x00000100;

    // sizeof(INPUT_DATA) { ULONG Data; }, sizeof(FILE_CONTEXT) (an IO_REMOVE_LOCK), sizeof(DEVICE_EXTENSION) on x64
    public const uint INPUT_DATA_SIZE = 4;
    public const uint FILE_CONTEXT_SIZE = 120;
    public const uint DEVICE_EXTENSION_SIZE = 176;

    public sealed class DEVICE_EXTENSION
    {
        public bool ThreadShouldStop;
        public readonly List<IRP> PendingIrpQueue = new();
        public KSPIN_LOCK QueueLock;
        public readonly IO_CSQ CancelSafeQueue = new();
        public long LastPollTime;
        public long PollingInterval;
        public PVOID FileContext;
        public UNICODE_STRING? RegistryPath;
    }

    // ---- ntoskrnl stand-in: the cancel-safe queue library ----------------------------------------------------

    public delegate void IO_CSQ_INSERT_IRP(IO_CSQ Csq, IRP Irp);

    public delegate void IO_CSQ_REMOVE_IRP(IO_CSQ Csq, IRP Irp);

    public delegate IRP? IO_CSQ_PEEK_NEXT_IRP(IO_CSQ Csq, IRP? Irp, object? PeekContext);

    public delegate void IO_CSQ_ACQUIRE_LOCK(IO_CSQ Csq, out KIRQL Irql);

    public delegate void IO_CSQ_RELEASE_LOCK(IO_CSQ Csq, KIRQL Irql);

    public delegate void IO_CSQ_COMPLETE_CANCELED_IRP(IO_CSQ Csq, IRP Irp);

    public sealed class IO_CSQ
    {
        public DEVICE_EXTENSION Extension = null!;
        public IO_CSQ_INSERT_IRP CsqInsertIrp = null!;
        public IO_CSQ_REMOVE_IRP CsqRemoveIrp = null!;
        public IO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp = null!;
        public IO_CSQ_ACQUIRE_LOCK CsqAcquireLock = null!;
        public IO_CSQ_RELEASE_LOCK CsqReleaseLock = null!;
        public IO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp = null!;
    }

    public static void IoCsqInitialize(IO_CSQ Csq, IO_CSQ_INSERT_IRP CsqInsertIrp, IO_CSQ_REMOVE_IRP CsqRemoveIrp,
        IO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp, IO_CSQ_ACQUIRE_LOCK CsqAcquireLock, IO_CSQ_RELEASE_LOCK CsqReleaseLock,
        IO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
    {
        Csq.CsqInsertIrp = CsqInsertIrp;
        Csq.CsqRemoveIrp = CsqRemoveIrp;
        Csq.CsqPeekNextIrp = CsqPeekNextIrp;
        Csq.CsqAcquireLock = CsqAcquireLock;
        Csq.CsqReleaseLock = CsqReleaseLock;
        Csq.CsqCompleteCanceledIrp = CsqCompleteCanceledIrp;
    }

    public static void IoCsqInsertIrp(IO_CSQ Csq, IRP Irp, object? Context)
    {
        KIRQL irql;

        Csq.CsqAcquireLock(Csq, out irql);
        IoMarkIrpPending(Irp);
        Csq.CsqInsertIrp(Csq, Irp);
        Csq.CsqReleaseLock(Csq, irql);
    }

    public static IRP? IoCsqRemoveNextIrp(IO_CSQ Csq, object? PeekContext)
    {
        KIRQL irql;
        IRP? irp;

        Csq.CsqAcquireLock(Csq, out irql);
        irp = Csq.CsqPeekNextIrp(Csq, null, PeekContext);
        if (irp != null)
        {
            Csq.CsqRemoveIrp(Csq, irp);
        }

        Csq.CsqReleaseLock(Csq, irql);
        return irp;
    }

    // ---- cancel.c --------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status = STATUS_SUCCESS;
        UNICODE_STRING unicodeDeviceName;
        UNICODE_STRING unicodeDosDeviceName;
        DEVICE_OBJECT deviceObject;
        DEVICE_EXTENSION devExtension;

        UNREFERENCED_PARAMETER(RegistryPath);

        RtlInitUnicodeString(out unicodeDeviceName, CSAMP_DEVICE_NAME_U);

        status = IoCreateDevice(DriverObject, DEVICE_EXTENSION_SIZE, unicodeDeviceName, FILE_DEVICE_UNKNOWN,
            FILE_DEVICE_SECURE_OPEN, FALSE, out deviceObject);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        RtlInitUnicodeString(out unicodeDosDeviceName, CSAMP_DOS_DEVICE_NAME_U);

        status = IoCreateSymbolicLink(unicodeDosDeviceName, unicodeDeviceName);
        if (!NT_SUCCESS(status))
        {
            IoDeleteDevice(deviceObject);
            return status;
        }

        devExtension = new DEVICE_EXTENSION();
        deviceObject.DeviceExtension = devExtension;

        // Remember the service key for the unload trace.
        devExtension.RegistryPath = RegistryPath; // BUG DRV046: the RegistryPath string belongs to the I/O manager and dies when DriverEntry returns; keep a copy

        DriverObject.MajorFunction[IRP_MJ_CREATE] = CsampCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = CsampCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = CsampRead;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = CsampCleanup;

        DriverObject.DriverUnload = CsampUnload;

        deviceObject.Flags |= DO_BUFFERED_IO;

        // This is used to serialize access to the queue.
        KeInitializeSpinLock(out devExtension.QueueLock);

        // Initialize the pending Irp device queue
        devExtension.PendingIrpQueue.Clear();

        // Initialize the cancel safe queue
        devExtension.CancelSafeQueue.Extension = devExtension;
        IoCsqInitialize(devExtension.CancelSafeQueue, CsampInsertIrp, CsampRemoveIrp, CsampPeekNextIrp,
            CsampAcquireLock, CsampReleaseLock, CsampCompleteCanceledIrp);

        // 10 is multiplied because system time is specified in 100ns units
        devExtension.PollingInterval = CSAMP_RETRY_INTERVAL * -10;

        // Note down system time
        KeQuerySystemTime(out devExtension.LastPollTime);

        // Start the polling thread (PsCreateSystemThread: the host runs CsampPollingThread).
        devExtension.ThreadShouldStop = FALSE;

        return status;
    }

    public static NTSTATUS CsampCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION irpStack;
        NTSTATUS status = STATUS_SUCCESS;
        PVOID fileContext;
        DEVICE_EXTENSION devExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;

        PAGED_CODE();

        irpStack = IoGetCurrentIrpStackLocation(Irp);

        switch (irpStack.MajorFunction)
        {
            case IRP_MJ_CREATE:
                fileContext = ExAllocatePoolWithQuotaTag(NonPagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, FILE_CONTEXT_SIZE, TAG); // BUG DRV030 DRV031: deprecated allocator asked for executable nonpaged pool

                if (NULL == fileContext)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                // irpStack->FileObject->FsContext = fileContext;
                devExtension.FileContext = fileContext;
                break;

            case IRP_MJ_CLOSE:
                fileContext = devExtension.FileContext;
                devExtension.FileContext = NULL;
                ExFreePoolWithTag(fileContext, CSAMP_FILE_CONTEXT_TAG); // BUG DRV034: the file context was allocated with TAG
                break;

            default:
                status = STATUS_INVALID_PARAMETER;
                break;
        }

        // Save Status for return and complete Irp
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    public static NTSTATUS CsampRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status;
        DEVICE_EXTENSION devExtension;
        IO_STACK_LOCATION irpStack;
        long currentTime;
        PVOID readBuffer;

        PAGED_CODE();

        devExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;

        irpStack = IoGetCurrentIrpStackLocation(Irp);

        // Since we are accessing the input buffer (Irp->AssociatedIrp.SystemBuffer), make sure it is big enough.
        if (irpStack.Parameters.Read.Length < INPUT_DATA_SIZE)
        {
            Irp.IoStatus.Status = status = STATUS_BUFFER_TOO_SMALL;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }

        // Get the system time and record whether it is odd or even: the polling thread answers in one or two polls.
        KeQuerySystemTime(out currentTime);
        readBuffer = Irp.AssociatedIrp.SystemBuffer;
        readBuffer.Write<uint>(0, ((uint)currentTime / 13) % 2);

        // Queue the IRP and return STATUS_PENDING after signaling the polling thread.
        IoCsqInsertIrp(devExtension.CancelSafeQueue, Irp, null);

        // KeReleaseSemaphore(&devExtension->IrpQueueSemaphore, 0, 1, FALSE): the host wakes the thread.
        return STATUS_PENDING;
    }

    // One wake-up of CsampPollingThread: every queued IRP is polled until the device answers, then completed.
    public static void CsampPollingThread(DEVICE_OBJECT DeviceObject)
    {
        DEVICE_EXTENSION DevExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;
        IRP? Irp;
        NTSTATUS Status = STATUS_PENDING;

        for (;;)
        {
            // Are we asked to stop?
            if (DevExtension.ThreadShouldStop)
            {
                return; // PsTerminateSystemThread(STATUS_SUCCESS)
            }

            // Remove a pending IRP from the queue.
            Irp = IoCsqRemoveNextIrp(DevExtension.CancelSafeQueue, null);

            if (Irp == null)
            {
                return; // go back to waiting on the semaphore
            }

            try
            {
                for (;;)
                {
                    // Perform I/O
                    Status = CsampPollDevice(DeviceObject, Irp);
                    if (Status != STATUS_PENDING)
                    {
                        break;
                    }

                    if (DevExtension.ThreadShouldStop)
                    {
                        Status = STATUS_CANCELLED;
                        return; // the thread exits; the IRP it holds is completed first
                    }

                    // KeDelayExecutionThread(KernelMode, FALSE, &DevExtension->PollingInterval)
                }
            }
            finally
            {
                // I/O is successful or the thread exits: complete the Irp.
                Irp.IoStatus.Status = Status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT); // BUG DRV002: CsampPollDevice already completed the IRP when the device answered
            }
        }
    }

    public static NTSTATUS CsampPollDevice(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        PVOID pInput;
        uint data;

        UNREFERENCED_PARAMETER(DeviceObject);

        pInput = Irp.AssociatedIrp.SystemBuffer;

        // Check whether the data is available (simulated by counting the value down).
        data = pInput.Read<uint>(0);
        pInput.Write<uint>(0, data - 1);
        if (data <= 0)
        {
            // The data is there: answer at once.
            Irp.IoStatus.Information = INPUT_DATA_SIZE;
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }

        return STATUS_PENDING;
    }

    public static NTSTATUS CsampCleanup(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        DEVICE_EXTENSION devExtension;
        IRP? pendingIrp;

        devExtension = (DEVICE_EXTENSION)DeviceObject.DeviceExtension!;

        // Remove all the IRPs that belong to the file object (there is one open at a time) and complete them.
        pendingIrp = IoCsqRemoveNextIrp(devExtension.CancelSafeQueue, null);

        while (pendingIrp != null)
        {
            // Cancel the IRP
            pendingIrp.IoStatus.Information = 0;
            pendingIrp.IoStatus.Status = STATUS_CANCELLED;
            IoCompleteRequest(pendingIrp, IO_NO_INCREMENT);

            pendingIrp = IoCsqRemoveNextIrp(devExtension.CancelSafeQueue, null);
        }

        // Finally complete the cleanup IRP
        Irp.IoStatus.Information = 0;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static void CsampUnload(DRIVER_OBJECT DriverObject)
    {
        DEVICE_OBJECT deviceObject = DriverObject.DeviceObject!;
        UNICODE_STRING uniWin32NameString;
        DEVICE_EXTENSION devExtension = (DEVICE_EXTENSION)deviceObject.DeviceExtension!;

        PAGED_CODE();

        // Set the Stop flag (the thread is woken up and exits).
        devExtension.ThreadShouldStop = TRUE;

        UNICODE_STRING serviceKey;
        RtlInitUnicodeString(out serviceKey, "unloading");
        RtlCopyUnicodeString(serviceKey, devExtension.RegistryPath);

        // Create counted string version of our Win32 device name.
        RtlInitUnicodeString(out uniWin32NameString, CSAMP_DOS_DEVICE_NAME_U);

        IoDeleteSymbolicLink(uniWin32NameString);

        IoDeleteDevice(deviceObject);
    }

    public static void CsampInsertIrp(IO_CSQ Csq, IRP Irp)
    {
        DEVICE_EXTENSION devExtension = Csq.Extension;

        PAGED_CODE(); // BUG DRV037: the cancel-safe queue calls its insert routine under the queue's spin lock, at DISPATCH_LEVEL

        devExtension.PendingIrpQueue.Add(Irp);
    }

    public static void CsampRemoveIrp(IO_CSQ Csq, IRP Irp)
    {
        Csq.Extension.PendingIrpQueue.Remove(Irp);
    }

    public static IRP? CsampPeekNextIrp(IO_CSQ Csq, IRP? Irp, object? PeekContext)
    {
        DEVICE_EXTENSION devExtension = Csq.Extension;
        List<IRP> listHead = devExtension.PendingIrpQueue;
        int nextEntry;

        // If the IRP is NULL, we will start peeking from the listhead, else we will start from that IRP onwards.
        nextEntry = Irp == null ? 0 : listHead.IndexOf(Irp) + 1;

        while (nextEntry < listHead.Count)
        {
            IRP nextIrp = listHead[nextEntry];

            // If context is present, continue until you find a matching one. Else you break out as you got next one.
            if (PeekContext == null)
            {
                return nextIrp;
            }

            nextEntry++;
        }

        return null;
    }

    public static void CsampAcquireLock(IO_CSQ Csq, out KIRQL Irql)
    {
        KeAcquireSpinLock(Csq.Extension.QueueLock, out Irql);
    }

    public static void CsampReleaseLock(IO_CSQ Csq, KIRQL Irql)
    {
        KeReleaseSpinLock(Csq.Extension.QueueLock, Irql);
    }

    public static void CsampCompleteCanceledIrp(IO_CSQ pCsq, IRP Irp)
    {
        UNREFERENCED_PARAMETER(pCsq);

        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
