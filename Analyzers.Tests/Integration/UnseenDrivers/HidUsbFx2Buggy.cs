// The HID minidriver for the OSR USB FX2 board (hid/hidusbfx2/sys; see HidUsbFx2.cs for the port and what was left out)
// with bugs a driver writer plausibly makes, each marked on its line:
//   * HidFx2EvtInternalDeviceControl breaks out of IOCTL_HID_READ_REPORT instead of returning: a read whose forward to the
//     manual queue failed is completed twice (and one that was forwarded is completed while the queue holds it) (DRV002);
//   * HidFx2GetHidDescriptor drops WdfMemoryCopyFromBuffer's status and reports the bytes as copied (DRV021);
//   * HidFx2GetReportDescriptor copies the report descriptor with RtlCopyMemory into the output buffer, whatever its
//     length (DRV020);
//   * HidFx2CompleteReadReport asks WdfRequestRetrieveOutputBuffer for INPUT_REPORT_BYTES (1) and writes the two-byte
//     HIDFX2_INPUT_REPORT into it (DRV024), reporting two bytes (DRV023).
using System.Runtime.CompilerServices;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class HidUsbFx2Buggy
{
    public const uint FILE_DEVICE_KEYBOARD = 0x0000000b;
    public const uint IOCTL_HID_GET_DEVICE_DESCRIPTOR = (FILE_DEVICE_KEYBOARD << 16) | (0 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_GET_REPORT_DESCRIPTOR = (FILE_DEVICE_KEYBOARD << 16) | (1 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_READ_REPORT = (FILE_DEVICE_KEYBOARD << 16) | (2 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_WRITE_REPORT = (FILE_DEVICE_KEYBOARD << 16) | (3 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_GET_STRING = (FILE_DEVICE_KEYBOARD << 16) | (4 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_ACTIVATE_DEVICE = (FILE_DEVICE_KEYBOARD << 16) | (7 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_DEACTIVATE_DEVICE = (FILE_DEVICE_KEYBOARD << 16) | (8 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_GET_DEVICE_ATTRIBUTES = (FILE_DEVICE_KEYBOARD << 16) | (9 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_SEND_IDLE_NOTIFICATION_REQUEST = (FILE_DEVICE_KEYBOARD << 16) | (10 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_GET_FEATURE = (FILE_DEVICE_KEYBOARD << 16) | (100 << 2) | METHOD_OUT_DIRECT;
    public const uint IOCTL_HID_SET_FEATURE = (FILE_DEVICE_KEYBOARD << 16) | (100 << 2) | METHOD_IN_DIRECT;

    /// <summary>The port's internal IOCTL for a vendor control transfer: CTL_CODE(FILE_DEVICE_UNKNOWN, request, METHOD_NEITHER, 0).</summary>
    public static uint IOCTL_HIDFX2_VENDOR(byte Request) => (FILE_DEVICE_UNKNOWN << 16) | ((uint)Request << 2) | METHOD_NEITHER;

    public const uint POOL_TAG = 0x46583248; // 'H2XF'
    public const uint INPUT_REPORT_BYTES = 1;
    public const byte CONSUMER_CONTROL_REPORT_ID = 1;
    public const byte SYSTEM_CONTROL_REPORT_ID = 2;
    public const byte DIP_SWITCHES_REPORT_ID = 3;
    public const byte SEVEN_SEGMENT_REPORT_ID = 4;
    public const byte BARGRAPH_REPORT_ID = 5;
    public const byte CONSUMER_CONTROL_BUTTONS_BIT_MASK = 0x7f;
    public const byte SYSTEM_CONTROL_BUTTONS_BIT_MASK = 0x80;
    public const uint SWICTHPACK_DEBOUNCE_TIME_IN_MS = 10;

    public const byte HIDFX2_READ_SWITCH_STATE = 0xD6;
    public const byte HIDFX2_READ_7SEGMENT_DISPLAY = 0xD4;
    public const byte HIDFX2_READ_BARGRAPH_DISPLAY = 0xD7;
    public const byte HIDFX2_SET_BARGRAPH_DISPLAY = 0xD8;
    public const byte HIDFX2_SET_7SEGMENT_DISPLAY = 0xDB;

    // sizes and offsets (hidusbfx2.h is packed; hidport.h, usb100.h)
    public const uint SIZEOF_HID_XFER_PACKET = 16;
    public const uint SIZEOF_HIDFX2_INPUT_REPORT = 2;      // ReportId, SwitchStateAsByte
    public const uint SIZEOF_HIDFX2_FEATURE_REPORT = 2;    // ReportId, FeatureData
    public const nuint HIDFX2_FEATURE_REPORT_FeatureData = 1;
    public const uint SIZEOF_HID_DEVICE_ATTRIBUTES = 32;   // Size, VendorID, ProductID, VersionNumber, Reserved[11]
    public const uint SIZEOF_USB_DEVICE_DESCRIPTOR = 18;
    public const uint SIZEOF_HID_SUBMIT_IDLE_NOTIFICATION_CALLBACK_INFO = 16;
    public const uint SIZEOF_USB_IDLE_CALLBACK_INFO = 16;

    public static readonly byte[] DefaultReportDescriptorBytes =
    {
        0x05, 0x0C, 0x09, 0x01, 0xA1, 0x01, 0x85, CONSUMER_CONTROL_REPORT_ID,
        0x0A, 0x23, 0x02, 0x0A, 0x24, 0x02, 0x0A, 0x25, 0x02, 0x0A, 0x27, 0x02, 0x0A, 0x2A, 0x02, 0x0A, 0x8A, 0x01, 0x0A, 0x92, 0x01,
        0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x07, 0x81, 0x02, 0x75, 0x01, 0x95, 0x01, 0x81, 0x07, 0xC0,
        0x05, 0x01, 0x09, 0x80, 0xA1, 0x01, 0x85, SYSTEM_CONTROL_REPORT_ID, 0x95, 0x07, 0x81, 0x07, 0x09, 0x82, 0x95, 0x01,
        0x81, 0x06, 0xC0,
        0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x85, SEVEN_SEGMENT_REPORT_ID, 0x19, 0x00, 0x29, 0xff, 0x15, 0x00,
        0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x01, 0xB1, 0x00,
        0x85, BARGRAPH_REPORT_ID, 0x19, 0x00, 0x29, 0xff, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x01, 0xB1, 0x00, 0xC0,
    };

    /// <summary>CONST HID_REPORT_DESCRIPTOR G_DefaultReportDescriptor[].</summary>
    public static readonly LOCAL_BUFFER G_DefaultReportDescriptor = Bytes(DefaultReportDescriptorBytes);

    /// <summary>CONST HID_DESCRIPTOR G_DefaultHidDescriptor: bLength 9, type 0x21, bcdHID 0x0100, country 0, one
    /// descriptor: type 0x22, wReportLength (offset 7) sizeof(G_DefaultReportDescriptor).</summary>
    public static readonly LOCAL_BUFFER G_DefaultHidDescriptor = Bytes(new byte[]
    {
        0x09, 0x21, 0x00, 0x01, 0x00, 0x01, 0x22,
        (byte)DefaultReportDescriptorBytes.Length, (byte)(DefaultReportDescriptorBytes.Length >> 8),
    });

    public const nuint HID_DESCRIPTOR_bLength = 0;
    public const nuint HID_DESCRIPTOR_wReportLength = 7;

    public sealed class DEVICE_EXTENSION
    {
        public WDFMEMORY DeviceDescriptor;
        public byte CurrentSwitchState;
        public byte LatestToggledSwitch;
        public bool IsPowerUpSwitchState;
        public WDFQUEUE InterruptMsgQueue;
        public WDFTIMER DebounceTimer;
    }

    /// <summary>HIDClass's HID_XFER_PACKET.</summary>
    public sealed class HID_XFER_PACKET
    {
        public PVOID reportBuffer;
        public uint reportBufferLen;
        public byte reportId;
    }

    public static DEVICE_EXTENSION GetDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_EXTENSION>(Object);

    // ---- driver.c -------------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDF_DRIVER_CONFIG config;

        WDF_DRIVER_CONFIG_INIT(out config, HidFx2EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);

        return status;
    }

    public static NTSTATUS HidFx2EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDF_IO_QUEUE_CONFIG queueConfig;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDFDEVICE hDevice;
        DEVICE_EXTENSION devContext;
        WDFQUEUE queue;
        WDF_PNPPOWER_EVENT_CALLBACKS pnpPowerCallbacks;
        WDF_TIMER_CONFIG timerConfig;
        WDFTIMER timerHandle;

        UNREFERENCED_PARAMETER(Driver);

        PAGED_CODE();

        //
        // Tell framework this is a filter driver. Filter drivers by default are
        // not power policy owners. This works well for this driver because
        // HIDclass driver is the power policy owner for HID minidrivers.
        //
        WdfFdoInitSetFilter(DeviceInit);

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDevicePrepareHardware = HidFx2EvtDevicePrepareHardware;
        pnpPowerCallbacks.EvtDeviceD0Entry = HidFx2EvtDeviceD0Entry;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_EXTENSION>(out attributes);

        status = WdfDeviceCreate(ref DeviceInit, attributes, out hDevice);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        devContext = GetDeviceContext(hDevice);

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoInternalDeviceControl = HidFx2EvtInternalDeviceControl;

        status = WdfIoQueueCreate(hDevice, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        //
        // Register a manual I/O queue for handling Interrupt Message Read Requests.
        //
        WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchManual);

        //
        // This queue is used for requests that dont directly access the device. The
        // requests in this queue are serviced only when the device is in a fully
        // powered state and sends an interrupt.
        //
        queueConfig.PowerManaged = WdfFalse;

        status = WdfIoQueueCreate(hDevice, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out devContext.InterruptMsgQueue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        //
        // Create a timer to handle debouncing of switchpack
        //
        WDF_TIMER_CONFIG_INIT(out timerConfig, HidFx2EvtTimerFunction);
        timerConfig.AutomaticSerialization = FALSE;

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = hDevice;

        status = WdfTimerCreate(timerConfig, attributes, out timerHandle);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        devContext.DebounceTimer = timerHandle;

        return status;
    }

    // ---- hid.c ----------------------------------------------------------------------------------------------------

    public static void HidFx2EvtInternalDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDFDEVICE device;
        DEVICE_EXTENSION devContext;
        uint bytesReturned = 0;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);

        device = WdfIoQueueGetDevice(Queue);
        devContext = GetDeviceContext(device);

        //
        // Please note that HIDCLASS provides the buffer in the Irp->UserBuffer
        // field irrespective of the ioctl buffer type. However, framework is very
        // strict about type checking. You cannot get Irp->UserBuffer by using
        // WdfRequestRetrieveOutputMemory if the ioctl is not a METHOD_NEITHER
        // internal ioctl. So depending on the ioctl code, we will either
        // use retreive function or escape to WDM to get the UserBuffer.
        //
        switch (IoControlCode)
        {
            case IOCTL_HID_GET_DEVICE_DESCRIPTOR:
                //
                // Retrieves the device's HID descriptor.
                //
                status = HidFx2GetHidDescriptor(device, Request);
                break;

            case IOCTL_HID_GET_DEVICE_ATTRIBUTES:
                //
                //Retrieves a device's attributes in a HID_DEVICE_ATTRIBUTES structure.
                //
                status = HidFx2GetDeviceAttributes(Request);
                break;

            case IOCTL_HID_GET_REPORT_DESCRIPTOR:
                //
                //Obtains the report descriptor for the HID device.
                //
                status = HidFx2GetReportDescriptor(device, Request);
                break;

            case IOCTL_HID_READ_REPORT:
                //
                // Returns a report from the device into a class driver-supplied buffer.
                // For now queue the request to the manual queue. The request will
                // be retrived and completd when continuous reader reads new data
                // from the device.
                //
                status = WdfRequestForwardToIoQueue(Request, devContext.InterruptMsgQueue);

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }

                break;

            case IOCTL_HID_SEND_IDLE_NOTIFICATION_REQUEST:
                //
                // Hidclass sends this IOCTL for devices that have opted-in for Selective
                // Suspend feature. This feature is enabled by adding a registry value
                // "SelectiveSuspendEnabled" = 1 in the hardware key through inf file
                // (see hidusbfx2.inf). Since hidclass is the power policy owner for
                // this stack, it controls when to send idle notification and when to
                // cancel it. This IOCTL is passed to USB stack. USB stack pends it.
                // USB stack completes the request when it determines that the device is
                // idle. Hidclass's idle notification callback get called that requests a
                // wait-wake Irp and subsequently powers down the device.
                // The device is powered-up either when a handle is opened for the PDOs
                // exposed by hidclass, or when usb stack completes wait
                // wake request. In the first case, hidclass cancels the notification
                // request (pended with usb stack), cancels wait-wake Irp and powers up
                // the device. In the second case, an external wake event triggers completion
                // of wait-wake irp and powering up of device.
                //
                status = HidFx2SendIdleNotification(Request);

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }

                return;

            case IOCTL_HID_SET_FEATURE:
                //
                // This sends a HID class feature report to a top-level collection of
                // a HID class device.
                //
                status = HidFx2SetFeature(Request);
                WdfRequestComplete(Request, status);
                return;

            case IOCTL_HID_GET_FEATURE:
                //
                // Get a HID class feature report from a top-level collection of
                // a HID class device.
                //
                status = HidFx2GetFeature(Request, out bytesReturned);
                WdfRequestCompleteWithInformation(Request, status, bytesReturned);
                return;

            case IOCTL_HID_WRITE_REPORT:
            case IOCTL_HID_GET_STRING:
            case IOCTL_HID_ACTIVATE_DEVICE:
            case IOCTL_HID_DEACTIVATE_DEVICE:
            default:
                status = STATUS_NOT_SUPPORTED;
                break;
        }

        WdfRequestComplete(Request, status); // BUG DRV002

        return;
    }

    public static NTSTATUS HidFx2SetFeature(WDFREQUEST Request)
    {
        NTSTATUS status = STATUS_SUCCESS;
        HID_XFER_PACKET? transferPacket = null;
        WDF_REQUEST_PARAMETERS @params;
        PVOID featureReport = NULL;
        WDFDEVICE device;
        using var featureUsage = new LOCAL_BUFFER(1);

        PAGED_CODE();

        device = WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request));

        WDF_REQUEST_PARAMETERS_INIT(out @params);
        WdfRequestGetParameters(Request, @params);

        //
        // IOCTL_HID_SET_FEATURE & IOCTL_HID_GET_FEATURE are not METHOD_NIEHTER
        // IOCTLs. So you cannot retreive UserBuffer from the IRP using Wdf
        // function. As a result we have to escape out to WDM to get the UserBuffer
        // directly from the IRP.
        //
        if (@params.Parameters.DeviceIoControl.InputBufferLength < SIZEOF_HID_XFER_PACKET)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

        //
        // This is a kernel buffer so no need for try/except block when accesssing
        // Irp->UserBuffer.
        //
        transferPacket = HidXferPacketOfUserBuffer(WdfRequestWdmGetIrp(Request));
        if (transferPacket == null)
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            return status;
        }

        if (transferPacket.reportBufferLen == 0)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

        if (transferPacket.reportBufferLen < sizeof(byte))
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

        featureReport = transferPacket.reportBuffer;
        featureUsage.Address.Write<byte>(0, featureReport.Read<byte>(HIDFX2_FEATURE_REPORT_FeatureData));

        //
        // The feature reports map directly to the command
        // data that is sent down to the device.
        //
        if (transferPacket.reportId == SEVEN_SEGMENT_REPORT_ID)
        {
            status = SendVendorCommand(device, HIDFX2_SET_7SEGMENT_DISPLAY, featureUsage.Address);
        }
        else if (transferPacket.reportId == BARGRAPH_REPORT_ID)
        {
            status = SendVendorCommand(device, HIDFX2_SET_BARGRAPH_DISPLAY, featureUsage.Address);
        }
        else
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            return status;
        }

        return status;
    }

    public static NTSTATUS HidFx2GetFeature(WDFREQUEST Request, out uint BytesReturned)
    {
        NTSTATUS status = STATUS_SUCCESS;
        HID_XFER_PACKET? transferPacket = null;
        WDF_REQUEST_PARAMETERS @params;
        PVOID featureReport = NULL;
        WDFDEVICE device;

        PAGED_CODE();

        BytesReturned = 0;

        device = WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request));

        WDF_REQUEST_PARAMETERS_INIT(out @params);
        WdfRequestGetParameters(Request, @params);

        if (@params.Parameters.DeviceIoControl.OutputBufferLength < SIZEOF_HID_XFER_PACKET)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

        transferPacket = HidXferPacketOfUserBuffer(WdfRequestWdmGetIrp(Request));
        if (transferPacket == null)
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            return status;
        }

        if (transferPacket.reportBufferLen == 0)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

        if (transferPacket.reportBufferLen < sizeof(byte))
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

        featureReport = transferPacket.reportBuffer;

        if (transferPacket.reportId == SEVEN_SEGMENT_REPORT_ID)
        {
            status = GetVendorData(device, HIDFX2_READ_7SEGMENT_DISPLAY, featureReport + HIDFX2_FEATURE_REPORT_FeatureData);
        }
        else if (transferPacket.reportId == BARGRAPH_REPORT_ID)
        {
            status = GetVendorData(device, HIDFX2_READ_BARGRAPH_DISPLAY, featureReport + HIDFX2_FEATURE_REPORT_FeatureData);
        }
        else
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            return status;
        }

        BytesReturned = SIZEOF_HIDFX2_FEATURE_REPORT;
        return status;
    }

    public static NTSTATUS SendVendorCommand(WDFDEVICE Device, byte VendorCommand, PVOID CommandData)
    {
        NTSTATUS status = STATUS_SUCCESS;
        nuint bytesTransferred = 0;
        WDF_MEMORY_DESCRIPTOR memDesc;
        WDF_REQUEST_SEND_OPTIONS sendOptions;

        PAGED_CODE();

        WDF_REQUEST_SEND_OPTIONS_INIT(out sendOptions, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(sendOptions, WDF_REL_TIMEOUT_IN_SEC(5));

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memDesc, CommandData, sizeof(byte));

        status = WdfIoTargetSendInternalIoctlSynchronously(WdfDeviceGetIoTarget(Device), WDF_NO_HANDLE,
            IOCTL_HIDFX2_VENDOR(VendorCommand), memDesc, null, sendOptions, out bytesTransferred);

        return status;
    }

    public static NTSTATUS GetVendorData(WDFDEVICE Device, byte VendorCommand, PVOID CommandData)
    {
        NTSTATUS status = STATUS_SUCCESS;
        nuint bytesTransferred = 0;
        WDF_MEMORY_DESCRIPTOR memDesc;
        WDF_REQUEST_SEND_OPTIONS sendOptions;

        PAGED_CODE();

        WDF_REQUEST_SEND_OPTIONS_INIT(out sendOptions, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(sendOptions, WDF_REL_TIMEOUT_IN_SEC(5));

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memDesc, CommandData, sizeof(byte));

        status = WdfIoTargetSendInternalIoctlSynchronously(WdfDeviceGetIoTarget(Device), WDF_NO_HANDLE,
            IOCTL_HIDFX2_VENDOR(VendorCommand), null, memDesc, sendOptions, out bytesTransferred);

        return status;
    }

    public static NTSTATUS HidFx2GetHidDescriptor(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status = STATUS_SUCCESS;
        nuint bytesToCopy = 0;
        WDFMEMORY memory;

        UNREFERENCED_PARAMETER(Device);

        //
        // This IOCTL is METHOD_NEITHER so WdfRequestRetrieveOutputMemory
        // will correctly retrieve buffer from Irp->UserBuffer.
        // Remember that HIDCLASS provides the buffer in the Irp->UserBuffer
        // field irrespective of the ioctl buffer type. However, framework is very
        // strict about type checking. You cannot get Irp->UserBuffer by using
        // WdfRequestRetrieveOutputMemory if the ioctl is not a METHOD_NEITHER
        // internal ioctl.
        //
        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        //
        // Use hardcoded "HID Descriptor"
        //
        bytesToCopy = G_DefaultHidDescriptor.Address.Read<byte>(HID_DESCRIPTOR_bLength);

        if (bytesToCopy == 0)
        {
            status = STATUS_INVALID_DEVICE_STATE;
            return status;
        }

        WdfMemoryCopyFromBuffer(memory, 0, G_DefaultHidDescriptor.Address, bytesToCopy); // BUG DRV021

        //
        // Report how many bytes were copied
        //
        WdfRequestSetInformation(Request, bytesToCopy);
        return status;
    }

    public static NTSTATUS HidFx2GetReportDescriptor(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status = STATUS_SUCCESS;
        nuint bytesToCopy;
        PVOID buffer;
        nuint bufferLength;

        UNREFERENCED_PARAMETER(Device);

        status = WdfRequestRetrieveOutputBuffer(Request, 0, out buffer, out bufferLength);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        //
        // Use hardcoded Report descriptor
        //
        bytesToCopy = G_DefaultHidDescriptor.Address.Read<ushort>(HID_DESCRIPTOR_wReportLength);

        if (bytesToCopy == 0)
        {
            status = STATUS_INVALID_DEVICE_STATE;
            return status;
        }

        RtlCopyMemory(buffer, G_DefaultReportDescriptor.Address, bytesToCopy); // BUG DRV020

        //
        // Report how many bytes were copied
        //
        WdfRequestSetInformation(Request, bytesToCopy);
        return status;
    }

    public static NTSTATUS HidFx2GetDeviceAttributes(WDFREQUEST Request)
    {
        NTSTATUS status = STATUS_SUCCESS;
        PVOID deviceAttributes = NULL;
        PVOID usbDeviceDescriptor = NULL;
        DEVICE_EXTENSION deviceInfo;

        deviceInfo = GetDeviceContext(WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request)));

        //
        // This IOCTL is METHOD_NEITHER so WdfRequestRetrieveOutputMemory
        // will correctly retrieve buffer from Irp->UserBuffer.
        //
        status = WdfRequestRetrieveOutputBuffer(Request, SIZEOF_HID_DEVICE_ATTRIBUTES, out deviceAttributes, NULL);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        //
        // Retrieve USB device descriptor saved in device context
        //
        usbDeviceDescriptor = WdfMemoryGetBuffer(deviceInfo.DeviceDescriptor, NULL);

        deviceAttributes.Write<uint>(0, SIZEOF_HID_DEVICE_ATTRIBUTES);                      // Size
        deviceAttributes.Write<ushort>(4, usbDeviceDescriptor.Read<ushort>(8));             // VendorID = idVendor
        deviceAttributes.Write<ushort>(6, usbDeviceDescriptor.Read<ushort>(10));            // ProductID = idProduct
        deviceAttributes.Write<ushort>(8, usbDeviceDescriptor.Read<ushort>(12));            // VersionNumber = bcdDevice

        //
        // Report how many bytes were copied
        //
        WdfRequestSetInformation(Request, SIZEOF_HID_DEVICE_ATTRIBUTES);
        return status;
    }

    public static NTSTATUS HidFx2SendIdleNotification(WDFREQUEST Request)
    {
        NTSTATUS status = STATUS_SUCCESS;
        bool sendStatus = FALSE;
        WDF_REQUEST_SEND_OPTIONS options;
        WDFIOTARGET nextLowerDriver;
        WDFDEVICE device;
        IO_STACK_LOCATION currentIrpStack;

        device = WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request));
        currentIrpStack = IoGetCurrentIrpStackLocation(WdfRequestWdmGetIrp(Request));

        //
        // Convert the request to corresponding USB Idle notification request
        //
        if (currentIrpStack.Parameters.DeviceIoControl.InputBufferLength < SIZEOF_HID_SUBMIT_IDLE_NOTIFICATION_CALLBACK_INFO)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            return status;
        }

#pragma warning disable CS0162 // #pragma warning(suppress :4127)  // conditional expression is constant warning
        if (SIZEOF_HID_SUBMIT_IDLE_NOTIFICATION_CALLBACK_INFO != SIZEOF_USB_IDLE_CALLBACK_INFO)
        {
            status = STATUS_INFO_LENGTH_MISMATCH;
            return status;
        }
#pragma warning restore CS0162

        //
        // prepare next stack location
        //
        WdfRequestFormatRequestUsingCurrentType(Request); // WdfRequestWdmFormatUsingStackLocation(Request, &nextIrpStack)

        //
        // Send the request down using Fire and forget option.
        //
        WDF_REQUEST_SEND_OPTIONS_INIT(out options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);

        nextLowerDriver = WdfDeviceGetIoTarget(device);

        sendStatus = WdfRequestSend(Request, nextLowerDriver, options);

        if (sendStatus == FALSE)
        {
            status = STATUS_UNSUCCESSFUL;
        }

        return status;
    }

    // ---- usb.c ----------------------------------------------------------------------------------------------------

    public static NTSTATUS HidFx2EvtDevicePrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourceList, WDFCMRESLIST ResourceListTranslated)
    {
        NTSTATUS status = STATUS_SUCCESS;
        DEVICE_EXTENSION devContext;
        WDF_OBJECT_ATTRIBUTES attributes;
        PVOID usbDeviceDescriptor = NULL;

        UNREFERENCED_PARAMETER(ResourceList);
        UNREFERENCED_PARAMETER(ResourceListTranslated);

        devContext = GetDeviceContext(Device);

        //
        // Get the Device descriptor and store it in device context
        //
        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;
        status = WdfMemoryCreate(attributes, NonPagedPoolNx, 0, SIZEOF_USB_DEVICE_DESCRIPTOR, out devContext.DeviceDescriptor,
            out usbDeviceDescriptor);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfUsbTargetDeviceGetDeviceDescriptor(usbDeviceDescriptor);

        return status;
    }

    public static void HidFx2EvtUsbInterruptPipeReadComplete(WDFMEMORY Buffer, nuint NumBytesTransferred, DEVICE_EXTENSION Context)
    {
        DEVICE_EXTENSION devContext = Context;
        byte toggledSwitch = 0;
        PVOID switchState = NULL;
        byte currentSwitchState = 0;
        byte previousSwitchState = 0;

        //
        // Interrupt endpoints sends switch state when first started
        // or when resuming from suspend. We need to ignore that data since
        // user did not change the switch state.
        //
        if (devContext.IsPowerUpSwitchState)
        {
            devContext.IsPowerUpSwitchState = FALSE;
            return;
        }

        //
        // Make sure that there is data in the read packet.  Depending on the device
        // specification, it is possible for it to return a 0 length read in
        // certain conditions.
        //
        if (NumBytesTransferred == 0)
        {
            return;
        }

        switchState = WdfMemoryGetBuffer(Buffer, NULL);

        currentSwitchState = switchState.Read<byte>(0);
        previousSwitchState = devContext.CurrentSwitchState;

        //
        // we want to know if any switch got newly ON. So if a switch got toggled
        // from OFF to ON, we would get a value of 1. If it got toggled from ON to
        // OFF, we would get a value of 0.
        //
        toggledSwitch = (byte)((previousSwitchState ^ currentSwitchState) & currentSwitchState);

        //
        // Store the current switch state
        //
        devContext.CurrentSwitchState = switchState.Read<byte>(0);

        //
        // Debounce the switchpack. A simple logic is used for debouncing.
        // A timer is started for 10 ms everytime there is a switch toggled on.
        // If within 10 ms same or another switch gets toggled, the timer gets
        // reinitialized for another 10 ms. The HID read request is completed
        // in the timer function if there is a switch still toggled on.
        //
        devContext.LatestToggledSwitch = toggledSwitch;
        if (toggledSwitch != 0)
        {
            WdfTimerStart(devContext.DebounceTimer, WDF_REL_TIMEOUT_IN_MS(SWICTHPACK_DEBOUNCE_TIME_IN_MS));
        }
    }

    public static void HidFx2CompleteReadReport(WDFDEVICE Device)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDFREQUEST request;
        DEVICE_EXTENSION pDevContext;
        nuint bytesReturned = 0;
        byte toggledSwitch = 0;
        uint bytesToCopy = 0;
        PVOID inputReport = NULL;

        pDevContext = GetDeviceContext(Device);

        //
        // Check if there are any pending requests in the Interrupt Message Queue.
        // If a request is found then complete the pending request.
        //
        status = WdfIoQueueRetrieveNextRequest(pDevContext.InterruptMsgQueue, out request);

        if (NT_SUCCESS(status))
        {
            //
            // IOCTL_HID_READ_REPORT is METHOD_NEITHER so WdfRequestRetrieveOutputBuffer
            // will correctly retrieve buffer from Irp->UserBuffer.
            //
            bytesToCopy = SIZEOF_HIDFX2_INPUT_REPORT;
            status = WdfRequestRetrieveOutputBuffer(request, INPUT_REPORT_BYTES, out inputReport, out bytesReturned);
            if (!NT_SUCCESS(status))
            {
                // WdfRequestRetrieveOutputBuffer failed
            }
            else
            {
                toggledSwitch = pDevContext.LatestToggledSwitch;

                if ((toggledSwitch & CONSUMER_CONTROL_BUTTONS_BIT_MASK) != 0)
                {
                    inputReport.Write<byte>(0, CONSUMER_CONTROL_REPORT_ID);
                    inputReport.Write<byte>(1, toggledSwitch); // BUG DRV024
                    bytesReturned = bytesToCopy;
                }
                else if ((toggledSwitch & SYSTEM_CONTROL_BUTTONS_BIT_MASK) != 0)
                {
                    inputReport.Write<byte>(0, SYSTEM_CONTROL_REPORT_ID);
                    inputReport.Write<byte>(1, toggledSwitch); // BUG DRV024
                    bytesReturned = bytesToCopy;
                }
                else
                {
                    // ASSERT(FALSE)
                }
            }

            WdfRequestCompleteWithInformation(request, status, bytesReturned); // BUG DRV023
        }
        else if (status != STATUS_NO_MORE_ENTRIES)
        {
            // WdfIoQueueRetrieveNextRequest status
        }

        return;
    }

    public static NTSTATUS HidFx2EvtDeviceD0Entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
    {
        DEVICE_EXTENSION devContext;
        NTSTATUS status = STATUS_SUCCESS;
        using var switchState = new LOCAL_BUFFER(1);

        UNREFERENCED_PARAMETER(PreviousState);

        devContext = GetDeviceContext(Device);

        //
        // Retrieve the current switch state and store it in device context
        //
        status = HidFx2GetSwitchState(Device, switchState.Address);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        devContext.CurrentSwitchState = switchState.Address.Read<byte>(0);

        //
        // Start the target. This will start the continuous reader
        // (WdfIoTargetStart(WdfUsbTargetPipeGetIoTarget(devContext->InterruptPipe)): the host's calls, here).
        //
        devContext.IsPowerUpSwitchState = TRUE;

        return status;
    }

    public static NTSTATUS HidFx2GetSwitchState(WDFDEVICE Device, PVOID SwitchState)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDF_MEMORY_DESCRIPTOR memDesc;
        nuint bytesTransferred = 0;

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memDesc, SwitchState, sizeof(byte));

        status = WdfIoTargetSendInternalIoctlSynchronously(WdfDeviceGetIoTarget(Device), WDF_NO_HANDLE,
            IOCTL_HIDFX2_VENDOR(HIDFX2_READ_SWITCH_STATE), null, memDesc, null, out bytesTransferred);

        return status;
    }

    public static void HidFx2EvtTimerFunction(WDFTIMER Timer)
    {
        DEVICE_EXTENSION devContext = GetDeviceContext(WdfTimerGetParentObject(Timer));

        if (devContext.LatestToggledSwitch != 0)
        {
            HidFx2CompleteReadReport((WDFDEVICE)WdfTimerGetParentObject(Timer));
        }
    }

    // ---- stand-ins: the USB target's device descriptor, HIDClass's transfer packet -------------------------------

    /// <summary>WdfUsbTargetDeviceGetDeviceDescriptor: the FX2's USB_DEVICE_DESCRIPTOR (idVendor 0x0547, idProduct 0x1002).</summary>
    public static void WdfUsbTargetDeviceGetDeviceDescriptor(PVOID UsbDeviceDescriptor)
    {
        UsbDeviceDescriptor.Write<byte>(0, (byte)SIZEOF_USB_DEVICE_DESCRIPTOR);
        UsbDeviceDescriptor.Write<byte>(1, 0x01);
        UsbDeviceDescriptor.Write<ushort>(8, 0x0547);
        UsbDeviceDescriptor.Write<ushort>(10, 0x1002);
        UsbDeviceDescriptor.Write<ushort>(12, 0x0000);
    }

    /// <summary>The HID_XFER_PACKET HIDClass put in the IRP's UserBuffer (a test gives it with <see cref="HidClassPackets"/>).</summary>
    public static readonly ConditionalWeakTable<IRP, HID_XFER_PACKET> HidClassPackets = new();

    public static HID_XFER_PACKET? HidXferPacketOfUserBuffer(IRP Irp) => HidClassPackets.TryGetValue(Irp, out var packet) ? packet : null;

    private static LOCAL_BUFFER Bytes(byte[] Content)
    {
        var buffer = new LOCAL_BUFFER(Content.Length);
        buffer.Address.CopyFrom(Content, 0);
        return buffer;
    }
}
