// BUGGY variant of OsrUsbFx2.cs (same port, same sources and translation notes below) with bugs of the kinds
// issue 11 lists, each marked on the line the finding belongs to.
// Port of the shipped OSR USB FX2 function driver (microsoft/Windows-driver-samples, usb/kmdf_fx2/driver):
// driver.c (DriverEntry), Device.c (OsrFxEvtDeviceAdd, OsrFxEvtDevicePrepareHardware, D0Entry/D0Exit,
// SelfManagedIoFlush), bulkrwr.c (OsrFxEvtIoRead/Write, their completion routines, OsrFxEvtIoStop), ioctl.c
// (OsrFxEvtIoDeviceControl, the bar graph / 7-segment / switch helpers, OsrUsbIoctlGetInterruptMessage) and
// interrupt.c (the interrupt-pipe reader). Mechanical translation per API.md; where the API has no USB target:
//   * a WDFUSBPIPE is a WDFIOTARGET opened by name (the host provides the three pipes as named targets);
//     WdfUsbTargetPipeFormatRequestForRead/Write is WdfIoTargetFormatRequestForRead/Write on the pipe;
//   * a vendor control transfer (WdfUsbTargetDeviceSendControlTransferSynchronously) is a synchronous internal
//     IOCTL to the device below whose code carries the vendor request number (USBFX2_VENDOR_REQUEST);
//   * WdfUsbTargetDeviceRetrieveConfigDescriptor copies the framework's cached descriptor: the port keeps that
//     cache in the device context, a pool block stored with its size, fetched once in PrepareHardware, and
//     OsrFxRetrieveConfigDescriptor is the DDI (size query with NULL, then the copy), called as ioctl.c calls it;
//   * the continuous reader the framework runs on the interrupt pipe (WdfUsbTargetPipeConfigContinuousReader)
//     is what the framework does inside: a driver-created request and its memory, made in PrepareHardware and
//     kept in the device context, sent in D0Entry and re-sent (after WdfRequestReuse) by its completion routine.
// Left out: WPP/ETW tracing, the activity IDs, the device-interface properties, power policy (idle and wake),
// registry reads, ResetPipe/ResetDevice/ReenumerateDevice (no USB port to reset), SelectInterfaces.
// The C '#define's of public.h/osrusbfx2.h are the constants below.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class OsrUsbFx2Buggy
{
    public const uint FILE_DEVICE_OSRUSBFX2 = 65500U;
    public const uint IOCTL_INDEX = 0x800;
    // CTL_CODE(DeviceType, Function, Method, Access), spelled out so that the codes are case labels.
    public const uint IOCTL_OSRUSBFX2_GET_CONFIG_DESCRIPTOR = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_READ_ACCESS << 14) | (IOCTL_INDEX << 2) | METHOD_BUFFERED;
    public const uint IOCTL_OSRUSBFX2_GET_BAR_GRAPH_DISPLAY = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_READ_ACCESS << 14) | ((IOCTL_INDEX + 4) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_OSRUSBFX2_SET_BAR_GRAPH_DISPLAY = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_WRITE_ACCESS << 14) | ((IOCTL_INDEX + 5) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_OSRUSBFX2_READ_SWITCHES = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_READ_ACCESS << 14) | ((IOCTL_INDEX + 6) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_OSRUSBFX2_GET_7_SEGMENT_DISPLAY = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_READ_ACCESS << 14) | ((IOCTL_INDEX + 7) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_OSRUSBFX2_SET_7_SEGMENT_DISPLAY = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_WRITE_ACCESS << 14) | ((IOCTL_INDEX + 8) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE = (FILE_DEVICE_OSRUSBFX2 << 16) | (FILE_READ_ACCESS << 14) | ((IOCTL_INDEX + 9) << 2) | METHOD_OUT_DIRECT;

    public const nuint TEST_BOARD_TRANSFER_BUFFER_SIZE = 64 * 1024;
    public const byte USBFX2LK_READ_7SEGMENT_DISPLAY = 0xD4;
    public const byte USBFX2LK_READ_SWITCHES = 0xD6;
    public const byte USBFX2LK_READ_BARGRAPH_DISPLAY = 0xD7;
    public const byte USBFX2LK_SET_BARGRAPH_DISPLAY = 0xD8;
    public const byte USBFX2LK_SET_7SEGMENT_DISPLAY = 0xDB;
    public const byte USB_REQUEST_GET_DESCRIPTOR = 0x06;
    public const ulong DEFAULT_CONTROL_TRANSFER_TIMEOUT = 5000; // ms
    public const ushort USB_CONFIGURATION_DESCRIPTOR_SIZE = 9;
    public const uint OSRFX2_TAG = 0x32787846; // 'Fxx2'

    public const string BulkReadPipeName = @"\Device\OsrUsbFx2\Pipe1";
    public const string BulkWritePipeName = @"\Device\OsrUsbFx2\Pipe2";
    public const string InterruptPipeName = @"\Device\OsrUsbFx2\Pipe0";

    public static readonly System.Guid GUID_DEVINTERFACE_OSRUSBFX2 = new("573e8c73-0cb4-4471-a1bf-fab26c31d384");

    /// <summary>The internal IOCTL a vendor control transfer on endpoint 0 becomes (see the header).</summary>
    public static uint USBFX2_VENDOR_REQUEST(byte Request) => CTL_CODE(FILE_DEVICE_OSRUSBFX2, 0x900 + (uint)Request, METHOD_BUFFERED, FILE_ANY_ACCESS);

    public sealed class DEVICE_CONTEXT
    {
        public WDFIOTARGET UsbDevice;
        public WDFIOTARGET BulkReadPipe;
        public WDFIOTARGET BulkWritePipe;
        public WDFIOTARGET InterruptPipe;
        public WDFWAITLOCK ResetDeviceWaitLock;
        public byte CurrentSwitchState;
        public WDFQUEUE InterruptMsgQueue;
        public PVOID ConfigurationDescriptor;
        public ushort ConfigurationDescriptorSize;
        public WDFREQUEST InterruptReadRequest;
        public WDFMEMORY InterruptReadMemory;
        public bool InterruptReaderStopping;
        public bool InterruptReaderConfigured;
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(Object);

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out config, OsrFxEvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        return status;
    }

    public static NTSTATUS OsrFxEvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
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
        pnpPowerCallbacks.EvtDevicePrepareHardware = OsrFxEvtDevicePrepareHardware;
        pnpPowerCallbacks.EvtDeviceReleaseHardware = OsrFxEvtDeviceReleaseHardware;
        pnpPowerCallbacks.EvtDeviceD0Entry = OsrFxEvtDeviceD0Entry;
        pnpPowerCallbacks.EvtDeviceD0Exit = OsrFxEvtDeviceD0Exit;
        pnpPowerCallbacks.EvtDeviceSelfManagedIoFlush = OsrFxEvtDeviceSelfManagedIoFlush;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out attributes);
        status = WdfDeviceCreate(ref DeviceInit, attributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        pDevContext = GetDeviceContext(device);

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out ioQueueConfig, WdfIoQueueDispatchParallel);
        ioQueueConfig.EvtIoDeviceControl = OsrFxEvtIoDeviceControl;
        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        WDF_IO_QUEUE_CONFIG_INIT(out ioQueueConfig, WdfIoQueueDispatchSequential);
        ioQueueConfig.EvtIoRead = OsrFxEvtIoRead;
        ioQueueConfig.EvtIoStop = OsrFxEvtIoStop;
        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        status = WdfDeviceConfigureRequestDispatching(device, queue, WdfRequestTypeRead);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        WDF_IO_QUEUE_CONFIG_INIT(out ioQueueConfig, WdfIoQueueDispatchSequential);
        ioQueueConfig.EvtIoWrite = OsrFxEvtIoWrite;
        ioQueueConfig.EvtIoStop = OsrFxEvtIoStop;
        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        status = WdfDeviceConfigureRequestDispatching(device, queue, WdfRequestTypeWrite);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        WDF_IO_QUEUE_CONFIG_INIT(out ioQueueConfig, WdfIoQueueDispatchManual);
        ioQueueConfig.PowerManaged = WdfFalse;
        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out pDevContext.InterruptMsgQueue);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        status = WdfDeviceCreateDeviceInterface(device, GUID_DEVINTERFACE_OSRUSBFX2, null);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = device;
        status = WdfWaitLockCreate(attributes, out pDevContext.ResetDeviceWaitLock);
        if (!NT_SUCCESS(status))
        {
            goto Error;
        }

        return status;

    Error:
        return status;
    }

    public static NTSTATUS OsrFxEvtDevicePrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourceList, WDFCMRESLIST ResourceListTranslated)
    {
        NTSTATUS status;
        DEVICE_CONTEXT pDeviceContext;

        UNREFERENCED_PARAMETER(ResourceList);
        UNREFERENCED_PARAMETER(ResourceListTranslated);
        PAGED_CODE();

        pDeviceContext = GetDeviceContext(Device);
        pDeviceContext.UsbDevice = WdfDeviceGetIoTarget(Device);

        status = OsrFxOpenPipe(Device, BulkReadPipeName, out pDeviceContext.BulkReadPipe);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = OsrFxOpenPipe(Device, BulkWritePipeName, out pDeviceContext.BulkWritePipe);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = OsrFxOpenPipe(Device, InterruptPipeName, out pDeviceContext.InterruptPipe);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = OsrFxReadConfigurationDescriptor(pDeviceContext);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = OsrFxConfigContReaderForInterruptEndPoint(Device, pDeviceContext);
        return status;
    }

    public static NTSTATUS OsrFxEvtDeviceReleaseHardware(WDFDEVICE Device, WDFCMRESLIST ResourceListTranslated)
    {
        DEVICE_CONTEXT pDeviceContext = GetDeviceContext(Device);

        UNREFERENCED_PARAMETER(ResourceListTranslated);

        if (pDeviceContext.ConfigurationDescriptor != NULL)
        {
            ExFreePoolWithTag(pDeviceContext.ConfigurationDescriptor, OSRFX2_TAG);
            pDeviceContext.ConfigurationDescriptor = NULL;
            pDeviceContext.ConfigurationDescriptorSize = 0;
        }

        return STATUS_SUCCESS;
    }

    private static NTSTATUS OsrFxOpenPipe(WDFDEVICE Device, string PipeName, out WDFIOTARGET Pipe)
    {
        NTSTATUS status;
        WDF_IO_TARGET_OPEN_PARAMS openParams;
        UNICODE_STRING pipeName;

        status = WdfIoTargetCreate(Device, WDF_NO_OBJECT_ATTRIBUTES, out Pipe);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        RtlInitUnicodeString(out pipeName, PipeName);
        WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out openParams, pipeName, GENERIC_READ | GENERIC_WRITE);
        status = WdfIoTargetOpen(Pipe, openParams);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(Pipe);
            Pipe = WDF_NO_HANDLE;
        }

        return status;
    }

    // WdfUsbTargetDeviceRetrieveConfigDescriptor's cache: the descriptor is asked for twice, for its total length
    // (the first 9 bytes), then whole, into a pool block whose size the context keeps.
    private static NTSTATUS OsrFxReadConfigurationDescriptor(DEVICE_CONTEXT DevContext)
    {
        NTSTATUS status;
        WDF_MEMORY_DESCRIPTOR memDesc;
        WDF_REQUEST_SEND_OPTIONS sendOptions;
        nuint bytesTransferred;
        ushort totalLength;
        PVOID descriptor;

        using var header = new LOCAL_BUFFER(USB_CONFIGURATION_DESCRIPTOR_SIZE);

        WDF_REQUEST_SEND_OPTIONS_INIT(out sendOptions, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(sendOptions, WDF_REL_TIMEOUT_IN_MS(DEFAULT_CONTROL_TRANSFER_TIMEOUT));

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memDesc, header.Address, USB_CONFIGURATION_DESCRIPTOR_SIZE);
        status = WdfIoTargetSendInternalIoctlSynchronously(DevContext.UsbDevice, WDF_NO_HANDLE,
            USBFX2_VENDOR_REQUEST(USB_REQUEST_GET_DESCRIPTOR), null, memDesc, sendOptions, out bytesTransferred);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        if (bytesTransferred < USB_CONFIGURATION_DESCRIPTOR_SIZE)
        {
            return STATUS_INVALID_DEVICE_STATE;
        }

        totalLength = header.Address.Read<ushort>(2);
        if (totalLength < USB_CONFIGURATION_DESCRIPTOR_SIZE)
        {
            return STATUS_INVALID_DEVICE_STATE;
        }

        descriptor = ExAllocatePoolWithTag(NonPagedPool, totalLength, OSRFX2_TAG); // BUG DRV030 DRV031: deprecated allocator asked for executable nonpaged pool
        if (descriptor == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memDesc, descriptor, totalLength);
        status = WdfIoTargetSendInternalIoctlSynchronously(DevContext.UsbDevice, WDF_NO_HANDLE,
            USBFX2_VENDOR_REQUEST(USB_REQUEST_GET_DESCRIPTOR), null, memDesc, sendOptions, out bytesTransferred);
        if (!NT_SUCCESS(status) || bytesTransferred != totalLength)
        {
            ExFreePoolWithTag(descriptor, OSRFX2_TAG);
            return NT_SUCCESS(status) ? STATUS_INVALID_DEVICE_STATE : status;
        }

        DevContext.ConfigurationDescriptor = descriptor;
        DevContext.ConfigurationDescriptorSize = totalLength;
        return status;
    }

    // WdfUsbTargetDeviceRetrieveConfigDescriptor: the cached descriptor, or its size and STATUS_BUFFER_TOO_SMALL when
    // ConfigDescriptor is NULL or *ConfigDescriptorLength too small.
    public static NTSTATUS OsrFxRetrieveConfigDescriptor(DEVICE_CONTEXT DevContext, PVOID ConfigDescriptor, ref ushort ConfigDescriptorLength)
    {
        if (ConfigDescriptor == NULL || ConfigDescriptorLength < DevContext.ConfigurationDescriptorSize)
        {
            ConfigDescriptorLength = DevContext.ConfigurationDescriptorSize;
            return STATUS_BUFFER_TOO_SMALL;
        }

        RtlCopyMemory(ConfigDescriptor, DevContext.ConfigurationDescriptor, ConfigDescriptorLength); // BUG DRV020: the caller's length, not the size of the cached descriptor (ConfigurationDescriptorSize); reads past the pool block when the caller's buffer is larger
        return STATUS_SUCCESS;
    }

    public static NTSTATUS OsrFxEvtDeviceD0Entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
    {
        DEVICE_CONTEXT pDeviceContext;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(PreviousState);

        pDeviceContext = GetDeviceContext(Device);
        pDeviceContext.InterruptReaderStopping = false;

        // WdfIoTargetStart on the interrupt pipe: the continuous reader's request goes out.
        status = OsrFxStartInterruptReader(pDeviceContext);
        return status;
    }

    public static NTSTATUS OsrFxEvtDeviceD0Exit(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
    {
        DEVICE_CONTEXT pDeviceContext;

        UNREFERENCED_PARAMETER(TargetState);
        PAGED_CODE();

        pDeviceContext = GetDeviceContext(Device);

        // WdfIoTargetStop(..., WdfIoTargetCancelSentIo) on the interrupt pipe.
        pDeviceContext.InterruptReaderStopping = true;
        WdfRequestCancelSentRequest(pDeviceContext.InterruptReadRequest);
        return STATUS_SUCCESS;
    }

    public static void OsrFxEvtDeviceSelfManagedIoFlush(WDFDEVICE Device)
    {
        OsrUsbIoctlGetInterruptMessage(Device, STATUS_DEVICE_REMOVED);
    }

    // ---- bulkrwr.c -------------------------------------------------------------------------------------------

    public static void OsrFxEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET pipe;
        NTSTATUS status;
        WDFMEMORY reqMemory;
        DEVICE_CONTEXT pDeviceContext;

        if (Length > TEST_BOARD_TRANSFER_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        pDeviceContext = GetDeviceContext(WdfIoQueueGetDevice(Queue));

        pipe = pDeviceContext.BulkReadPipe;

        status = WdfRequestRetrieveOutputMemory(Request, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfIoTargetFormatRequestForRead(pipe, Request, reqMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(Request, EvtRequestReadCompletionRoutine, pipe);

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

        return;
    }

    public static void EvtRequestReadCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        NTSTATUS status;
        nuint bytesRead = 0;

        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Context);

        status = CompletionParams.IoStatus.Status;
        bytesRead = CompletionParams.IoStatus.Information;

        WdfRequestCompleteWithInformation(Request, status, bytesRead);

        // EventWriteReadStop(&activity, WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request)), ...), moved after the completion.
        if (!NT_SUCCESS(status))
        {
            UNREFERENCED_PARAMETER(WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request))); // BUG DRV003: the request is already completed
        }

        return;
    }

    public static void OsrFxEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFIOTARGET pipe;
        WDFMEMORY reqMemory;
        DEVICE_CONTEXT pDeviceContext;

        if (Length > TEST_BOARD_TRANSFER_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        pDeviceContext = GetDeviceContext(WdfIoQueueGetDevice(Queue));

        pipe = pDeviceContext.BulkWritePipe;

        status = WdfRequestRetrieveInputMemory(Request, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfIoTargetFormatRequestForWrite(pipe, Request, reqMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(Request, EvtRequestWriteCompletionRoutine, pipe);

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

        return;
    }

    public static void EvtRequestWriteCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        NTSTATUS status;
        nuint bytesWritten = 0;

        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Context);

        status = CompletionParams.IoStatus.Status;
        bytesWritten = CompletionParams.IoStatus.Information;

        WdfRequestCompleteWithInformation(Request, status, bytesWritten);
        return;
    }

    public static void OsrFxEvtIoStop(WDFQUEUE Queue, WDFREQUEST Request, uint ActionFlags)
    {
        UNREFERENCED_PARAMETER(Queue);

        if ((ActionFlags & WdfRequestStopActionSuspend) != 0)
        {
            WdfRequestStopAcknowledge(Request, FALSE);
        }
        else if ((ActionFlags & WdfRequestStopActionPurge) != 0)
        {
            WdfRequestCancelSentRequest(Request);
        }

        return;
    }

    // ---- ioctl.c ---------------------------------------------------------------------------------------------

    public static void OsrFxEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        WDFDEVICE device;
        DEVICE_CONTEXT pDevContext;
        nuint bytesReturned = 0;
        PVOID barGraphState = NULL;
        PVOID switchState = NULL;
        PVOID sevenSegment = NULL;
        PVOID configurationDescriptor = NULL;
        bool requestPending = FALSE;
        NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;

        UNREFERENCED_PARAMETER(InputBufferLength);
        UNREFERENCED_PARAMETER(OutputBufferLength);
        PAGED_CODE();

        device = WdfIoQueueGetDevice(Queue);
        pDevContext = GetDeviceContext(device);

        switch (IoControlCode)
        {
            case IOCTL_OSRUSBFX2_GET_CONFIG_DESCRIPTOR:
            {
                ushort requiredSize = 0;

                // First get the size of the config descriptor
                status = OsrFxRetrieveConfigDescriptor(pDevContext, NULL, ref requiredSize);
                if (status != STATUS_BUFFER_TOO_SMALL)
                {
                    break;
                }

                // Get the buffer - make sure the buffer is big enough
                status = WdfRequestRetrieveOutputBuffer(Request, requiredSize, out configurationDescriptor, NULL);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                // Fill the caller's whole buffer.
                requiredSize = (ushort)OutputBufferLength;
                status = OsrFxRetrieveConfigDescriptor(pDevContext, configurationDescriptor, ref requiredSize);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                bytesReturned = requiredSize;
                break;
            }

            case IOCTL_OSRUSBFX2_GET_BAR_GRAPH_DISPLAY:
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(byte), out barGraphState, NULL);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                status = GetBarGraphState(pDevContext, barGraphState);
                if (NT_SUCCESS(status))
                {
                    bytesReturned = sizeof(byte);
                }
                else
                {
                    bytesReturned = 0;
                }

                break;

            case IOCTL_OSRUSBFX2_SET_BAR_GRAPH_DISPLAY:
                status = WdfRequestRetrieveInputBuffer(Request, sizeof(byte), out barGraphState, NULL);
                status = SetBarGraphState(pDevContext, barGraphState); // BUG DRV022: the input buffer is used although its retrieve may have failed
                bytesReturned = 0;
                break;

            case IOCTL_OSRUSBFX2_GET_7_SEGMENT_DISPLAY:
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(byte), out sevenSegment, NULL);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                status = GetSevenSegmentState(pDevContext, sevenSegment);
                if (NT_SUCCESS(status))
                {
                    bytesReturned = sizeof(byte);
                }
                else
                {
                    bytesReturned = 0;
                }

                break;

            case IOCTL_OSRUSBFX2_SET_7_SEGMENT_DISPLAY:
                status = WdfRequestRetrieveInputBuffer(Request, sizeof(byte), out sevenSegment, NULL);
                if (!NT_SUCCESS(status))
                {
                    bytesReturned = sizeof(byte);
                    break;
                }

                status = SetSevenSegmentState(pDevContext, sevenSegment);
                bytesReturned = 0;
                break;

            case IOCTL_OSRUSBFX2_READ_SWITCHES:
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(byte), out switchState, NULL);
                if (!NT_SUCCESS(status))
                {
                    bytesReturned = sizeof(byte);
                    break;
                }

                status = GetSwitchState(pDevContext, switchState);
                if (NT_SUCCESS(status))
                {
                    bytesReturned = sizeof(byte);
                }
                else
                {
                    bytesReturned = 0;
                }

                break;

            case IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE:
                status = WdfRequestForwardToIoQueue(Request, pDevContext.InterruptMsgQueue);
                if (NT_SUCCESS(status))
                {
                    requestPending = TRUE;
                }

                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        if (requestPending == FALSE)
        {
            WdfRequestCompleteWithInformation(Request, status, bytesReturned);
        }

        return;
    }

    private static NTSTATUS SendVendorCommand(DEVICE_CONTEXT DevContext, byte VendorRequest, bool DeviceToHost, PVOID Buffer, uint Length)
    {
        NTSTATUS status;
        WDF_REQUEST_SEND_OPTIONS sendOptions;
        WDF_MEMORY_DESCRIPTOR memDesc;
        nuint bytesTransferred;

        WDF_REQUEST_SEND_OPTIONS_INIT(out sendOptions, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(sendOptions, WDF_REL_TIMEOUT_IN_MS(DEFAULT_CONTROL_TRANSFER_TIMEOUT));

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memDesc, Buffer, Length);

        status = WdfIoTargetSendInternalIoctlSynchronously(DevContext.UsbDevice, WDF_NO_HANDLE,
            USBFX2_VENDOR_REQUEST(VendorRequest), DeviceToHost ? null : memDesc, DeviceToHost ? memDesc : null,
            sendOptions, out bytesTransferred);
        return status;
    }

    public static NTSTATUS GetBarGraphState(DEVICE_CONTEXT DevContext, PVOID BarGraphState)
    {
        PAGED_CODE();
        BarGraphState.Write<byte>(0, 0);
        return SendVendorCommand(DevContext, USBFX2LK_READ_BARGRAPH_DISPLAY, TRUE, BarGraphState, sizeof(byte));
    }

    public static NTSTATUS SetBarGraphState(DEVICE_CONTEXT DevContext, PVOID BarGraphState)
    {
        PAGED_CODE();
        return SendVendorCommand(DevContext, USBFX2LK_SET_BARGRAPH_DISPLAY, FALSE, BarGraphState, sizeof(byte));
    }

    public static NTSTATUS GetSevenSegmentState(DEVICE_CONTEXT DevContext, PVOID SevenSegment)
    {
        PAGED_CODE();
        SevenSegment.Write<byte>(0, 0);
        return SendVendorCommand(DevContext, USBFX2LK_READ_7SEGMENT_DISPLAY, TRUE, SevenSegment, sizeof(byte));
    }

    public static NTSTATUS SetSevenSegmentState(DEVICE_CONTEXT DevContext, PVOID SevenSegment)
    {
        PAGED_CODE();
        return SendVendorCommand(DevContext, USBFX2LK_SET_7SEGMENT_DISPLAY, FALSE, SevenSegment, sizeof(byte));
    }

    public static NTSTATUS GetSwitchState(DEVICE_CONTEXT DevContext, PVOID SwitchState)
    {
        PAGED_CODE();
        SwitchState.Write<byte>(0, 0);
        return SendVendorCommand(DevContext, USBFX2LK_READ_SWITCHES, TRUE, SwitchState, sizeof(byte));
    }

    // Answers every IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE waiting in the manual queue with the switch state the
    // reader saw (or the reader's failure). C's loop completes each request in both branches; the port says it
    // once, in a finally, and stops when the reader failed: the requests left wait for the reader's restart or
    // for the flush at removal.
    public static void OsrUsbIoctlGetInterruptMessage(WDFDEVICE Device, NTSTATUS ReaderStatus)
    {
        NTSTATUS status;
        WDFREQUEST request;
        DEVICE_CONTEXT pDevContext;
        nuint bytesReturned;
        NTSTATUS completionStatus;
        PVOID switchState;

        pDevContext = GetDeviceContext(Device);

        for (;;)
        {
            status = WdfIoQueueRetrieveNextRequest(pDevContext.InterruptMsgQueue, out request);
            if (!NT_SUCCESS(status))
            {
                return;
            }

            bytesReturned = 0;
            completionStatus = ReaderStatus;
            try
            {
                status = WdfRequestRetrieveOutputBuffer(request, sizeof(byte), out switchState, NULL);
                if (!NT_SUCCESS(status))
                {
                    completionStatus = status;
                    continue;
                }

                if (!NT_SUCCESS(ReaderStatus) && ReaderStatus != STATUS_DEVICE_REMOVED)
                {
                    return;
                }

                if (NT_SUCCESS(ReaderStatus))
                {
                    switchState.Write<byte>(0, pDevContext.CurrentSwitchState);
                    bytesReturned = sizeof(byte);
                }
            }
            finally
            {
                WdfRequestCompleteWithInformation(request, completionStatus, bytesReturned);
            }
        }
    }

    // ---- interrupt.c -----------------------------------------------------------------------------------------

    public static NTSTATUS OsrFxConfigContReaderForInterruptEndPoint(WDFDEVICE Device, DEVICE_CONTEXT DeviceContext)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;

        if (DeviceContext.InterruptReadRequest != WDF_NO_HANDLE)
        {
            return STATUS_SUCCESS;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;

        status = WdfRequestCreate(attributes, DeviceContext.InterruptPipe, out DeviceContext.InterruptReadRequest);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, OSRFX2_TAG, sizeof(byte), out DeviceContext.InterruptReadMemory, NULL);
        return status;
    }

    public static NTSTATUS OsrFxStartInterruptReader(DEVICE_CONTEXT DeviceContext)
    {
        NTSTATUS status;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(DeviceContext.InterruptReadRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfIoTargetFormatRequestForRead(DeviceContext.InterruptPipe, DeviceContext.InterruptReadRequest,
            DeviceContext.InterruptReadMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        if (!DeviceContext.InterruptReaderConfigured)
        {
            WdfRequestSetCompletionRoutine(DeviceContext.InterruptReadRequest, OsrFxEvtUsbInterruptPipeReadComplete, DeviceContext);
            DeviceContext.InterruptReaderConfigured = true;
        }

        if (!WdfRequestSend(DeviceContext.InterruptReadRequest, DeviceContext.InterruptPipe, WDF_NO_SEND_OPTIONS)) // BUG DRV012: after WdfRequestReuse (D0Entry after a suspend) the request goes out without its completion routine
        {
            return WdfRequestGetStatus(DeviceContext.InterruptReadRequest);
        }

        return STATUS_SUCCESS;
    }

    public static void OsrFxEvtUsbInterruptPipeReadComplete(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        DEVICE_CONTEXT pDeviceContext = (DEVICE_CONTEXT)Context!;
        WDFDEVICE device = WdfIoQueueGetDevice(pDeviceContext.InterruptMsgQueue);
        NTSTATUS status = CompletionParams.IoStatus.Status;
        nuint NumBytesTransferred = CompletionParams.IoStatus.Information;
        PVOID switchState;

        UNREFERENCED_PARAMETER(Target);

        if (!NT_SUCCESS(status))
        {
            // EvtUsbTargetPipeReadersFailed: the reader stops.
            pDeviceContext.CurrentSwitchState = 0;
            if (status != STATUS_CANCELLED)
            {
                OsrUsbIoctlGetInterruptMessage(device, status);
            }

            return;
        }

        if (NumBytesTransferred != 0)
        {
            switchState = WdfMemoryGetBuffer(pDeviceContext.InterruptReadMemory, NULL);
            pDeviceContext.CurrentSwitchState = switchState.Read<byte>(0);
        }
        else
        {
            // A zero-length interrupt transfer: ask the board for the switches instead.
            switchState = WdfMemoryGetBuffer(pDeviceContext.InterruptReadMemory, NULL);
            status = GetSwitchState(pDeviceContext, switchState); // BUG DRV037: GetSwitchState is PAGED_CODE and sends synchronously; a completion routine runs at DISPATCH_LEVEL
            pDeviceContext.CurrentSwitchState = NT_SUCCESS(status) ? switchState.Read<byte>(0) : (byte)0;
        }

        OsrUsbIoctlGetInterruptMessage(device, STATUS_SUCCESS);

        if (pDeviceContext.InterruptReaderStopping)
        {
            return;
        }

        // Re-arm the reader at once, with the same memory.
        status = WdfIoTargetFormatRequestForRead(pDeviceContext.InterruptPipe, Request, pDeviceContext.InterruptReadMemory, null, null); // BUG DRV011: formatted again without WdfRequestReuse
        if (NT_SUCCESS(status))
        {
            WdfRequestSetCompletionRoutine(Request, OsrFxEvtUsbInterruptPipeReadComplete, pDeviceContext);
            WdfRequestSend(Request, pDeviceContext.InterruptPipe, WDF_NO_SEND_OPTIONS);
        }
    }
}
