using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// The KMDF side of the API: every <c>Wdf*</c> DDI, <c>WDF_*</c> helper and WDF constant. Driver code says
/// <c>using static DriverBuffers.Wdf;</c>. Split by area into partial files.
/// </summary>
public static partial class Wdf
{
    /// <summary>The null handle; converts to every handle type.</summary>
    public static readonly WdfNoHandle WDF_NO_HANDLE = default;

    /// <summary>No object attributes (C passes <c>WDF_NO_OBJECT_ATTRIBUTES</c>, a null pointer).</summary>
    public static readonly WDF_OBJECT_ATTRIBUTES? WDF_NO_OBJECT_ATTRIBUTES = null;

    /// <summary>No send options.</summary>
    public static readonly WDF_REQUEST_SEND_OPTIONS? WDF_NO_SEND_OPTIONS = null;

    /// <summary>No completion-routine context.</summary>
    public static readonly object? WDF_NO_CONTEXT = null;

    /// <summary>C's <c>WDF_NO_EVENT_CALLBACK</c>: no callback, where a DDI takes an optional one.</summary>
    public static readonly PVOID WDF_NO_EVENT_CALLBACK = default;

    /// <summary>A driver without PnP devices (control devices only): no device-add.</summary>
    public const uint WdfDriverInitNonPnpDriver = 0x00000001;
    /// <summary>The framework leaves the driver object's dispatch routines alone (miniport drivers).</summary>
    public const uint WdfDriverInitNoDispatchOverride = 0x00000002;

    /// <summary>Not a stop action.</summary>
    public const uint WdfRequestStopActionInvalid = 0;
    /// <summary><c>EvtIoStop</c>: the device is leaving D0 for a while (acknowledge or complete the request).</summary>
    public const uint WdfRequestStopActionSuspend = 0x01;
    /// <summary><c>EvtIoStop</c>: the device is being removed (complete or cancel the request).</summary>
    public const uint WdfRequestStopActionPurge = 0x02;
    /// <summary><c>EvtIoStop</c>: the request is marked cancelable (unmark it before requeuing it).</summary>
    public const uint WdfRequestStopRequestCancelable = 0x10000000;

    /// <summary>One driver-owned request at a time.</summary>
    public const WDF_IO_QUEUE_DISPATCH_TYPE WdfIoQueueDispatchSequential = WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchSequential;
    /// <summary>Requests presented as they arrive.</summary>
    public const WDF_IO_QUEUE_DISPATCH_TYPE WdfIoQueueDispatchParallel = WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchParallel;
    /// <summary>Requests retrieved by the driver only.</summary>
    public const WDF_IO_QUEUE_DISPATCH_TYPE WdfIoQueueDispatchManual = WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchManual;

    /// <summary><see cref="WDF_TRI_STATE.WdfFalse"/>.</summary>
    public const WDF_TRI_STATE WdfFalse = WDF_TRI_STATE.WdfFalse;
    /// <summary><see cref="WDF_TRI_STATE.WdfTrue"/>.</summary>
    public const WDF_TRI_STATE WdfTrue = WDF_TRI_STATE.WdfTrue;
    /// <summary><see cref="WDF_TRI_STATE.WdfUseDefault"/>.</summary>
    public const WDF_TRI_STATE WdfUseDefault = WDF_TRI_STATE.WdfUseDefault;

    /// <summary>The working state.</summary>
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD0 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD0;
    /// <summary>Low power D1.</summary>
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD1 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD1;
    /// <summary>Low power D2.</summary>
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD2 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD2;
    /// <summary>Off, the device stays present.</summary>
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD3 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3;
    /// <summary>Off for good: first start or removal.</summary>
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD3Final = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3Final;
    /// <summary>Off for hibernation.</summary>
    public const WDF_POWER_DEVICE_STATE WdfPowerDevicePrepareForHibernation = WDF_POWER_DEVICE_STATE.WdfPowerDevicePrepareForHibernation;

    /// <summary><see cref="WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInheritFromParent"/>.</summary>
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeInheritFromParent = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInheritFromParent;
    /// <summary><see cref="WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeDevice"/>.</summary>
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeDevice = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeDevice;
    /// <summary><see cref="WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeQueue"/>.</summary>
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeQueue = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeQueue;
    /// <summary><see cref="WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeNone"/>.</summary>
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeNone = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeNone;

    /// <summary><see cref="WDF_EXECUTION_LEVEL.WdfExecutionLevelInheritFromParent"/>.</summary>
    public const WDF_EXECUTION_LEVEL WdfExecutionLevelInheritFromParent = WDF_EXECUTION_LEVEL.WdfExecutionLevelInheritFromParent;
    /// <summary><see cref="WDF_EXECUTION_LEVEL.WdfExecutionLevelPassive"/>.</summary>
    public const WDF_EXECUTION_LEVEL WdfExecutionLevelPassive = WDF_EXECUTION_LEVEL.WdfExecutionLevelPassive;
    /// <summary><see cref="WDF_EXECUTION_LEVEL.WdfExecutionLevelDispatch"/>.</summary>
    public const WDF_EXECUTION_LEVEL WdfExecutionLevelDispatch = WDF_EXECUTION_LEVEL.WdfExecutionLevelDispatch;

    /// <summary>Open a remote I/O target by the device's name.</summary>
    public const WDF_IO_TARGET_OPEN_TYPE WdfIoTargetOpenByName = WDF_IO_TARGET_OPEN_TYPE.WdfIoTargetOpenByName;

    /// <summary>A create request (IRP_MJ_CREATE).</summary>
    public const WDF_REQUEST_TYPE WdfRequestTypeCreate = WDF_REQUEST_TYPE.WdfRequestTypeCreate;
    /// <summary>A close request (IRP_MJ_CLOSE).</summary>
    public const WDF_REQUEST_TYPE WdfRequestTypeClose = WDF_REQUEST_TYPE.WdfRequestTypeClose;
    /// <summary>A cleanup request (IRP_MJ_CLEANUP).</summary>
    public const WDF_REQUEST_TYPE WdfRequestTypeCleanup = WDF_REQUEST_TYPE.WdfRequestTypeCleanup;

    public const uint WDF_REQUEST_REUSE_NO_FLAGS = 0x00000000;
    public const uint WDF_REQUEST_REUSE_SET_NEW_IRP = 0x00000001;

    public const uint WDF_REQUEST_SEND_OPTION_TIMEOUT = 0x00000001;
    public const uint WDF_REQUEST_SEND_OPTION_SYNCHRONOUS = 0x00000002;
    public const uint WDF_REQUEST_SEND_OPTION_IGNORE_TARGET_STATE = 0x00000004;
    public const uint WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET = 0x00000008;

    public const WDF_DEVICE_IO_TYPE WdfDeviceIoUndefined = WDF_DEVICE_IO_TYPE.WdfDeviceIoUndefined;
    public const WDF_DEVICE_IO_TYPE WdfDeviceIoNeither = WDF_DEVICE_IO_TYPE.WdfDeviceIoNeither;
    public const WDF_DEVICE_IO_TYPE WdfDeviceIoBuffered = WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered;
    public const WDF_DEVICE_IO_TYPE WdfDeviceIoDirect = WDF_DEVICE_IO_TYPE.WdfDeviceIoDirect;

    public const WDF_REQUEST_TYPE WdfRequestTypeRead = WDF_REQUEST_TYPE.WdfRequestTypeRead;
    public const WDF_REQUEST_TYPE WdfRequestTypeWrite = WDF_REQUEST_TYPE.WdfRequestTypeWrite;
    public const WDF_REQUEST_TYPE WdfRequestTypeDeviceControl = WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl;
    public const WDF_REQUEST_TYPE WdfRequestTypeDeviceControlInternal = WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal;

    public const WDF_MEMORY_DESCRIPTOR_TYPE WdfMemoryDescriptorTypeBuffer = WDF_MEMORY_DESCRIPTOR_TYPE.WdfMemoryDescriptorTypeBuffer;
    public const WDF_MEMORY_DESCRIPTOR_TYPE WdfMemoryDescriptorTypeMdl = WDF_MEMORY_DESCRIPTOR_TYPE.WdfMemoryDescriptorTypeMdl;
    public const WDF_MEMORY_DESCRIPTOR_TYPE WdfMemoryDescriptorTypeHandle = WDF_MEMORY_DESCRIPTOR_TYPE.WdfMemoryDescriptorTypeHandle;
}
