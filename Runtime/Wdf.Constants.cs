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
