using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace BuggyDriver;

/// <summary>
/// The write log: the last eight bytes of the device's history (when it has one) hold the length of the latest write. Writes arrive
/// in parallel, so the record is formatted and copied in under the log's spin lock, which raises the IRQL to
/// DISPATCH_LEVEL while it is held.
/// </summary>
public static class WriteLog
{
    /// <summary>The pool tag of a record's scratch block, 'WLog'.</summary>
    public const uint RecordTag = 0x676F4C57;

    /// <summary>A record: the write's length.</summary>
    public const nuint RecordSize = 8;

    internal static WDFSPINLOCK LogLock;

    /// <summary>Creates the log's spin lock, parented to the device.</summary>
    public static NTSTATUS Initialize(WDFDEVICE Device)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ParentObject = Device;
        return WdfSpinLockCreate(attributes, out LogLock);
    }

    /// <summary>Records the length of a write in the history's last eight bytes.</summary>
    public static void Record(nuint Length)
    {
        WdfSpinLockAcquire(LogLock);
        var record = ExAllocatePool2(POOL_FLAG_PAGED, RecordSize, RecordTag); // BUG DRV037: paged pool allocated under a spin lock, at DISPATCH_LEVEL; use POOL_FLAG_NON_PAGED
        if (record != NULL)
        {
            record.Write<ulong>(0, Length);
            if (EchoDevice.History != NULL)
            {
                RtlCopyMemory(EchoDevice.History + (EchoDevice.HistorySize - RecordSize), record, RecordSize);
            }

            ExFreePoolWithTag(record, RecordTag);
        }

        WdfSpinLockRelease(LogLock);
    }
}
