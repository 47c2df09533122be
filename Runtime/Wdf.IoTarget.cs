using System;

namespace DriverBuffers;

/// <summary>I/O targets: formatting requests and synchronous sends.</summary>
public static partial class Wdf
{
    public static WDFIOTARGET WdfDeviceGetIoTarget(WDFDEVICE Device) => throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetFormatRequestForRead(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDFMEMORY OutputBuffer, WDFMEMORY_OFFSET? OutputBufferOffset, long? DeviceOffset) => throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetFormatRequestForWrite(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDFMEMORY InputBuffer, WDFMEMORY_OFFSET? InputBufferOffset, long? DeviceOffset) => throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetFormatRequestForIoctl(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDFMEMORY InputBuffer, WDFMEMORY_OFFSET? InputBufferOffset, WDFMEMORY OutputBuffer, WDFMEMORY_OFFSET? OutputBufferOffset) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetSendReadSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? OutputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, out nuint BytesRead) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetSendReadSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? OutputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, PVOID BytesRead) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetSendWriteSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, out nuint BytesWritten) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetSendWriteSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, PVOID BytesWritten) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetSendIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, WDF_MEMORY_DESCRIPTOR? OutputBuffer, WDF_REQUEST_SEND_OPTIONS? RequestOptions,
        out nuint BytesReturned) => throw new NotImplementedException();

    public static NTSTATUS WdfIoTargetSendIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, WDF_MEMORY_DESCRIPTOR? OutputBuffer, WDF_REQUEST_SEND_OPTIONS? RequestOptions,
        PVOID BytesReturned) => throw new NotImplementedException();
}
