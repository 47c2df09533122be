// Port of the shipped generic USB sample driver's buffered read/write and IOCTL paths (microsoft/Windows-driver-samples,
// usb/usbsamp/sys, built with BUFFERED_READ_WRITE): driver.c (DriverEntry, UsbSamp_EvtDeviceAdd, trimmed), device.c
// (UsbSamp_EvtDevicePrepareHardware, ConfigureDevice), queue.c (UsbSamp_EvtIoDeviceControl, UsbSamp_EvtIoRead,
// UsbSamp_EvtIoWrite, ResetPipe, ResetDevice), bulkrwr.c (the BUFFERED_READ_WRITE ReadWriteBulkEndPoints,
// UsbSamp_EvtReadWriteCompletion, UsbSamp_EvtReadWriteWorkItem, QueuePassiveLevelCallback) and private.h/public.h.
// A KMDF function driver: a read or write longer than the pipe's maximum packet size is sent down in stages: the queue's
// own request is formatted with a preallocated memory object over its buffer (parented to the request), sent, and in the
// completion routine formatted again at the next offset and sent again, until the whole length is transferred.
// Mechanical translation per API.md; where the API differs:
//   * USB targets are not in the API: the bulk pipe is the device's default I/O target (WdfDeviceGetIoTarget), so
//     WdfUsbTargetPipeFormatRequestForRead/Write are WdfIoTargetFormatRequestForRead/Write with a null device offset,
//     WdfUsbTargetPipeGetIoTarget(pipe) is the pipe itself, the USB completion parameters (Parameters.Usb.Completion->
//     Parameters.PipeRead/PipeWrite) are CompletionParams.Parameters.Read/Write; the pipe of the file object
//     (GetFileContext(WdfRequestGetFileObject(Request))->Pipe, chosen at create by name) is DEVICE_CONTEXT.BulkPipe;
//   * WdfUsbTargetDeviceRetrieveConfigDescriptor, WdfUsbTargetPipeResetSynchronously and
//     WdfUsbTargetDeviceResetPortSynchronously are the stand-ins of the region "USB stand-in" (a fixed 32-byte
//     configuration descriptor with wTotalLength at offset 2); WdfIoTargetGetDevice(Target) is the device context's
//     Device (the completion context is the device context, as in C);
//   * the request context (WdfDeviceInitSetRequestAttributes with REQUEST_CONTEXT) is the same; GetMaxPacketSize returns
//     the pipe's maximum packet size kept in the device context.
// Left out: the direct-I/O and isochronous paths (isorwr.c, stream.c: URBs and MDL chains the API has no DDIs for), the
// file-create callback and GetPipeFromName (file objects), select-config and pipe-context initialisation, power and
// selective suspend, the tracing. The shipped sample formats its queue request again in its completion routine without
// WdfRequestReuse: allowed for a request the driver received (the framework reinitialises it when it comes back), the
// rules about reuse are about driver-created requests; it is kept as is.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class UsbSamp
{
    public const uint FILE_DEVICE_UNKNOWN_USBSAMP = 0x00000022;
    public const uint USBSAMP_IOCTL_INDEX = 0x0000;
    public const uint FILE_ANY_ACCESS_USBSAMP = 0;

    // CTL_CODE(FILE_DEVICE_UNKNOWN, USBSAMP_IOCTL_INDEX + n, METHOD_BUFFERED, FILE_ANY_ACCESS)
    public const uint IOCTL_USBSAMP_GET_CONFIG_DESCRIPTOR = (FILE_DEVICE_UNKNOWN_USBSAMP << 16) | ((USBSAMP_IOCTL_INDEX + 0) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_USBSAMP_RESET_DEVICE = (FILE_DEVICE_UNKNOWN_USBSAMP << 16) | ((USBSAMP_IOCTL_INDEX + 1) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_USBSAMP_RESET_PIPE = (FILE_DEVICE_UNKNOWN_USBSAMP << 16) | ((USBSAMP_IOCTL_INDEX + 2) << 2) | METHOD_BUFFERED;

    public const uint POOL_TAG = 0x53627355; // 'UsbS'
    public const uint DEFAULT_REGISTRY_TRANSFER_SIZE = 65536;
    public const uint DEFAULT_MAX_PACKET_SIZE = 64;

    // USB_CONFIGURATION_DESCRIPTOR: bLength, bDescriptorType, wTotalLength (offset 2), ...
    public const nuint USB_CONFIGURATION_DESCRIPTOR_wTotalLength = 2;
    public const uint USB_CONFIGURATION_DESCRIPTOR_SIZE = 9;

    public sealed class DEVICE_CONTEXT
    {
        public WDFDEVICE Device;
        public PVOID UsbConfigurationDescriptor;
        public WDFIOTARGET BulkPipe;
        public uint MaximumTransferSize;
        public uint MaxPacketSize;
    }

    public sealed class REQUEST_CONTEXT
    {
        public bool Read;
        public uint Length;
        public uint Numxfer;
    }

    public sealed class WORKITEM_CONTEXT
    {
        public WDFDEVICE Device;
        public WDFIOTARGET Pipe;
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

    public static REQUEST_CONTEXT GetRequestContext(WDFOBJECT o) => WdfObjectGetTypedContext<REQUEST_CONTEXT>(o);

    public static WORKITEM_CONTEXT GetWorkItemContext(WDFOBJECT o) => WdfObjectGetTypedContext<WORKITEM_CONTEXT>(o);

    // ---- driver.c -------------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out config, UsbSamp_EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        return status;
    }

    public static NTSTATUS UsbSamp_EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_PNPPOWER_EVENT_CALLBACKS pnpPowerCallbacks;
        WDF_OBJECT_ATTRIBUTES attributes;
        NTSTATUS status;
        WDFDEVICE device;
        WDF_IO_QUEUE_CONFIG ioQueueConfig;
        DEVICE_CONTEXT pDevContext;
        WDFQUEUE queue;

        UNREFERENCED_PARAMETER(Driver);
        PAGED_CODE();

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDevicePrepareHardware = UsbSamp_EvtDevicePrepareHardware;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        // BUFFERED_READ_WRITE
        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<REQUEST_CONTEXT>(out attributes);
        WdfDeviceInitSetRequestAttributes(DeviceInit, attributes);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out attributes);

        status = WdfDeviceCreate(ref DeviceInit, attributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        pDevContext = GetDeviceContext(device);
        pDevContext.Device = device;
        pDevContext.MaximumTransferSize = DEFAULT_REGISTRY_TRANSFER_SIZE;

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out ioQueueConfig, WdfIoQueueDispatchParallel);

        ioQueueConfig.EvtIoRead = UsbSamp_EvtIoRead;
        ioQueueConfig.EvtIoWrite = UsbSamp_EvtIoWrite;
        ioQueueConfig.EvtIoDeviceControl = UsbSamp_EvtIoDeviceControl;

        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    // ---- device.c -------------------------------------------------------------------------------------------------

    public static NTSTATUS UsbSamp_EvtDevicePrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourceList, WDFCMRESLIST ResourceListTranslated)
    {
        DEVICE_CONTEXT pDeviceContext;

        UNREFERENCED_PARAMETER(ResourceList);
        UNREFERENCED_PARAMETER(ResourceListTranslated);

        pDeviceContext = GetDeviceContext(Device);
        pDeviceContext.BulkPipe = WdfDeviceGetIoTarget(Device);
        pDeviceContext.MaxPacketSize = DEFAULT_MAX_PACKET_SIZE;

        return ConfigureDevice(Device);
    }

    public static NTSTATUS ConfigureDevice(WDFDEVICE Device)
    {
        ushort size = 0;
        NTSTATUS status;
        DEVICE_CONTEXT pDeviceContext;
        PVOID configurationDescriptor;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDFMEMORY memory;

        PAGED_CODE();

        configurationDescriptor = NULL;
        pDeviceContext = GetDeviceContext(Device);

        // Read the first configuration descriptor in two steps: ask how big it is, then allocate it and get it.
        status = WdfUsbTargetDeviceRetrieveConfigDescriptor(NULL, ref size);

        if (status != STATUS_BUFFER_TOO_SMALL || size == 0)
        {
            return status;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, POOL_TAG, size, out memory, out configurationDescriptor);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfUsbTargetDeviceRetrieveConfigDescriptor(configurationDescriptor, ref size);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        // UsbSamp_ValidateConfigurationDescriptor: wTotalLength must lie within what was retrieved.
        if (size < USB_CONFIGURATION_DESCRIPTOR_SIZE ||
            configurationDescriptor.Read<ushort>(USB_CONFIGURATION_DESCRIPTOR_wTotalLength) > size)
        {
            return STATUS_INVALID_PARAMETER;
        }

        pDeviceContext.UsbConfigurationDescriptor = configurationDescriptor;

        return status;
    }

    // ---- queue.c --------------------------------------------------------------------------------------------------

    public static void UsbSamp_EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        WDFDEVICE device;
        PVOID ioBuffer;
        nuint bufLength;
        NTSTATUS status;
        DEVICE_CONTEXT pDevContext;
        uint length = 0;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);

        PAGED_CODE();

        device = WdfIoQueueGetDevice(Queue);
        pDevContext = GetDeviceContext(device);

        switch (IoControlCode)
        {
            case IOCTL_USBSAMP_RESET_PIPE:
                if (pDevContext.BulkPipe == default)
                {
                    status = STATUS_INVALID_PARAMETER;
                }
                else
                {
                    status = ResetPipe(pDevContext.BulkPipe);
                }

                break;

            case IOCTL_USBSAMP_GET_CONFIG_DESCRIPTOR:
                if (pDevContext.UsbConfigurationDescriptor != NULL)
                {
                    length = pDevContext.UsbConfigurationDescriptor.Read<ushort>(USB_CONFIGURATION_DESCRIPTOR_wTotalLength);

                    status = WdfRequestRetrieveOutputBuffer(Request, length, out ioBuffer, out bufLength);
                    if (!NT_SUCCESS(status))
                    {
                        break;
                    }

                    RtlCopyMemory(ioBuffer, pDevContext.UsbConfigurationDescriptor, length);

                    status = STATUS_SUCCESS;
                }
                else
                {
                    status = STATUS_INVALID_DEVICE_STATE;
                }

                break;

            case IOCTL_USBSAMP_RESET_DEVICE:
                status = ResetDevice(device);
                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        WdfRequestCompleteWithInformation(Request, status, length);
    }

    public static void UsbSamp_EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET pipe;

        PAGED_CODE();

        pipe = GetDeviceContext(WdfIoQueueGetDevice(Queue)).BulkPipe;
        if (pipe == default)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_INVALID_PARAMETER, 0);
            return;
        }

        // Bulk or interrupt pipe (isochronous is not supported for buffered I/O).
        ReadWriteBulkEndPoints(Queue, Request, (uint)Length, WdfRequestTypeRead);
    }

    public static void UsbSamp_EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET pipe;

        PAGED_CODE();

        pipe = GetDeviceContext(WdfIoQueueGetDevice(Queue)).BulkPipe;
        if (pipe == default)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_INVALID_PARAMETER, 0);
            return;
        }

        ReadWriteBulkEndPoints(Queue, Request, (uint)Length, WdfRequestTypeWrite);
    }

    public static NTSTATUS ResetPipe(WDFIOTARGET Pipe)
    {
        PAGED_CODE();

        return WdfUsbTargetPipeResetSynchronously(Pipe);
    }

    public static NTSTATUS ResetDevice(WDFDEVICE Device)
    {
        DEVICE_CONTEXT pDeviceContext;

        PAGED_CODE();

        pDeviceContext = GetDeviceContext(Device);

        return WdfUsbTargetDeviceResetPortSynchronously(pDeviceContext.BulkPipe);
    }

    // ---- bulkrwr.c (BUFFERED_READ_WRITE) --------------------------------------------------------------------------

    public static void ReadWriteBulkEndPoints(WDFQUEUE Queue, WDFREQUEST Request, uint Length, WDF_REQUEST_TYPE RequestType)
    {
        nuint totalLength = Length;
        nuint stageLength = 0;
        NTSTATUS status;
        PVOID virtualAddress = NULL;
        REQUEST_CONTEXT rwContext;
        WDFIOTARGET pipe;
        WDFMEMORY reqMemory;
        WDFMEMORY_OFFSET offset;
        WDF_OBJECT_ATTRIBUTES objectAttribs;
        DEVICE_CONTEXT deviceContext;
        uint maxPacketSize;

        deviceContext = GetDeviceContext(WdfIoQueueGetDevice(Queue));

        if (totalLength > deviceContext.MaximumTransferSize)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        if (RequestType != WdfRequestTypeRead && RequestType != WdfRequestTypeWrite)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        pipe = deviceContext.BulkPipe;

        rwContext = GetRequestContext(Request);

        if (RequestType == WdfRequestTypeRead)
        {
            status = WdfRequestRetrieveOutputBuffer(Request, Length, out virtualAddress, out totalLength);
            rwContext.Read = TRUE;
        }
        else
        {
            status = WdfRequestRetrieveInputBuffer(Request, Length, out virtualAddress, out totalLength);
            rwContext.Read = FALSE;
        }

        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        // The transfer request is for totalLength; we can perform a max of maxPacketSize in each stage.
        maxPacketSize = GetMaxPacketSize(pipe, deviceContext);

        if (totalLength > maxPacketSize)
        {
            stageLength = maxPacketSize;
        }
        else
        {
            stageLength = totalLength;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out objectAttribs);
        objectAttribs.ParentObject = Request;
        status = WdfMemoryCreatePreallocated(objectAttribs, virtualAddress, totalLength, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        offset = new WDFMEMORY_OFFSET { BufferOffset = 0, BufferLength = stageLength };

        if (RequestType == WdfRequestTypeRead)
        {
            status = WdfIoTargetFormatRequestForRead(pipe, Request, reqMemory, offset, null);
        }
        else
        {
            status = WdfIoTargetFormatRequestForWrite(pipe, Request, reqMemory, offset, null);
        }

        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(Request, UsbSamp_EvtReadWriteCompletion, deviceContext);

        rwContext.Length = (uint)totalLength - (uint)stageLength;
        rwContext.Numxfer = 0;

        // Send the request asynchronously.
        if (WdfRequestSend(Request, pipe, WDF_NO_SEND_OPTIONS) == FALSE)
        {
            status = WdfRequestGetStatus(Request);
            goto Exit;
        }

    Exit:
        if (!NT_SUCCESS(status))
        {
            WdfRequestCompleteWithInformation(Request, status, 0);
        }
    }

    public static void UsbSamp_EvtReadWriteCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WDFIOTARGET pipe;
        uint stageLength = 0;
        NTSTATUS status;
        REQUEST_CONTEXT rwContext;
        uint bytesReadWritten;
        WDFMEMORY_OFFSET offset;
        uint maxPacketSize;
        DEVICE_CONTEXT deviceContext;

        rwContext = GetRequestContext(Request);
        deviceContext = (DEVICE_CONTEXT)Context!;

        if (rwContext.Read)
        {
            bytesReadWritten = (uint)CompletionParams.Parameters.Read.Length;
        }
        else
        {
            bytesReadWritten = (uint)CompletionParams.Parameters.Write.Length;
        }

        pipe = Target;
        status = CompletionParams.IoStatus.Status;

        if (!NT_SUCCESS(status))
        {
            // Queue a workitem to reset the pipe because the completion could be running at DISPATCH_LEVEL.
            QueuePassiveLevelCallback(deviceContext.Device, pipe);
            goto End;
        }

        rwContext.Numxfer += bytesReadWritten;

        // If there is anything left to transfer.
        if (rwContext.Length == 0)
        {
            // this is the last transfer
            WdfRequestSetInformation(Request, rwContext.Numxfer);
            goto End;
        }

        // Start another transfer.
        maxPacketSize = GetMaxPacketSize(pipe, deviceContext);

        if (rwContext.Length > maxPacketSize)
        {
            stageLength = maxPacketSize;
        }
        else
        {
            stageLength = rwContext.Length;
        }

        offset = new WDFMEMORY_OFFSET { BufferOffset = rwContext.Numxfer, BufferLength = stageLength };

        rwContext.Length -= stageLength;

        if (rwContext.Read)
        {
            status = WdfIoTargetFormatRequestForRead(pipe, Request, CompletionParams.Parameters.Read.Buffer, offset, null);
        }
        else
        {
            status = WdfIoTargetFormatRequestForWrite(pipe, Request, CompletionParams.Parameters.Write.Buffer, offset, null);
        }

        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        WdfRequestSetCompletionRoutine(Request, UsbSamp_EvtReadWriteCompletion, deviceContext);

        // Send the request asynchronously.
        if (!WdfRequestSend(Request, pipe, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(Request);
            goto End;
        }

        // Else when the request completes, this completion routine will be called again.
        return;

    End:
        // We are here because the request failed or some other call failed: complete the request.
        WdfRequestComplete(Request, status);
    }

    public static void UsbSamp_EvtReadWriteWorkItem(WDFWORKITEM WorkItem)
    {
        WORKITEM_CONTEXT pItemContext;
        NTSTATUS status;

        pItemContext = GetWorkItemContext(WorkItem);

        status = ResetPipe(pItemContext.Pipe);
        if (!NT_SUCCESS(status))
        {
            status = ResetDevice(pItemContext.Device);
        }

        WdfObjectDelete(WorkItem);
    }

    public static NTSTATUS QueuePassiveLevelCallback(WDFDEVICE Device, WDFIOTARGET Pipe)
    {
        NTSTATUS status;
        WORKITEM_CONTEXT context;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDF_WORKITEM_CONFIG workitemConfig;
        WDFWORKITEM hWorkItem;

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<WORKITEM_CONTEXT>(out attributes);
        attributes.ParentObject = Device;

        WDF_WORKITEM_CONFIG_INIT(out workitemConfig, UsbSamp_EvtReadWriteWorkItem);

        status = WdfWorkItemCreate(workitemConfig, attributes, out hWorkItem);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        context = GetWorkItemContext(hWorkItem);
        context.Device = Device;
        context.Pipe = Pipe;

        // Execute this work item.
        WdfWorkItemEnqueue(hWorkItem);

        return STATUS_SUCCESS;
    }

    public static uint GetMaxPacketSize(WDFIOTARGET Pipe, DEVICE_CONTEXT DeviceContext)
    {
        UNREFERENCED_PARAMETER(Pipe);
        return DeviceContext.MaxPacketSize;
    }

    // ---- USB stand-in (WDFUSBDEVICE / WDFUSBPIPE DDIs the API does not have) --------------------------------------

    private static readonly byte[] ConfigurationDescriptorImage =
    {
        9, 2, 32, 0, 1, 1, 0, 0x80, 50,   // configuration, wTotalLength 32
        9, 4, 0, 0, 2, 0xff, 0, 0, 0,     // interface, two endpoints
        7, 5, 0x81, 2, 64, 0, 0,          // bulk IN, 64 bytes
        7, 5, 0x02, 2, 64, 0, 0,          // bulk OUT, 64 bytes
    };

    /// <summary>WdfUsbTargetDeviceRetrieveConfigDescriptor: the size when the buffer is NULL or too small, else the bytes.</summary>
    public static NTSTATUS WdfUsbTargetDeviceRetrieveConfigDescriptor(PVOID ConfigDescriptor, ref ushort ConfigDescriptorLength)
    {
        if (ConfigDescriptor == NULL || ConfigDescriptorLength < ConfigurationDescriptorImage.Length)
        {
            ConfigDescriptorLength = (ushort)ConfigurationDescriptorImage.Length;
            return STATUS_BUFFER_TOO_SMALL;
        }

        ConfigDescriptor.CopyFrom(ConfigurationDescriptorImage, 0);
        ConfigDescriptorLength = (ushort)ConfigurationDescriptorImage.Length;
        return STATUS_SUCCESS;
    }

    public static NTSTATUS WdfUsbTargetPipeResetSynchronously(WDFIOTARGET Pipe) => Pipe == default ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;

    public static NTSTATUS WdfUsbTargetDeviceResetPortSynchronously(WDFIOTARGET Target) => Target == default ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}
