namespace DriverBuffers;

/// <summary>
/// The WDM side of the API: <c>Ex*</c>, <c>Mm*</c>, <c>Io*</c>, <c>Rtl*</c>, <c>ProbeFor*</c>, <c>NT_SUCCESS</c>,
/// status codes, pool types and flags, and <c>NULL</c>. Driver code says <c>using static DriverBuffers.Wdm;</c>.
/// Split by area into partial files.
/// </summary>
public static partial class Wdm
{
    /// <summary>C's <c>NULL</c>: the null <see cref="PVOID"/>. Converts to every optional handle, structure and offset.</summary>
    public static readonly PVOID NULL = default;

    public const bool TRUE = true;
    public const bool FALSE = false;

    public const uint DO_BUFFERED_IO = 0x00000004;
    public const uint DO_DIRECT_IO = 0x00000010;
    public const uint DO_DEVICE_INITIALIZING = 0x00000080;
    public const uint DO_POWER_PAGABLE = 0x00002000;

    public const KPROCESSOR_MODE KernelMode = KPROCESSOR_MODE.KernelMode;
    public const KPROCESSOR_MODE UserMode = KPROCESSOR_MODE.UserMode;

    public const LOCK_OPERATION IoReadAccess = LOCK_OPERATION.IoReadAccess;
    public const LOCK_OPERATION IoWriteAccess = LOCK_OPERATION.IoWriteAccess;
    public const LOCK_OPERATION IoModifyAccess = LOCK_OPERATION.IoModifyAccess;

    public const byte IRP_MJ_CREATE = 0x00;
    public const byte IRP_MJ_CLOSE = 0x02;
    public const byte IRP_MJ_READ = 0x03;
    public const byte IRP_MJ_WRITE = 0x04;
    /// <summary>Major function: query file information.</summary>
    public const byte IRP_MJ_QUERY_INFORMATION = 0x05;
    /// <summary>Major function: set file information.</summary>
    public const byte IRP_MJ_SET_INFORMATION = 0x06;
    /// <summary>Major function: flush buffers.</summary>
    public const byte IRP_MJ_FLUSH_BUFFERS = 0x09;
    public const byte IRP_MJ_DEVICE_CONTROL = 0x0e;
    public const byte IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
    /// <summary>Major function: system shutdown.</summary>
    public const byte IRP_MJ_SHUTDOWN = 0x10;
    /// <summary>Major function: the last handle of a file object was closed.</summary>
    public const byte IRP_MJ_CLEANUP = 0x12;
    /// <summary>Major function: power IRPs.</summary>
    public const byte IRP_MJ_POWER = 0x16;
    /// <summary>Major function: WMI.</summary>
    public const byte IRP_MJ_SYSTEM_CONTROL = 0x17;
    /// <summary>Major function: PnP IRPs (minor function <c>IRP_MN_*</c>).</summary>
    public const byte IRP_MJ_PNP = 0x1b;
    /// <summary>The highest major function: <c>MajorFunction</c> has this many entries plus one.</summary>
    public const byte IRP_MJ_MAXIMUM_FUNCTION = 0x1b;

    /// <summary>PnP: start the device.</summary>
    public const byte IRP_MN_START_DEVICE = 0x00;
    /// <summary>PnP: may the device be removed?</summary>
    public const byte IRP_MN_QUERY_REMOVE_DEVICE = 0x01;
    /// <summary>PnP: remove the device (detach and delete it).</summary>
    public const byte IRP_MN_REMOVE_DEVICE = 0x02;
    /// <summary>PnP: the removal was canceled.</summary>
    public const byte IRP_MN_CANCEL_REMOVE_DEVICE = 0x03;
    /// <summary>PnP: stop the device (resource rebalance).</summary>
    public const byte IRP_MN_STOP_DEVICE = 0x04;
    /// <summary>PnP: may the device be stopped?</summary>
    public const byte IRP_MN_QUERY_STOP_DEVICE = 0x05;
    /// <summary>PnP: the stop was canceled.</summary>
    public const byte IRP_MN_CANCEL_STOP_DEVICE = 0x06;
    /// <summary>PnP: the device is gone.</summary>
    public const byte IRP_MN_SURPRISE_REMOVAL = 0x17;

    public const sbyte IO_NO_INCREMENT = 0;
    public const sbyte IO_CD_ROM_INCREMENT = 1;
    public const sbyte IO_DISK_INCREMENT = 1;
    public const sbyte IO_PARALLEL_INCREMENT = 1;
    public const sbyte IO_VIDEO_INCREMENT = 1;
    public const sbyte IO_MAILSLOT_INCREMENT = 2;
    public const sbyte IO_NAMED_PIPE_INCREMENT = 2;
    public const sbyte IO_NETWORK_INCREMENT = 2;
    public const sbyte IO_SERIAL_INCREMENT = 2;
    public const sbyte IO_KEYBOARD_INCREMENT = 6;
    public const sbyte IO_MOUSE_INCREMENT = 6;
    public const sbyte IO_SOUND_INCREMENT = 8;

    public const uint METHOD_BUFFERED = 0;
    public const uint METHOD_IN_DIRECT = 1;
    public const uint METHOD_OUT_DIRECT = 2;
    public const uint METHOD_NEITHER = 3;
    public const uint FILE_ANY_ACCESS = 0;
    public const uint FILE_READ_ACCESS = 1;
    public const uint FILE_WRITE_ACCESS = 2;
    public const uint FILE_DEVICE_UNKNOWN = 0x22;

    /// <summary>Access right: read.</summary>
    public const uint GENERIC_READ = 0x80000000;
    /// <summary>Access right: write.</summary>
    public const uint GENERIC_WRITE = 0x40000000;
    /// <summary>Access right: everything.</summary>
    public const uint GENERIC_ALL = 0x10000000;

    /// <summary>C's <c>CTL_CODE</c> macro.</summary>
    public static uint CTL_CODE(uint DeviceType, uint Function, uint Method, uint Access) =>
        (DeviceType << 16) | (Access << 14) | (Function << 2) | Method;

    /// <summary>C's <c>UNREFERENCED_PARAMETER</c>: does nothing.</summary>
    public static void UNREFERENCED_PARAMETER<T>(T Parameter) { }
}
