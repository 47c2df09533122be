// Port of the shipped HID filter driver for the Microsoft "firefly" mouse (microsoft/Windows-driver-samples,
// hid/firefly/driver): vfeature.c (FireflySetFeature), device.c (FireFlyEvtDeviceAdd), driver.c (DriverEntry), the
// set-item / set-instance handlers of wmi.c (EvtWmiInstanceSetItem, EvtWmiInstanceSetInstance, EvtWmiInstanceQueryInstance)
// and firefly.h. The filter turns the mouse's tail light on and off: it opens its own HID collection by the PDO's name
// (WdfIoTargetCreate, WdfIoTargetOpen), asks for the collection information and the preparsed data with synchronous
// IOCTLs into a stack structure and a pool block sized by the answer, builds a feature report in pool and sends it with
// IOCTL_HID_SET_FEATURE; everything is freed at one exit label.
// Mechanical translation per API.md; where the API differs:
//   * WdfDeviceAllocAndQueryProperty(DevicePropertyPhysicalDeviceObjectName) is not in the API: the PDO's name is a
//     UNICODE_STRING kept in the device context (the host names the collection's target with it);
//   * the WMI DDIs (WdfWmiProviderCreate, WdfWmiInstanceCreate) are not in the API: the handlers take the device
//     context and the WMI buffer (PVOID and size) the framework passes; WMI guarantees MinInstanceBufferSize
//     (sizeof(FireflyDeviceInformation)) for a set-instance;
//   * HidP_GetCaps and HidP_SetUsages are hidparse.sys's, not the driver's: the region "hidparse stand-in" reads the
//     simulated preparsed data (its first two bytes are the feature report's length) and sets the usage's bit;
//   * HID_COLLECTION_INFORMATION (12 bytes, DescriptorSize at 0) and HIDP_CAPS (64 bytes, FeatureReportByteLength at 8)
//     are LOCAL_BUFFERs: C takes their address.
// Left out: WmiInitialize (provider and instance registration), the Sauron application, KdPrint tracing.
// The shipped FireflySetFeature returns STATUS_SUCCESS when the report's allocation fails (status still holds
// HidP_GetCaps's success at `goto ExitAndFree`): not a buffer rule of this package, kept as shipped.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class Firefly
{
    public const uint FILE_DEVICE_KEYBOARD = 0x0000000b;
    public const uint IOCTL_HID_GET_COLLECTION_INFORMATION = (FILE_DEVICE_KEYBOARD << 16) | (FILE_ANY_ACCESS << 14) | (106 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_HID_GET_COLLECTION_DESCRIPTOR = (FILE_DEVICE_KEYBOARD << 16) | (FILE_ANY_ACCESS << 14) | (100 << 2) | METHOD_NEITHER;
    public const uint IOCTL_HID_SET_FEATURE = (FILE_DEVICE_KEYBOARD << 16) | (FILE_ANY_ACCESS << 14) | (100 << 2) | METHOD_IN_DIRECT;
    public const uint FILE_SHARE_READ = 0x00000001;
    public const uint FILE_SHARE_WRITE = 0x00000002;
    public const uint FireflyTag = 0x796c6666; // 'ffly'

    public const int HID_COLLECTION_INFORMATION_SIZE = 12;
    public const int HIDP_CAPS_SIZE = 64;
    public const uint HIDP_CAPS_FEATURE_REPORT_BYTE_LENGTH = 8;
    public const int HidP_Feature = 2;
    public static readonly NTSTATUS HIDP_STATUS_SUCCESS = STATUS_SUCCESS;
    public static readonly NTSTATUS STATUS_WMI_READ_ONLY_STATUS = new(unchecked((int)0xC00002C6));
    public static readonly NTSTATUS HIDP_STATUS_BUFFER_TOO_SMALL = new(unchecked((int)0xC0110007));
    public static readonly NTSTATUS HIDP_STATUS_INVALID_REPORT_LENGTH = new(unchecked((int)0xC0110003));

    // luminous.h
    public const ushort TAILLIGHT_PAGE = 0xff00;
    public const ushort TAILLIGHT_FEATURE = 0x0002;

    // FireflyDeviceInformation { BOOLEAN TailLit; }
    public const uint FireflyDeviceInformation_SIZE = 1;
    public const uint FireflyDeviceInformation_TailLit_ID = 1;
    public const uint FireflyDeviceInformation_TailLit_SIZE = 1;

    public sealed class DEVICE_CONTEXT
    {
        public WDFDEVICE Device;
        public UNICODE_STRING PdoName = null!;
        public readonly LOCAL_BUFFER FireflyInfo = new((int)FireflyDeviceInformation_SIZE);
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(Object);

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out config, FireFlyEvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);

        return status;
    }

    public static NTSTATUS FireFlyEvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES attributes;
        NTSTATUS status;
        DEVICE_CONTEXT pDeviceContext;
        WDFDEVICE device;

        UNREFERENCED_PARAMETER(Driver);

        PAGED_CODE();

        WdfFdoInitSetFilter(DeviceInit);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out attributes);

        status = WdfDeviceCreate(ref DeviceInit, attributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        pDeviceContext = GetDeviceContext(device);
        pDeviceContext.Device = device;
        RtlZeroMemory(pDeviceContext.FireflyInfo.Address, FireflyDeviceInformation_SIZE);

        RtlInitUnicodeString(out pDeviceContext.PdoName, PdoNameOf(device));

        return status;
    }

    /// <summary>The PDO's name (the sample queries DevicePropertyPhysicalDeviceObjectName).</summary>
    public static string PdoNameOf(WDFDEVICE Device) => @"\Device\_HID00000001";

    public static NTSTATUS FireflySetFeature(DEVICE_CONTEXT DeviceContext, byte PageId, ushort FeatureId, bool EnableFeature)
    {
        WDF_MEMORY_DESCRIPTOR inputDescriptor, outputDescriptor;
        NTSTATUS status;
        using var collectionInformation = new LOCAL_BUFFER(HID_COLLECTION_INFORMATION_SIZE);
        PVOID preparsedData;
        using var caps = new LOCAL_BUFFER(HIDP_CAPS_SIZE);
        ushort usage;
        uint usageLength;
        PVOID report;
        WDFIOTARGET hidTarget;
        WDF_IO_TARGET_OPEN_PARAMS openParams;

        PAGED_CODE();

        RtlZeroMemory(collectionInformation.Address, HID_COLLECTION_INFORMATION_SIZE);

        preparsedData = NULL;
        report = NULL;
        hidTarget = default;

        status = WdfIoTargetCreate(DeviceContext.Device, WDF_NO_OBJECT_ATTRIBUTES, out hidTarget);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out openParams, DeviceContext.PdoName, FILE_WRITE_ACCESS);

        openParams.ShareAccess = FILE_SHARE_WRITE | FILE_SHARE_READ;

        status = WdfIoTargetOpen(hidTarget, openParams);
        if (!NT_SUCCESS(status))
        {
            goto ExitAndFree;
        }

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outputDescriptor, collectionInformation.Address, HID_COLLECTION_INFORMATION_SIZE);

        status = WdfIoTargetSendIoctlSynchronously(hidTarget, default, IOCTL_HID_GET_COLLECTION_INFORMATION, null,
            outputDescriptor, null, NULL);
        if (!NT_SUCCESS(status))
        {
            goto ExitAndFree;
        }

        uint descriptorSize = collectionInformation.Address.Read<uint>(0);

        preparsedData = ExAllocatePool2(POOL_FLAG_NON_PAGED, descriptorSize, FireflyTag);
        if (preparsedData == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto ExitAndFree;
        }

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outputDescriptor, preparsedData, descriptorSize);

        status = WdfIoTargetSendIoctlSynchronously(hidTarget, default, IOCTL_HID_GET_COLLECTION_DESCRIPTOR, null,
            outputDescriptor, null, NULL);
        if (!NT_SUCCESS(status))
        {
            goto ExitAndFree;
        }

        RtlZeroMemory(caps.Address, HIDP_CAPS_SIZE);
        status = HidP_GetCaps(preparsedData, descriptorSize, caps.Address);
        if (!NT_SUCCESS(status))
        {
            goto ExitAndFree;
        }

        ushort featureReportByteLength = caps.Address.Read<ushort>(HIDP_CAPS_FEATURE_REPORT_BYTE_LENGTH);

        report = ExAllocatePool2(POOL_FLAG_NON_PAGED, featureReportByteLength, FireflyTag);
        if (report == NULL)
        {
            goto ExitAndFree;
        }

        status = STATUS_SUCCESS;
        if (EnableFeature)
        {
            usage = FeatureId;
            usageLength = 1;

            status = HidP_SetUsages(HidP_Feature, PageId, 0, usage, ref usageLength, preparsedData, report, featureReportByteLength);
            if (!NT_SUCCESS(status))
            {
                goto ExitAndFree;
            }
        }

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out inputDescriptor, report, featureReportByteLength);

        status = WdfIoTargetSendIoctlSynchronously(hidTarget, default, IOCTL_HID_SET_FEATURE, inputDescriptor, null, null, NULL);
        if (!NT_SUCCESS(status))
        {
            goto ExitAndFree;
        }

    ExitAndFree:
        if (preparsedData != NULL)
        {
            ExFreePool(preparsedData);
            preparsedData = NULL;
        }

        if (report != NULL)
        {
            ExFreePool(report);
            report = NULL;
        }

        if (hidTarget != default)
        {
            WdfObjectDelete(hidTarget);
        }

        return status;
    }

    public static NTSTATUS EvtWmiInstanceQueryInstance(DEVICE_CONTEXT DeviceContext, uint OutBufferSize, PVOID OutBuffer, out uint BufferUsed)
    {
        UNREFERENCED_PARAMETER(OutBufferSize);

        BufferUsed = FireflyDeviceInformation_SIZE;

        RtlCopyMemory(OutBuffer, DeviceContext.FireflyInfo.Address, FireflyDeviceInformation_SIZE);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS EvtWmiInstanceSetInstance(DEVICE_CONTEXT DeviceContext, uint InBufferSize, PVOID InBuffer)
    {
        uint length;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(InBufferSize);

        length = FireflyDeviceInformation_SIZE;

        RtlMoveMemory(DeviceContext.FireflyInfo.Address, InBuffer, length);

        status = FireflySetFeature(DeviceContext, unchecked((byte)TAILLIGHT_PAGE), TAILLIGHT_FEATURE, DeviceContext.FireflyInfo.Address.Read<byte>(0) != 0);

        return status;
    }

    public static NTSTATUS EvtWmiInstanceSetItem(DEVICE_CONTEXT DeviceContext, uint DataItemId, uint InBufferSize, PVOID InBuffer)
    {
        NTSTATUS status;

        if (DataItemId == FireflyDeviceInformation_TailLit_ID)
        {
            if (InBufferSize < FireflyDeviceInformation_TailLit_SIZE)
            {
                return STATUS_BUFFER_TOO_SMALL;
            }

            DeviceContext.FireflyInfo.Address.Write<byte>(0, (byte)(InBuffer.Read<byte>(0) != 0 ? 1 : 0));

            status = FireflySetFeature(DeviceContext, unchecked((byte)TAILLIGHT_PAGE), TAILLIGHT_FEATURE, DeviceContext.FireflyInfo.Address.Read<byte>(0) != 0);
        }
        else
        {
            status = STATUS_WMI_READ_ONLY_STATUS;
        }

        return status;
    }

    #region hidparse stand-in

    public static NTSTATUS HidP_GetCaps(PVOID PreparsedData, uint PreparsedDataLength, PVOID Capabilities)
    {
        if (PreparsedDataLength < sizeof(ushort))
        {
            return STATUS_INVALID_PARAMETER;
        }

        Capabilities.Write<ushort>(HIDP_CAPS_FEATURE_REPORT_BYTE_LENGTH, PreparsedData.Read<ushort>(0));
        return HIDP_STATUS_SUCCESS;
    }

    public static NTSTATUS HidP_SetUsages(int ReportType, byte UsagePage, ushort LinkCollection, ushort UsageList, ref uint UsageLength,
        PVOID PreparsedData, PVOID Report, uint ReportLength)
    {
        if (ReportLength < 2)
        {
            return HIDP_STATUS_BUFFER_TOO_SMALL;
        }

        if (ReportLength != PreparsedData.Read<ushort>(0))
        {
            return HIDP_STATUS_INVALID_REPORT_LENGTH;
        }

        Report.Write<byte>(1, (byte)(Report.Read<byte>(1) | (1 << (UsageList & 7))));
        return HIDP_STATUS_SUCCESS;
    }

    #endregion
}
