namespace DriverBuffers;

/// <summary>C's <c>WDF_POWER_DEVICE_STATE</c>: the device power state a D0 entry comes from or a D0 exit goes to.</summary>
public enum WDF_POWER_DEVICE_STATE
{
    /// <summary>Not a power state.</summary>
    WdfPowerDeviceInvalid = 0,
    /// <summary>Working state.</summary>
    WdfPowerDeviceD0,
    /// <summary>Low power D1.</summary>
    WdfPowerDeviceD1,
    /// <summary>Low power D2.</summary>
    WdfPowerDeviceD2,
    /// <summary>Off, the device stays present.</summary>
    WdfPowerDeviceD3,
    /// <summary>Off for good: the device starts for the first time or is being removed.</summary>
    WdfPowerDeviceD3Final,
    /// <summary>Off for hibernation.</summary>
    WdfPowerDevicePrepareForHibernation,
    /// <summary>Sentinel.</summary>
    WdfPowerDeviceMaximum,
}
