namespace DriverBuffers;

/// <summary>C's <c>WDF_REQUEST_TYPE</c> (values are the IRP major function codes).</summary>
public enum WDF_REQUEST_TYPE
{
    WdfRequestTypeCreate = 0x0,
    WdfRequestTypeCreateNamedPipe = 0x1,
    WdfRequestTypeClose = 0x2,
    WdfRequestTypeRead = 0x3,
    WdfRequestTypeWrite = 0x4,
    WdfRequestTypeQueryInformation = 0x5,
    WdfRequestTypeSetInformation = 0x6,
    WdfRequestTypeFlushBuffers = 0x9,
    WdfRequestTypeDeviceControl = 0xE,
    WdfRequestTypeDeviceControlInternal = 0xF,
    WdfRequestTypeShutdown = 0x10,
    WdfRequestTypeCleanup = 0x12,
    WdfRequestTypeOther = 0x13,
}
