namespace DriverBuffers;

/// <summary>Called when a device starts, with its hardware resources (C's <c>EVT_WDF_DEVICE_PREPARE_HARDWARE</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_PREPARE_HARDWARE(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw, WDFCMRESLIST ResourcesTranslated);

/// <summary>Called when a device is stopped or removed, to release what PrepareHardware took (C's <c>EVT_WDF_DEVICE_RELEASE_HARDWARE</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_RELEASE_HARDWARE(WDFDEVICE Device, WDFCMRESLIST ResourcesTranslated);

/// <summary>Called when a device enters its working state D0 (C's <c>EVT_WDF_DEVICE_D0_ENTRY</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_D0_ENTRY(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState);

/// <summary>Called when a device leaves D0 (C's <c>EVT_WDF_DEVICE_D0_EXIT</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_D0_EXIT(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState);

/// <summary>Self-managed I/O start, suspend or restart (C's <c>EVT_WDF_DEVICE_SELF_MANAGED_IO_INIT/SUSPEND/RESTART</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_SELF_MANAGED_IO_INIT(WDFDEVICE Device);

/// <summary>Self-managed I/O suspend (C's <c>EVT_WDF_DEVICE_SELF_MANAGED_IO_SUSPEND</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_SELF_MANAGED_IO_SUSPEND(WDFDEVICE Device);

/// <summary>Self-managed I/O restart after a suspend (C's <c>EVT_WDF_DEVICE_SELF_MANAGED_IO_RESTART</c>).</summary>
public delegate NTSTATUS EVT_WDF_DEVICE_SELF_MANAGED_IO_RESTART(WDFDEVICE Device);

/// <summary>Self-managed I/O flush, when the device is being removed (C's <c>EVT_WDF_DEVICE_SELF_MANAGED_IO_FLUSH</c>).</summary>
public delegate void EVT_WDF_DEVICE_SELF_MANAGED_IO_FLUSH(WDFDEVICE Device);

/// <summary>Self-managed I/O cleanup, the last callback before the device is deleted (C's <c>EVT_WDF_DEVICE_SELF_MANAGED_IO_CLEANUP</c>).</summary>
public delegate void EVT_WDF_DEVICE_SELF_MANAGED_IO_CLEANUP(WDFDEVICE Device);

/// <summary>Called when the device was unplugged (C's <c>EVT_WDF_DEVICE_SURPRISE_REMOVAL</c>).</summary>
public delegate void EVT_WDF_DEVICE_SURPRISE_REMOVAL(WDFDEVICE Device);
