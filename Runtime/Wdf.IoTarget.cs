using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Targets;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// I/O targets: formatting requests (which takes the target's reference on the memory objects, see
/// <see cref="WdfRequestReuse"/>) and the synchronous sends.
/// </summary>
public static partial class Wdf
{
    /// <summary>The device's default (lower) I/O target.</summary>
    public static WDFIOTARGET WdfDeviceGetIoTarget(WDFDEVICE Device) =>
        new(HandleValidation.Use(Device.Object, nameof(WdfDeviceGetIoTarget), Device.ToString())?.DefaultTarget);

    /// <summary>
    /// Formats a request to read into <paramref name="OutputBuffer"/> (optionally a sub-range). The target holds
    /// a reference on the memory until the request is formatted again, reused, deleted or (a queue request)
    /// completed. STATUS_INVALID_DEVICE_REQUEST when the range exceeds the buffer or the request is already
    /// at a target; a driver-created request that came back must be reused first (DRV011).
    /// </summary>
    public static NTSTATUS WdfIoTargetFormatRequestForRead(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDFMEMORY OutputBuffer, WDFMEMORY_OFFSET? OutputBufferOffset, long? DeviceOffset) =>
        FormatTransfer(IoTarget, Request, WdfRequestTypeRead, OutputBuffer, OutputBufferOffset, DeviceOffset,
            nameof(WdfIoTargetFormatRequestForRead));

    /// <summary>Formats a request to write <paramref name="InputBuffer"/>; see <see cref="WdfIoTargetFormatRequestForRead"/>.</summary>
    public static NTSTATUS WdfIoTargetFormatRequestForWrite(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDFMEMORY InputBuffer, WDFMEMORY_OFFSET? InputBufferOffset, long? DeviceOffset) =>
        FormatTransfer(IoTarget, Request, WdfRequestTypeWrite, InputBuffer, InputBufferOffset, DeviceOffset,
            nameof(WdfIoTargetFormatRequestForWrite));

    /// <summary>Formats a device-control request; see <see cref="WdfIoTargetFormatRequestForRead"/>.</summary>
    public static NTSTATUS WdfIoTargetFormatRequestForIoctl(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDFMEMORY InputBuffer, WDFMEMORY_OFFSET? InputBufferOffset, WDFMEMORY OutputBuffer, WDFMEMORY_OFFSET? OutputBufferOffset) =>
        FormatIoctl(IoTarget, Request, WdfRequestTypeDeviceControl, IoctlCode, InputBuffer, InputBufferOffset, OutputBuffer,
            OutputBufferOffset, nameof(WdfIoTargetFormatRequestForIoctl));

    /// <summary>Formats an internal device-control request (driver to driver); see <see cref="WdfIoTargetFormatRequestForRead"/>.</summary>
    public static NTSTATUS WdfIoTargetFormatRequestForInternalIoctl(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDFMEMORY InputBuffer, WDFMEMORY_OFFSET? InputBufferOffset, WDFMEMORY OutputBuffer, WDFMEMORY_OFFSET? OutputBufferOffset) =>
        FormatIoctl(IoTarget, Request, WdfRequestTypeDeviceControlInternal, IoctlCode, InputBuffer, InputBufferOffset, OutputBuffer,
            OutputBufferOffset, nameof(WdfIoTargetFormatRequestForInternalIoctl));

    private static NTSTATUS FormatIoctl(WDFIOTARGET IoTarget, WDFREQUEST Request, WDF_REQUEST_TYPE type, uint IoctlCode,
        WDFMEMORY InputBuffer, WDFMEMORY_OFFSET? InputBufferOffset, WDFMEMORY OutputBuffer, WDFMEMORY_OFFSET? OutputBufferOffset, string ddi)
    {
        if (!UseTargetAndRequest(IoTarget, Request, ddi, out var target, out var request, out var failure))
        {
            return failure;
        }
        var input = RegionOf(InputBuffer, InputBufferOffset, ddi, out var status);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        var output = RegionOf(OutputBuffer, OutputBufferOffset, ddi, out status);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        return RequestSender.Format(request!, target!, new TargetFormat(type, input, output, IoctlCode, 0), ddi);
    }

    /// <summary>
    /// Reads synchronously into the buffer the descriptor names. <paramref name="Request"/> may be NULL (the
    /// framework uses its own); a driver request must be reused afterwards before it is sent again.
    /// Returns the target's status; <paramref name="BytesRead"/> gets its information.
    /// </summary>
    public static NTSTATUS WdfIoTargetSendReadSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? OutputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, out nuint BytesRead) =>
        SendSynchronously(IoTarget, Request, WdfRequestTypeRead, 0, null, OutputBuffer, DeviceOffset, RequestOptions,
            out BytesRead, nameof(WdfIoTargetSendReadSynchronously));

    public static NTSTATUS WdfIoTargetSendReadSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? OutputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, PVOID BytesRead)
    {
        NullOnly.Convert(BytesRead, 0);
        return WdfIoTargetSendReadSynchronously(IoTarget, Request, OutputBuffer, DeviceOffset, RequestOptions, out nuint _);
    }

    /// <summary>Writes synchronously from the buffer the descriptor names; see <see cref="WdfIoTargetSendReadSynchronously(WDFIOTARGET, WDFREQUEST, WDF_MEMORY_DESCRIPTOR?, long?, WDF_REQUEST_SEND_OPTIONS?, out nuint)"/>.</summary>
    public static NTSTATUS WdfIoTargetSendWriteSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, out nuint BytesWritten) =>
        SendSynchronously(IoTarget, Request, WdfRequestTypeWrite, 0, InputBuffer, null, DeviceOffset, RequestOptions,
            out BytesWritten, nameof(WdfIoTargetSendWriteSynchronously));

    public static NTSTATUS WdfIoTargetSendWriteSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, long? DeviceOffset, WDF_REQUEST_SEND_OPTIONS? RequestOptions, PVOID BytesWritten)
    {
        NullOnly.Convert(BytesWritten, 0);
        return WdfIoTargetSendWriteSynchronously(IoTarget, Request, InputBuffer, DeviceOffset, RequestOptions, out nuint _);
    }

    /// <summary>Sends a device-control request synchronously; see <see cref="WdfIoTargetSendReadSynchronously(WDFIOTARGET, WDFREQUEST, WDF_MEMORY_DESCRIPTOR?, long?, WDF_REQUEST_SEND_OPTIONS?, out nuint)"/>.</summary>
    public static NTSTATUS WdfIoTargetSendIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, WDF_MEMORY_DESCRIPTOR? OutputBuffer, WDF_REQUEST_SEND_OPTIONS? RequestOptions,
        out nuint BytesReturned) =>
        SendSynchronously(IoTarget, Request, WdfRequestTypeDeviceControl, IoctlCode, InputBuffer, OutputBuffer, null, RequestOptions,
            out BytesReturned, nameof(WdfIoTargetSendIoctlSynchronously));

    public static NTSTATUS WdfIoTargetSendIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, WDF_MEMORY_DESCRIPTOR? OutputBuffer, WDF_REQUEST_SEND_OPTIONS? RequestOptions,
        PVOID BytesReturned)
    {
        NullOnly.Convert(BytesReturned, 0);
        return WdfIoTargetSendIoctlSynchronously(IoTarget, Request, IoctlCode, InputBuffer, OutputBuffer, RequestOptions, out nuint _);
    }

    /// <summary>Sends an internal device-control request synchronously; see <see cref="WdfIoTargetSendReadSynchronously(WDFIOTARGET, WDFREQUEST, WDF_MEMORY_DESCRIPTOR?, long?, WDF_REQUEST_SEND_OPTIONS?, out nuint)"/>.</summary>
    public static NTSTATUS WdfIoTargetSendInternalIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, WDF_MEMORY_DESCRIPTOR? OutputBuffer, WDF_REQUEST_SEND_OPTIONS? RequestOptions,
        out nuint BytesReturned) =>
        SendSynchronously(IoTarget, Request, WdfRequestTypeDeviceControlInternal, IoctlCode, InputBuffer, OutputBuffer, null, RequestOptions,
            out BytesReturned, nameof(WdfIoTargetSendInternalIoctlSynchronously));

    /// <summary><see cref="WdfIoTargetSendInternalIoctlSynchronously(WDFIOTARGET, WDFREQUEST, uint, WDF_MEMORY_DESCRIPTOR?, WDF_MEMORY_DESCRIPTOR?, WDF_REQUEST_SEND_OPTIONS?, out nuint)"/> with C's <c>NULL</c> for the byte count.</summary>
    public static NTSTATUS WdfIoTargetSendInternalIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, uint IoctlCode,
        WDF_MEMORY_DESCRIPTOR? InputBuffer, WDF_MEMORY_DESCRIPTOR? OutputBuffer, WDF_REQUEST_SEND_OPTIONS? RequestOptions,
        PVOID BytesReturned)
    {
        NullOnly.Convert(BytesReturned, 0);
        return WdfIoTargetSendInternalIoctlSynchronously(IoTarget, Request, IoctlCode, InputBuffer, OutputBuffer, RequestOptions, out nuint _);
    }

    private static NTSTATUS FormatTransfer(WDFIOTARGET targetHandle, WDFREQUEST requestHandle, WDF_REQUEST_TYPE type,
        WDFMEMORY memory, WDFMEMORY_OFFSET? offsets, long? deviceOffset, string ddi)
    {
        if (!UseTargetAndRequest(targetHandle, requestHandle, ddi, out var target, out var request, out var failure))
        {
            return failure;
        }
        var region = RegionOf(memory, offsets, ddi, out var status);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        var format = type == WdfRequestTypeRead
            ? new TargetFormat(type, null, region, 0, deviceOffset ?? 0)
            : new TargetFormat(type, region, null, 0, deviceOffset ?? 0);
        return RequestSender.Format(request!, target!, format, ddi);
    }

    private static bool UseTargetAndRequest(WDFIOTARGET targetHandle, WDFREQUEST requestHandle, string ddi,
        out WdfIoTargetObject? target, out WdfRequestObject? request, out NTSTATUS failure)
    {
        target = HandleValidation.Use(targetHandle.Object, ddi, targetHandle.ToString());
        request = target is null ? null : UseRequest(requestHandle, ddi);
        failure = target is null ? STATUS_INVALID_HANDLE : FailureFor(requestHandle);
        return target is not null && request is not null;
    }

    /// <summary>The part of a memory object a format names; NULL memory is an empty transfer.</summary>
    private static TransferRegion? RegionOf(WDFMEMORY handle, WDFMEMORY_OFFSET? offsets, string ddi, out NTSTATUS status)
    {
        status = STATUS_SUCCESS;
        if (handle.Object is null)
        {
            return null;
        }
        var memory = HandleValidation.Use(handle.Object, ddi, handle.ToString());
        if (memory is null)
        {
            status = STATUS_INVALID_HANDLE;
            return null;
        }
        nuint size = memory.Length;
        if (offsets is null)
        {
            return new TransferRegion(memory.Buffer, size, memory);
        }
        nuint length = offsets.BufferLength == 0 && offsets.BufferOffset <= size ? size - offsets.BufferOffset : offsets.BufferLength;
        if (offsets.BufferOffset > size || length > size - offsets.BufferOffset)
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            return null;
        }
        return new TransferRegion(memory.Buffer + offsets.BufferOffset, length, memory);
    }

    /// <summary>The buffer a memory descriptor names; NULL descriptor is an empty transfer.</summary>
    private static TransferRegion? RegionOf(WDF_MEMORY_DESCRIPTOR? descriptor, string ddi, out NTSTATUS status)
    {
        status = STATUS_SUCCESS;
        switch (descriptor?.Type)
        {
            case null:
                return null;
            case WdfMemoryDescriptorTypeBuffer:
                var buffer = descriptor.u.BufferType;
                if (!PointerOperations.CheckRange(buffer.Buffer, buffer.Length, ddi))
                {
                    status = STATUS_INVALID_PARAMETER;
                    return null;
                }
                return new TransferRegion(buffer.Buffer, buffer.Length, null);
            case WdfMemoryDescriptorTypeHandle:
                return RegionOf(descriptor.u.HandleType.Memory, descriptor.u.HandleType.Offsets, ddi, out status);
            case WdfMemoryDescriptorTypeMdl:
                var mdl = descriptor.u.MdlType.Mdl.Object;
                var mapped = mdl?.Map(ddi) ?? NULL;
                if (mapped == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    return null;
                }
                return new TransferRegion(mapped, descriptor.u.MdlType.BufferLength, null);
            default:
                status = STATUS_INVALID_PARAMETER;
                return null;
        }
    }

    private static NTSTATUS SendSynchronously(WDFIOTARGET targetHandle, WDFREQUEST requestHandle, WDF_REQUEST_TYPE type,
        uint ioctl, WDF_MEMORY_DESCRIPTOR? inputDescriptor, WDF_MEMORY_DESCRIPTOR? outputDescriptor, long? deviceOffset,
        WDF_REQUEST_SEND_OPTIONS? options, out nuint bytes, string ddi)
    {
        bytes = 0;
        var target = HandleValidation.Use(targetHandle.Object, ddi, targetHandle.ToString());
        if (target is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        var input = RegionOf(inputDescriptor, ddi, out var status);
        var output = NT_SUCCESS(status) ? RegionOf(outputDescriptor, ddi, out status) : null;
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        var format = new TargetFormat(type, input, output, ioctl, deviceOffset ?? 0);
        var syncOptions = new WDF_REQUEST_SEND_OPTIONS
        {
            Flags = (options?.Flags ?? 0) | WDF_REQUEST_SEND_OPTION_SYNCHRONOUS,
            Timeout = options?.Timeout ?? 0,
        };
        if (requestHandle.Object is null)
        {
            (status, bytes) = RequestSender.SendWithoutRequest(target, format, syncOptions);
            return status;
        }
        var request = UseRequest(requestHandle, ddi);
        if (request is null)
        {
            return FailureFor(requestHandle);
        }
        status = RequestSender.Format(request, target, format, ddi);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        RequestSender.Send(request, target, syncOptions, ddi);
        bytes = request.Information;
        return request.Status;
    }
}
