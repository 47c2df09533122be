namespace DriverBuffers;

/// <summary>C's <c>WDF_IO_TARGET_OPEN_TYPE</c>.</summary>
public enum WDF_IO_TARGET_OPEN_TYPE
{
    /// <summary>Not a type.</summary>
    WdfIoTargetOpenUndefined = 0,
    /// <summary>Open an existing WDM device object (not simulated).</summary>
    WdfIoTargetOpenUseExistingDevice,
    /// <summary>Open a device by its name (the host provides named targets).</summary>
    WdfIoTargetOpenByName,
    /// <summary>Reopen a target closed for query-remove.</summary>
    WdfIoTargetOpenReopen,
    /// <summary>Open the local target (not simulated).</summary>
    WdfIoTargetOpenLocalTargetByFile,
}

/// <summary>C's <c>WDF_IO_TARGET_OPEN_PARAMS</c>; initialise with <see cref="Wdf.WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME"/>.</summary>
public sealed class WDF_IO_TARGET_OPEN_PARAMS
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>How the target is named.</summary>
    public WDF_IO_TARGET_OPEN_TYPE Type { get; set; }

    /// <summary>The device's name, e.g. <c>\Device\MyLower</c>.</summary>
    public UNICODE_STRING? TargetDeviceName { get; set; }

    /// <summary>The access the driver asks for (<c>GENERIC_READ | GENERIC_WRITE</c>, ...).</summary>
    public uint DesiredAccess { get; set; }

    /// <summary>C's <c>ShareAccess</c>.</summary>
    public uint ShareAccess { get; set; }
}
