namespace DriverBuffers;

/// <summary>C's <c>WDF_DEVICE_IO_TYPE</c>: how a device's read and write requests carry their buffers.</summary>
public enum WDF_DEVICE_IO_TYPE
{
    WdfDeviceIoUndefined = 0,
    WdfDeviceIoNeither,
    WdfDeviceIoBuffered,
    WdfDeviceIoDirect,
    WdfDeviceIoBufferedOrDirect = 4,
}
