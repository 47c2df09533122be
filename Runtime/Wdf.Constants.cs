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

    public const uint WdfDriverInitNonPnpDriver = 0x00000001;
    public const uint WdfDriverInitNoDispatchOverride = 0x00000002;

    public const uint WdfRequestStopActionInvalid = 0;
    public const uint WdfRequestStopActionSuspend = 0x01;
    public const uint WdfRequestStopActionPurge = 0x02;
    public const uint WdfRequestStopRequestCancelable = 0x10000000;

    public const WDF_IO_QUEUE_DISPATCH_TYPE WdfIoQueueDispatchSequential = WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchSequential;
    public const WDF_IO_QUEUE_DISPATCH_TYPE WdfIoQueueDispatchParallel = WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchParallel;
    public const WDF_IO_QUEUE_DISPATCH_TYPE WdfIoQueueDispatchManual = WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchManual;

    public const WDF_TRI_STATE WdfFalse = WDF_TRI_STATE.WdfFalse;
    public const WDF_TRI_STATE WdfTrue = WDF_TRI_STATE.WdfTrue;
    public const WDF_TRI_STATE WdfUseDefault = WDF_TRI_STATE.WdfUseDefault;

    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD0 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD0;
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD1 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD1;
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD2 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD2;
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD3 = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3;
    public const WDF_POWER_DEVICE_STATE WdfPowerDeviceD3Final = WDF_POWER_DEVICE_STATE.WdfPowerDeviceD3Final;
    public const WDF_POWER_DEVICE_STATE WdfPowerDevicePrepareForHibernation = WDF_POWER_DEVICE_STATE.WdfPowerDevicePrepareForHibernation;

    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeInheritFromParent = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInheritFromParent;
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeDevice = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeDevice;
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeQueue = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeQueue;
    public const WDF_SYNCHRONIZATION_SCOPE WdfSynchronizationScopeNone = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeNone;

    public const WDF_EXECUTION_LEVEL WdfExecutionLevelInheritFromParent = WDF_EXECUTION_LEVEL.WdfExecutionLevelInheritFromParent;
    public const WDF_EXECUTION_LEVEL WdfExecutionLevelPassive = WDF_EXECUTION_LEVEL.WdfExecutionLevelPassive;
    public const WDF_EXECUTION_LEVEL WdfExecutionLevelDispatch = WDF_EXECUTION_LEVEL.WdfExecutionLevelDispatch;

    public const WDF_IO_TARGET_OPEN_TYPE WdfIoTargetOpenByName = WDF_IO_TARGET_OPEN_TYPE.WdfIoTargetOpenByName;

    public const WDF_REQUEST_TYPE WdfRequestTypeCreate = WDF_REQUEST_TYPE.WdfRequestTypeCreate;
    public const WDF_REQUEST_TYPE WdfRequestTypeClose = WDF_REQUEST_TYPE.WdfRequestTypeClose;
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
