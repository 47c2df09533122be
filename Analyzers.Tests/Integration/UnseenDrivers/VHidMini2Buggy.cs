// BUGGY variant of VHidMini2.cs (same port, same sources and translation notes below) with bugs of the kinds
// issue 11 lists, each marked on the line the finding belongs to.
// Port of the shipped virtual HID minidriver (microsoft/Windows-driver-samples, hid/vhidmini2/driver): vhidmini.c
// (DriverEntry, EvtDeviceAdd, QueueCreate, EvtIoDeviceControl, RequestCopyFromBuffer, ReadReport, WriteReport,
// GetFeature, SetFeature, GetInputReport, SetOutputReport, GetStringId, GetIndexedString, GetString,
// ManualQueueCreate, EvtTimerFunc), vhidmini.h and inc/common.h, as the kernel-mode (KMDF) build compiles it:
// HID requests arrive as internal device controls from HIDClass (mshidkmdf passes them through).
// Mechanical translation per API.md; where the API differs:
//   * HID_XFER_PACKET holds a C pointer: the KMDF build's util.c copies the packet from Irp->UserBuffer, which a
//     C# PVOID cannot hold, so the two RequestGetHidXferPacket_* helpers are the UMDF2 build's (umdf2/util.c): the
//     report buffer is the request's output (to read from the device) or input memory (to write), the report ID
//     the input buffer's first byte or the output buffer's length; GetStringId is likewise the UMDF2 branch (the
//     KMDF branch reads the ID from Type3InputBuffer's pointer value, which a PVOID does not have);
//   * structures kept in the device context whose address is taken (HID_DESCRIPTOR, HID_DEVICE_ATTRIBUTES, the
//     default report descriptor the C code keeps as a global) are LOCAL_BUFFER fields; the strings are built as
//     UTF-16 with their terminating null, as sizeof(L"...") counts it.
// Left out: CheckRegistryForDescriptor/ReadDescriptorFromRegistry (no registry: the default report descriptor is
// used, as when the registry value is absent), WdfFdoInitSetFilter's power-policy meaning, KdPrint tracing.
using System.Text;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class VHidMini2Buggy
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
    public const uint IOCTL_HID_SET_OUTPUT_REPORT = (FILE_DEVICE_KEYBOARD << 16) | (101 << 2) | METHOD_IN_DIRECT;
    public const uint IOCTL_GET_PHYSICAL_DESCRIPTOR = (FILE_DEVICE_KEYBOARD << 16) | (102 << 2) | METHOD_OUT_DIRECT;
    public const uint IOCTL_HID_GET_INPUT_REPORT = (FILE_DEVICE_KEYBOARD << 16) | (104 << 2) | METHOD_OUT_DIRECT;
    public const uint IOCTL_HID_GET_INDEXED_STRING = (FILE_DEVICE_KEYBOARD << 16) | (120 << 2) | METHOD_OUT_DIRECT;

    public const uint HID_STRING_ID_IMANUFACTURER = 14;
    public const uint HID_STRING_ID_IPRODUCT = 15;
    public const uint HID_STRING_ID_ISERIALNUMBER = 16;

    public const byte HIDMINI_CONTROL_CODE_SET_ATTRIBUTES = 0x00;
    public const byte HIDMINI_CONTROL_CODE_DUMMY1 = 0x01;
    public const byte HIDMINI_CONTROL_CODE_DUMMY2 = 0x02;
    public const byte CONTROL_COLLECTION_REPORT_ID = 0x01;
    public const byte CONTROL_FEATURE_REPORT_ID = 0x01;

    public const ushort HIDMINI_PID = 0xFEED;
    public const ushort HIDMINI_VID = 0xDEED;
    public const ushort HIDMINI_VERSION = 0x0101;
    public const uint VHIDMINI_TAG = 0x6d444948; // 'HIDm'

    public const string VHIDMINI_MANUFACTURER_STRING = "UMDF Virtual hidmini device Manufacturer string";
    public const string VHIDMINI_PRODUCT_STRING = "UMDF Virtual hidmini device Product string";
    public const string VHIDMINI_SERIAL_NUMBER_STRING = "UMDF Virtual hidmini device Serial Number string";
    public const string VHIDMINI_DEVICE_STRING = "UMDF Virtual hidmini device";
    public const uint VHIDMINI_DEVICE_STRING_INDEX = 5;

    // sizeof of the packed structures of common.h and hidport.h
    public const int HID_DESCRIPTOR_SIZE = 9;
    public const int HID_DEVICE_ATTRIBUTES_SIZE = 32;
    public const int MY_DEVICE_ATTRIBUTES_SIZE = 6;
    public const int HIDMINI_CONTROL_INFO_SIZE = 10;
    public const int HIDMINI_INPUT_REPORT_SIZE = 2;
    public const int HIDMINI_OUTPUT_REPORT_SIZE = 8;
    public const ushort FEATURE_REPORT_SIZE_CB = HIDMINI_CONTROL_INFO_SIZE - 1;
    public const ushort INPUT_REPORT_SIZE_CB = HIDMINI_INPUT_REPORT_SIZE - 1;
    public const ushort OUTPUT_REPORT_SIZE_CB = HIDMINI_OUTPUT_REPORT_SIZE - 1;

    public static readonly byte[] G_DefaultReportDescriptor =
    {
        0x06, 0x00, 0xFF,                  // USAGE_PAGE (Vender Defined Usage Page)
        0x09, 0x01,                        // USAGE (Vendor Usage 0x01)
        0xA1, 0x01,                        // COLLECTION (Application)
        0x85, CONTROL_FEATURE_REPORT_ID,   // REPORT_ID (1)
        0x09, 0x01,                        // USAGE (Vendor Usage 0x01)
        0x15, 0x00,                        // LOGICAL_MINIMUM(0)
        0x26, 0xff, 0x00,                  // LOGICAL_MAXIMUM(255)
        0x75, 0x08,                        // REPORT_SIZE (0x08)
        0x96, FEATURE_REPORT_SIZE_CB & 0xff, FEATURE_REPORT_SIZE_CB >> 8, // REPORT_COUNT
        0xB1, 0x00,                        // FEATURE (Data,Ary,Abs)
        0x09, 0x01,                        // USAGE (Vendor Usage 0x01)
        0x75, 0x08,                        // REPORT_SIZE (0x08)
        0x96, INPUT_REPORT_SIZE_CB & 0xff, INPUT_REPORT_SIZE_CB >> 8, // REPORT_COUNT
        0x81, 0x00,                        // INPUT (Data,Ary,Abs)
        0x09, 0x01,                        // USAGE (Vendor Usage 0x01)
        0x75, 0x08,                        // REPORT_SIZE (0x08)
        0x96, OUTPUT_REPORT_SIZE_CB & 0xff, OUTPUT_REPORT_SIZE_CB >> 8, // REPORT_COUNT
        0x91, 0x00,                        // OUTPUT (Data,Ary,Abs)
        0xC0,                              // END_COLLECTION
    };

    public struct HID_XFER_PACKET
    {
        public PVOID reportBuffer;
        public uint reportBufferLen;
        public byte reportId;
    }

    public sealed class DEVICE_CONTEXT
    {
        public WDFDEVICE Device;
        public WDFQUEUE DefaultQueue;
        public WDFQUEUE ManualQueue;
        public readonly LOCAL_BUFFER HidDeviceAttributes = new(HID_DEVICE_ATTRIBUTES_SIZE);
        public byte DeviceData;
        public readonly LOCAL_BUFFER HidDescriptor = new(HID_DESCRIPTOR_SIZE);
        public readonly LOCAL_BUFFER DefaultReportDescriptor = new(G_DefaultReportDescriptor.Length);
        public PVOID ReportDescriptor;
        public bool ReadReportDescFromRegistry;
    }

    public sealed class QUEUE_CONTEXT
    {
        public WDFQUEUE Queue;
        public DEVICE_CONTEXT DeviceContext = null!;
        public byte OutputReport;
    }

    public sealed class MANUAL_QUEUE_CONTEXT
    {
        public WDFQUEUE Queue;
        public DEVICE_CONTEXT DeviceContext = null!;
        public WDFTIMER Timer;
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(Object);

    public static QUEUE_CONTEXT GetQueueContext(WDFOBJECT Object) => WdfObjectGetTypedContext<QUEUE_CONTEXT>(Object);

    public static MANUAL_QUEUE_CONTEXT GetManualQueueContext(WDFOBJECT Object) => WdfObjectGetTypedContext<MANUAL_QUEUE_CONTEXT>(Object);

    /// <summary>A wide string as C's L"..." array: UTF-16 with its terminating null (sizeof counts it).</summary>
    private static LOCAL_BUFFER WideString(string Text)
    {
        var bytes = Encoding.Unicode.GetBytes(Text + "\0");
        var buffer = new LOCAL_BUFFER(bytes.Length);
        buffer.Address.CopyFrom(bytes, 0);
        return buffer;
    }

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out config, EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    public static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES deviceAttributes;
        WDFDEVICE device;
        DEVICE_CONTEXT deviceContext;
        PVOID hidAttributes;
        PVOID hidDescriptor;

        UNREFERENCED_PARAMETER(Driver);

        // Mark ourselves as a filter, which also relinquishes power policy ownership
        WdfFdoInitSetFilter(DeviceInit);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out deviceAttributes);

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        deviceContext = GetDeviceContext(device);
        deviceContext.Device = device;
        deviceContext.DeviceData = 0;

        hidAttributes = deviceContext.HidDeviceAttributes.Address;
        RtlZeroMemory(hidAttributes, HID_DEVICE_ATTRIBUTES_SIZE);
        hidAttributes.Write<uint>(0, HID_DEVICE_ATTRIBUTES_SIZE);   // Size
        hidAttributes.Write<ushort>(4, HIDMINI_VID);                // VendorID
        hidAttributes.Write<ushort>(6, HIDMINI_PID);                // ProductID
        hidAttributes.Write<ushort>(8, HIDMINI_VERSION);            // VersionNumber

        status = QueueCreate(device, out deviceContext.DefaultQueue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = ManualQueueCreate(device, out deviceContext.ManualQueue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        // Use default "HID Descriptor" (hardcoded).
        hidDescriptor = deviceContext.HidDescriptor.Address;
        hidDescriptor.Write<byte>(0, HID_DESCRIPTOR_SIZE);                           // bLength
        hidDescriptor.Write<byte>(1, 0x21);                                          // bDescriptorType (HID)
        hidDescriptor.Write<ushort>(2, 0x0100);                                      // bcdHID
        hidDescriptor.Write<byte>(4, 0x00);                                          // bCountry
        hidDescriptor.Write<byte>(5, 0x01);                                          // bNumDescriptors
        hidDescriptor.Write<byte>(6, 0x22);                                          // DescriptorList[0].bReportType
        hidDescriptor.Write<ushort>(7, (ushort)G_DefaultReportDescriptor.Length);    // DescriptorList[0].wReportLength

        // No registry value: use the default "Report Descriptor" (hardcoded).
        deviceContext.DefaultReportDescriptor.Address.CopyFrom(G_DefaultReportDescriptor, 0);
        deviceContext.ReportDescriptor = deviceContext.DefaultReportDescriptor.Address;
        status = STATUS_SUCCESS;

        return status;
    }

    public static NTSTATUS QueueCreate(WDFDEVICE Device, out WDFQUEUE Queue)
    {
        NTSTATUS status;
        WDF_IO_QUEUE_CONFIG queueConfig;
        WDF_OBJECT_ATTRIBUTES queueAttributes;
        WDFQUEUE queue;
        QUEUE_CONTEXT queueContext;

        Queue = WDF_NO_HANDLE;

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out queueConfig, WdfIoQueueDispatchParallel);

        queueConfig.EvtIoInternalDeviceControl = EvtIoDeviceControl;

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<QUEUE_CONTEXT>(out queueAttributes);

        status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        queueContext = GetQueueContext(queue);
        queueContext.Queue = queue;
        queueContext.DeviceContext = GetDeviceContext(Device);
        queueContext.OutputReport = 0;

        Queue = queue;
        return status;
    }

    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        bool completeRequest = TRUE;
        WDFDEVICE device = WdfIoQueueGetDevice(Queue);
        DEVICE_CONTEXT deviceContext;
        QUEUE_CONTEXT queueContext = GetQueueContext(Queue);

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);

        deviceContext = GetDeviceContext(device);

        switch (IoControlCode)
        {
            case IOCTL_HID_GET_DEVICE_DESCRIPTOR:   // METHOD_NEITHER
                // Retrieves the device's HID descriptor.
                status = RequestCopyFromBuffer(Request, deviceContext.HidDescriptor.Address, deviceContext.HidDescriptor.Address.Read<byte>(0));
                break;

            case IOCTL_HID_GET_DEVICE_ATTRIBUTES:   // METHOD_NEITHER
                // Retrieves a device's attributes in a HID_DEVICE_ATTRIBUTES structure.
                status = RequestCopyFromBuffer(Request, queueContext.DeviceContext.HidDeviceAttributes.Address, HID_DEVICE_ATTRIBUTES_SIZE);
                break;

            case IOCTL_HID_GET_REPORT_DESCRIPTOR:   // METHOD_NEITHER
                // Obtains the report descriptor for the HID device.
                status = RequestCopyFromBuffer(Request, deviceContext.ReportDescriptor, OutputBufferLength); // BUG DRV020: HIDClass's buffer length, not wReportLength: reads past the report descriptor kept in the device context
                break;

            case IOCTL_HID_READ_REPORT:             // METHOD_NEITHER
                // Returns a report from the device into a class driver-supplied buffer.
                status = ReadReport(queueContext, Request, out completeRequest);
                break;

            case IOCTL_HID_WRITE_REPORT:            // METHOD_NEITHER
                // Transmits a class driver-supplied report to the device.
                status = WriteReport(queueContext, Request);
                break;

            case IOCTL_HID_GET_FEATURE:             // METHOD_OUT_DIRECT
                status = GetFeature(queueContext, Request);
                break;

            case IOCTL_HID_SET_FEATURE:             // METHOD_IN_DIRECT
                status = SetFeature(queueContext, Request);
                break;

            case IOCTL_HID_GET_INPUT_REPORT:        // METHOD_OUT_DIRECT
                status = GetInputReport(queueContext, Request);
                break;

            case IOCTL_HID_SET_OUTPUT_REPORT:       // METHOD_IN_DIRECT
                status = SetOutputReport(queueContext, Request);
                break;

            case IOCTL_HID_GET_STRING:              // METHOD_NEITHER
                status = GetString(Request);
                break;

            case IOCTL_HID_GET_INDEXED_STRING:      // METHOD_OUT_DIRECT
                status = GetIndexedString(Request);
                break;

            case IOCTL_HID_SEND_IDLE_NOTIFICATION_REQUEST:  // METHOD_NEITHER
            case IOCTL_HID_ACTIVATE_DEVICE:                 // METHOD_NEITHER
            case IOCTL_HID_DEACTIVATE_DEVICE:               // METHOD_NEITHER
            case IOCTL_GET_PHYSICAL_DESCRIPTOR:             // METHOD_OUT_DIRECT
            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }

        // Complete the request. Information value has already been set by request handlers.
        if (completeRequest)
        {
            WdfRequestComplete(Request, status);
        }
    }

    public static NTSTATUS RequestCopyFromBuffer(WDFREQUEST Request, PVOID SourceBuffer, nuint NumBytesToCopyFrom)
    {
        NTSTATUS status;
        WDFMEMORY memory;
        nuint outputBufferLength;

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfMemoryGetBuffer(memory, out outputBufferLength);
        if (outputBufferLength < NumBytesToCopyFrom)
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            return status;
        }

        status = WdfMemoryCopyFromBuffer(memory, 0, SourceBuffer, NumBytesToCopyFrom);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfRequestSetInformation(Request, NumBytesToCopyFrom);
        return status;
    }

    public static NTSTATUS ReadReport(QUEUE_CONTEXT QueueContext, WDFREQUEST Request, out bool CompleteRequest)
    {
        NTSTATUS status;

        // forward the request to manual queue
        status = WdfRequestForwardToIoQueue(Request, QueueContext.DeviceContext.ManualQueue);
        if (!NT_SUCCESS(status))
        {
            CompleteRequest = TRUE;
        }
        else
        {
            CompleteRequest = FALSE;
        }

        return status;
    }

    public static NTSTATUS WriteReport(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        HID_XFER_PACKET packet;
        uint reportSize;
        PVOID outputReport;

        status = RequestGetHidXferPacket_ToWriteToDevice(Request, out packet);

        if (packet.reportId != CONTROL_COLLECTION_REPORT_ID)
        {
            // Return error for unknown collection
            status = STATUS_INVALID_PARAMETER;
            return status;
        }

        reportSize = HIDMINI_OUTPUT_REPORT_SIZE;
        outputReport = packet.reportBuffer;

        // Store the device data in device extension.
        QueueContext.DeviceContext.DeviceData = outputReport.Read<byte>(1); // BUG DRV022 DRV024: the packet's buffer comes from the helper's retrieve, whose failure is not checked here, and its length (packet.reportBufferLen) is not checked against the two bytes read

        // set status and information
        WdfRequestSetInformation(Request, reportSize);
        return status;
    }

    public static NTSTATUS GetFeature(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        HID_XFER_PACKET packet;
        uint reportSize;
        PVOID myAttributes;
        PVOID hidAttributes = QueueContext.DeviceContext.HidDeviceAttributes.Address;

        status = RequestGetHidXferPacket_ToReadFromDevice(Request, out packet);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        if (packet.reportId != CONTROL_COLLECTION_REPORT_ID)
        {
            // If collection ID is not for control collection then handle this request just as you would for a
            // regular collection.
            status = STATUS_INVALID_PARAMETER;
            return status;
        }

        // Since output buffer is for write only (no read allowed by UMDF in output buffer), any read from output
        // buffer would be reading garbage), so don't let app embed custom control code in output buffer. The
        // minidriver can support multiple features using separate report ID instead of using custom control code.
        // Since this is targeted at report ID 1, we know that this is for the custom control attributes.
        reportSize = MY_DEVICE_ATTRIBUTES_SIZE + sizeof(byte);
        if (packet.reportBufferLen < reportSize)
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            return status;
        }

        // Since this device has one report ID, hidclass would pass on the report ID in the buffer (it wouldn't if
        // report descriptor did not have any report ID). However, since UMDF allows only writes to an output buffer,
        // we can't "read" the report ID from "output" buffer. There is no need to read the report ID since we get it
        // other way as shown above, however this is something to keep in mind.
        myAttributes = packet.reportBuffer + sizeof(byte);
        myAttributes.Write<ushort>(0, hidAttributes.Read<ushort>(6));   // ProductID
        myAttributes.Write<ushort>(2, hidAttributes.Read<ushort>(4));   // VendorID
        myAttributes.Write<ushort>(4, hidAttributes.Read<ushort>(8));   // VersionNumber

        // Report how many bytes were copied
        WdfRequestSetInformation(Request, reportSize);
        return status;
    }

    public static NTSTATUS SetFeature(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        HID_XFER_PACKET packet;
        uint reportSize;
        PVOID controlInfo;
        PVOID hidAttributes = QueueContext.DeviceContext.HidDeviceAttributes.Address;

        status = RequestGetHidXferPacket_ToWriteToDevice(Request, out packet);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        if (packet.reportId != CONTROL_COLLECTION_REPORT_ID)
        {
            // If collection ID is not for control collection then handle this request just as you would for a
            // regular collection.
            status = STATUS_INVALID_PARAMETER;
            return status;
        }

        // before touching control code make sure buffer is big enough.
        reportSize = HIDMINI_CONTROL_INFO_SIZE;

        if (packet.reportBufferLen < reportSize)
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            return status;
        }

        // HIDMINI_CONTROL_INFO { UCHAR ReportId; UCHAR ControlCode; union { MY_DEVICE_ATTRIBUTES Attributes; ... } u; }
        controlInfo = packet.reportBuffer;

        switch (controlInfo.Read<byte>(1))
        {
            case HIDMINI_CONTROL_CODE_SET_ATTRIBUTES:
                // Store the device attributes in device extension
                hidAttributes.Write<ushort>(6, controlInfo.Read<ushort>(4));   // ProductID
                hidAttributes.Write<ushort>(4, controlInfo.Read<ushort>(2));   // VendorID
                hidAttributes.Write<ushort>(8, controlInfo.Read<ushort>(6));   // VersionNumber

                // set status and information
                WdfRequestSetInformation(Request, reportSize);
                break;

            case HIDMINI_CONTROL_CODE_DUMMY1:
                status = STATUS_NOT_IMPLEMENTED;
                break;

            case HIDMINI_CONTROL_CODE_DUMMY2:
                status = STATUS_NOT_IMPLEMENTED;
                break;

            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }

        return status;
    }

    public static NTSTATUS GetInputReport(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        HID_XFER_PACKET packet;
        uint reportSize;
        PVOID reportBuffer;

        status = RequestGetHidXferPacket_ToReadFromDevice(Request, out packet);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        if (packet.reportId != CONTROL_COLLECTION_REPORT_ID)
        {
            // If collection ID is not for control collection then handle this request just as you would for a
            // regular collection.
            status = STATUS_INVALID_PARAMETER;
            return status;
        }

        reportSize = HIDMINI_INPUT_REPORT_SIZE;
        reportBuffer = packet.reportBuffer;

        reportBuffer.Write<byte>(0, CONTROL_COLLECTION_REPORT_ID);   // ReportId
        reportBuffer.Write<byte>(1, QueueContext.OutputReport); // BUG DRV024: nothing checked packet.reportBufferLen against the report's two bytes

        // Report how many bytes were copied
        WdfRequestSetInformation(Request, reportSize);
        return status;
    }

    public static NTSTATUS SetOutputReport(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        HID_XFER_PACKET packet;
        uint reportSize;
        PVOID reportBuffer;

        status = RequestGetHidXferPacket_ToWriteToDevice(Request, out packet);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        if (packet.reportId != CONTROL_COLLECTION_REPORT_ID)
        {
            // If collection ID is not for control collection then handle this request just as you would for a
            // regular collection.
            status = STATUS_INVALID_PARAMETER;
            return status;
        }

        // before touching buffer make sure buffer is big enough.
        reportSize = HIDMINI_OUTPUT_REPORT_SIZE;

        if (packet.reportBufferLen < reportSize)
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            return status;
        }

        reportBuffer = packet.reportBuffer;

        QueueContext.OutputReport = reportBuffer.Read<byte>(1);

        // Report how many bytes were copied
        WdfRequestSetInformation(Request, reportSize);
        return status;
    }

    public static NTSTATUS GetStringId(WDFREQUEST Request, out uint StringId, out uint LanguageId)
    {
        NTSTATUS status;
        uint inputValue;
        WDFMEMORY inputMemory;
        nuint inputBufferLength;
        PVOID inputBuffer;

        StringId = 0;
        LanguageId = 0;

        // mshidumdf.sys updates the IRP and passes the string id (or index) through the input buffer correctly
        // based on the IOCTL buffer type
        status = WdfRequestRetrieveInputMemory(Request, out inputMemory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        inputBuffer = WdfMemoryGetBuffer(inputMemory, out inputBufferLength);

        // make sure buffer is big enough.
        if (inputBufferLength < sizeof(uint))
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            return status;
        }

        inputValue = inputBuffer.Read<uint>(0);

        // The least significant two bytes of the INT value contain the string id.
        StringId = inputValue & 0x0ffff;

        // The most significant two bytes of the INT value contain the language ID (for example, a value of 1033
        // indicates English).
        LanguageId = inputValue >> 16;

        return status;
    }

    public static NTSTATUS GetIndexedString(WDFREQUEST Request)
    {
        NTSTATUS status;
        uint languageId, stringIndex;

        status = GetStringId(Request, out stringIndex, out languageId);

        // While we don't use the language id, some minidrivers might.
        UNREFERENCED_PARAMETER(languageId);

        if (NT_SUCCESS(status))
        {
            if (stringIndex != VHIDMINI_DEVICE_STRING_INDEX)
            {
                status = STATUS_INVALID_PARAMETER;
                return status;
            }

            using var deviceString = WideString(VHIDMINI_DEVICE_STRING);
            status = RequestCopyFromBuffer(Request, deviceString.Address, deviceString.Size);
        }

        return status;
    }

    public static NTSTATUS GetString(WDFREQUEST Request)
    {
        NTSTATUS status;
        uint languageId, stringId;
        string text;

        status = GetStringId(Request, out stringId, out languageId);

        // While we don't use the language id, some minidrivers might.
        UNREFERENCED_PARAMETER(languageId);

        if (!NT_SUCCESS(status))
        {
            return status;
        }

        switch (stringId)
        {
            case HID_STRING_ID_IMANUFACTURER:
                text = VHIDMINI_MANUFACTURER_STRING;
                break;
            case HID_STRING_ID_IPRODUCT:
                text = VHIDMINI_PRODUCT_STRING;
                break;
            case HID_STRING_ID_ISERIALNUMBER:
                text = VHIDMINI_SERIAL_NUMBER_STRING;
                break;
            default:
                status = STATUS_INVALID_PARAMETER;
                return status;
        }

        using var stringBuffer = WideString(text);
        status = RequestCopyFromBuffer(Request, stringBuffer.Address, stringBuffer.Size);
        return status;
    }

    public static NTSTATUS ManualQueueCreate(WDFDEVICE Device, out WDFQUEUE Queue)
    {
        NTSTATUS status;
        WDF_IO_QUEUE_CONFIG queueConfig;
        WDF_OBJECT_ATTRIBUTES queueAttributes;
        WDFQUEUE queue;
        MANUAL_QUEUE_CONTEXT queueContext;
        WDF_TIMER_CONFIG timerConfig;
        WDF_OBJECT_ATTRIBUTES timerAttributes;
        uint timerPeriodInSeconds = 5;

        Queue = WDF_NO_HANDLE;

        WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchManual);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<MANUAL_QUEUE_CONTEXT>(out queueAttributes);

        status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        queueContext = GetManualQueueContext(queue);
        queueContext.Queue = queue;
        queueContext.DeviceContext = GetDeviceContext(Device);

        WDF_TIMER_CONFIG_INIT_PERIODIC(out timerConfig, EvtTimerFunc, timerPeriodInSeconds * 1000);

        WDF_OBJECT_ATTRIBUTES_INIT(out timerAttributes);
        timerAttributes.ParentObject = queue;
        status = WdfTimerCreate(timerConfig, timerAttributes, out queueContext.Timer);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfTimerStart(queueContext.Timer, WDF_REL_TIMEOUT_IN_SEC(1));

        Queue = queue;
        return status;
    }

    public static void EvtTimerFunc(WDFTIMER Timer)
    {
        NTSTATUS status;
        WDFQUEUE queue;
        MANUAL_QUEUE_CONTEXT queueContext;
        WDFREQUEST request;
        PVOID readReport;

        readReport = ExAllocatePool2(POOL_FLAG_PAGED, HIDMINI_INPUT_REPORT_SIZE, VHIDMINI_TAG); // BUG DRV037: paged pool allocated in a timer callback, at DISPATCH_LEVEL
        if (readReport == NULL)
        {
            return;
        }

        queue = (WDFQUEUE)WdfTimerGetParentObject(Timer);
        queueContext = GetManualQueueContext(queue);

        // see if we have a request in manual queue
        status = WdfIoQueueRetrieveNextRequest(queueContext.Queue, out request);

        if (NT_SUCCESS(status))
        {
            readReport.Write<byte>(0, CONTROL_FEATURE_REPORT_ID);              // ReportId
            readReport.Write<byte>(1, queueContext.DeviceContext.DeviceData);  // Data

            status = RequestCopyFromBuffer(request, readReport, HIDMINI_INPUT_REPORT_SIZE);

            WdfRequestComplete(request, status);
        }

        ExFreePoolWithTag(readReport, VHIDMINI_TAG);
    }

    // ---- umdf2/util.c ----------------------------------------------------------------------------------------

    public static NTSTATUS RequestGetHidXferPacket_ToReadFromDevice(WDFREQUEST Request, out HID_XFER_PACKET Packet)
    {
        // Driver need to write to the output buffer (so that App can read from it)
        //
        //   Report Buffer: Output Buffer
        //   Report Id    : Input Buffer
        NTSTATUS status;
        WDFMEMORY inputMemory;
        WDFMEMORY outputMemory;
        nuint inputBufferLength;
        nuint outputBufferLength;
        PVOID inputBuffer;
        PVOID outputBuffer;

        Packet = default;

        // Get report Id from input buffer
        status = WdfRequestRetrieveInputMemory(Request, out inputMemory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        inputBuffer = WdfMemoryGetBuffer(inputMemory, out inputBufferLength);

        if (inputBufferLength < sizeof(byte))
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            return status;
        }

        Packet.reportId = inputBuffer.Read<byte>(0);

        // Get report buffer from output buffer
        status = WdfRequestRetrieveOutputMemory(Request, out outputMemory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        outputBuffer = WdfMemoryGetBuffer(outputMemory, out outputBufferLength);

        Packet.reportBuffer = outputBuffer;
        Packet.reportBufferLen = (uint)outputBufferLength;

        return status;
    }

    public static NTSTATUS RequestGetHidXferPacket_ToWriteToDevice(WDFREQUEST Request, out HID_XFER_PACKET Packet)
    {
        // Driver need to read from the input buffer (which was written by App)
        //
        //   Report Buffer: Input Buffer
        //   Report Id    : Output Buffer Length
        //
        // Note that the report id is not stored inside the output buffer, as the driver has no read-access right
        // to the output buffer, and trying to read from the buffer will cause an access violation error.
        //
        // The workaround is to store the report id in the OutputBufferLength field, to which the driver does have
        // read-access right.
        NTSTATUS status;
        WDFMEMORY inputMemory;
        WDFMEMORY outputMemory;
        nuint inputBufferLength;
        nuint outputBufferLength;
        PVOID inputBuffer;

        Packet = default;

        // Get report Id from output buffer length
        status = WdfRequestRetrieveOutputMemory(Request, out outputMemory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfMemoryGetBuffer(outputMemory, out outputBufferLength);
        Packet.reportId = (byte)outputBufferLength;

        // Get report buffer from input buffer
        status = WdfRequestRetrieveInputMemory(Request, out inputMemory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        inputBuffer = WdfMemoryGetBuffer(inputMemory, out inputBufferLength);

        Packet.reportBuffer = inputBuffer;
        Packet.reportBufferLen = (uint)inputBufferLength;

        return status;
    }
}
