using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace CorrectDriver;

/// <summary>
/// The echo device of samples/BuggyDriver, written correctly (<see cref="EchoDriver"/> creates it): reads are forwarded
/// to the lower driver, writes arrive by direct I/O (an MDL), and device-control requests echo, count and report
/// statistics. What a C driver keeps in its device context is kept here in static fields (a fresh load starts them over).
/// </summary>
public static class EchoDevice
{
    /// <summary>The pool tag of the device's allocations, 'Echo' read as a little-endian ULONG.</summary>
    public const uint PoolTag = 0x6F686345;

    /// <summary>The pool tag of the name buffer, 'Name'.</summary>
    public const uint NameTag = 0x656D614E;

    public const nuint StatisticsSize = 64;
    public const nuint TableSize = 256;
    public const nuint HistorySize = 512;

    internal static WDFIOTARGET LowerTarget;
    internal static PVOID Statistics;
    internal static PVOID Table;
    internal static PVOID History;
    internal static uint RequestCount;

    /// <summary>EvtDevicePrepareHardware: finds the lower driver and allocates the device's buffers.</summary>
    public static NTSTATUS EvtDevicePrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw, WDFCMRESLIST ResourcesTranslated)
    {
        LowerTarget = WdfDeviceGetIoTarget(Device);

        // ExAllocatePool2 zeroes the allocation: no RtlZeroMemory needed.
        Statistics = ExAllocatePool2(POOL_FLAG_NON_PAGED, StatisticsSize, PoolTag);
        if (Statistics == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        // A data table needs no executable memory.
        Table = ExAllocatePool2(POOL_FLAG_NON_PAGED, TableSize, PoolTag);
        if (Table == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        // The history is optional: without it the device still echoes, and nothing is recorded.
        History = ExAllocatePool2(POOL_FLAG_NON_PAGED, HistorySize, PoolTag);

        return STATUS_SUCCESS;
    }

    /// <summary>Builds the device's name in a temporary buffer and records its first word in the history.</summary>
    public static void RecordName()
    {
        const nuint length = 16;
        var name = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, NameTag);
        if (name == NULL)
        {
            return;
        }

        name.Write<ulong>(0, 0x6F68634520202020);
        if (History != NULL)
        {
            History.Write<ulong>(0, name.Read<ulong>(0));
        }

        ExFreePoolWithTag(name, NameTag);
    }

    /// <summary>EvtDeviceReleaseHardware: frees what EvtDevicePrepareHardware allocated.</summary>
    public static NTSTATUS EvtDeviceReleaseHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesTranslated)
    {
        FreeIfAllocated(ref Statistics);
        FreeIfAllocated(ref Table);
        FreeIfAllocated(ref History);
        return STATUS_SUCCESS;
    }

    /// <summary>Frees one of the device's buffers if EvtDevicePrepareHardware got that far.</summary>
    private static void FreeIfAllocated(ref PVOID buffer)
    {
        if (buffer != NULL)
        {
            ExFreePoolWithTag(buffer, PoolTag);
            buffer = NULL;
        }
    }

    /// <summary>The pool tag of the stamp's staging block, 'Stmp'.</summary>
    public const uint StampTag = 0x706D7453;

    /// <summary>The last stamp written, for IOCTL_ECHO_STAMP's reply.</summary>
    internal static uint LastStamp;

    /// <summary>Stamps the request count into a staging block and remembers what was stamped.</summary>
    public static NTSTATUS Stamp()
    {
        PVOID stage = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(uint), StampTag);
        if (stage == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        stage.Write<uint>(0, RequestCount);
        LastStamp = stage.Read<uint>(0);
        ExFreePoolWithTag(stage, StampTag);
        return STATUS_SUCCESS;
    }
}
