using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace BuggyDriver;

/// <summary>
/// An echo device, written like a small KMDF driver (<see cref="EchoDriver"/> creates it): reads are forwarded to the
/// lower driver, writes arrive by direct I/O (an MDL), and device-control requests echo, count and report statistics.
/// What a C driver keeps in its device context is kept here in static fields (a fresh load starts them over).
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

        Statistics = ExAllocatePoolWithTag(NonPagedPoolNx, StatisticsSize, PoolTag); // BUG DRV030: deprecated allocator, returns uninitialized pool; use ExAllocatePool2
        if (Statistics == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        RtlZeroMemory(Statistics, StatisticsSize);

        Table = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, TableSize, PoolTag); // BUG DRV031: executable pool for a data table; use POOL_FLAG_NON_PAGED
        if (Table == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        // The history is optional: without it the device still echoes, and nothing is recorded.
        History = ExAllocatePool2(NonPagedPoolNx, HistorySize, PoolTag); // BUG DRV033: a POOL_TYPE where ExAllocatePool2 takes POOL_FLAGS

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

        ExFreePoolWithTag(name, PoolTag); // BUG DRV034: allocated with NameTag, freed with PoolTag
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
        PVOID stage = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(uint), 0x206B6444); // BUG DRV035: 'Ddk ', the kernel's default tag: a leak or corruption of this block cannot be traced to the driver; use StampTag
        if (stage == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        stage.Write<uint>(0, RequestCount);
        ExFreePoolWithTag(stage, 0x206B6444);
        LastStamp = stage.Read<uint>(0); // BUG DRV036: the staging block was freed on the line above; read it before the free
        return STATUS_SUCCESS;
    }
}
