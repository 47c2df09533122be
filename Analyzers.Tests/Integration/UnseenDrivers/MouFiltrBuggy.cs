// Port of the shipped mouse filter driver (microsoft/Windows-driver-samples, input/moufiltr): moufiltr.c (DriverEntry,
// MouFilter_EvtDeviceAdd, MouFilter_DispatchPassThrough, MouFilter_EvtIoInternalDeviceControl, MouFilter_IsrHook,
// MouFilter_ServiceCallback) and moufiltr.h. An upper filter of the mouse stack: a parallel default queue takes the
// internal IOCTLs; the connect IOCTL saves the class driver's CONNECT_DATA and substitutes the filter's own service
// callback in the request's input buffer, the i8042 hook IOCTL does the same for the ISR hook; every request that
// succeeds goes down with send-and-forget. Mechanical translation per API.md; where the API differs:
//   * CONNECT_DATA and INTERNAL_I8042_HOOK_MOUSE carry C object and function pointers: the port moves them as opaque
//     64-bit values (the filter's own are the *_COOKIE constants) at their x64 offsets; the CONNECT_DATA embedded in the
//     device extension (devExt->UpperConnectData = *connectData) is a LOCAL_BUFFER field;
//   * calling through the saved pointers (the upper ISR hook, the class service callback) is the region "i8042prt and
//     mouclass stand-in": it records the call, as the drivers that own those routines are not simulated;
//   * the framework zero-fills a context; its LOCAL_BUFFER field is zeroed at device add.
// Left out: WdfDeviceInitSetDeviceType (the device type only shows in the IOCTL codes), DebugPrint tracing.
// Bugs added (each marked on its line), what filter writers get wrong in this code:
//   * DRV022: the connect IOCTL copies CONNECT_DATA out of the input buffer without testing the retrieve's status (a
//     request with a short input buffer gives a null pointer);
//   * DRV024 (three reads): the i8042 hook IOCTL asks for the x86 size of INTERNAL_I8042_HOOK_MOUSE (20 bytes, five
//     pointers of 4) and reads the x64 fields at 16, 24 and 32;
//   * DRV004: the hook IOCTL returns early when the port driver gives no context to chain, leaving the request
//     neither completed nor sent (reported at the callback's name);
//   * DRV002: the disconnect IOCTL completes its request itself and then falls to the common failure completion.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class MouFiltrBuggy
{
    public const uint FILE_DEVICE_MOUSE = 0x0000000f;

    // ntddmou.h / kbdmou.h / ntdd8042.h
    public const uint IOCTL_MOUSE_QUERY_ATTRIBUTES = (FILE_DEVICE_MOUSE << 16) | (0x0000 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_INTERNAL_MOUSE_CONNECT = (FILE_DEVICE_MOUSE << 16) | (0x0080 << 2) | METHOD_NEITHER;
    public const uint IOCTL_INTERNAL_MOUSE_DISCONNECT = (FILE_DEVICE_MOUSE << 16) | (0x0100 << 2) | METHOD_NEITHER;
    public const uint IOCTL_INTERNAL_I8042_HOOK_MOUSE = (FILE_DEVICE_MOUSE << 16) | (0x0FF0 << 2) | METHOD_NEITHER;

    // sizeof(CONNECT_DATA) { PDEVICE_OBJECT ClassDeviceObject; PVOID ClassService; } and
    // sizeof(INTERNAL_I8042_HOOK_MOUSE) { Context, IsrRoutine, IsrWritePort, QueueMousePacket, CallContext } on x64
    public const int CONNECT_DATA_SIZE = 16;
    public const nuint CONNECT_DATA_ClassDeviceObject = 0;
    public const nuint CONNECT_DATA_ClassService = 8;
    public const int INTERNAL_I8042_HOOK_MOUSE_SIZE = 40;
    public const int INTERNAL_I8042_HOOK_MOUSE_SIZE_X86 = 20;
    public const nuint HOOK_MOUSE_Context = 0;
    public const nuint HOOK_MOUSE_IsrRoutine = 8;
    public const nuint HOOK_MOUSE_IsrWritePort = 16;
    public const nuint HOOK_MOUSE_QueueMousePacket = 24;
    public const nuint HOOK_MOUSE_CallContext = 32;

    public const ulong FILTER_CLASS_DEVICE_COOKIE = 0x4d6f7544657669; // WdfDeviceWdmGetDeviceObject(hDevice)
    public const ulong FILTER_SERVICE_COOKIE = 0x4d6f7553727663;      // MouFilter_ServiceCallback
    public const ulong FILTER_CONTEXT_COOKIE = 0x4d6f7543747874;      // devExt
    public const ulong FILTER_ISR_COOKIE = 0x4d6f7549737220;          // MouFilter_IsrHook

    public sealed class DEVICE_EXTENSION
    {
        public readonly LOCAL_BUFFER UpperConnectData = new(CONNECT_DATA_SIZE);
        public ulong UpperContext;
        public ulong UpperIsrHook;
        public ulong IsrWritePort;
        public ulong CallContext;
        public ulong QueueMousePacket;
    }

    public static DEVICE_EXTENSION FilterGetData(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_EXTENSION>(Object);

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out config, MouFilter_EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        return status;
    }

    public static NTSTATUS MouFilter_EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES deviceAttributes;
        NTSTATUS status;
        WDFDEVICE hDevice;
        WDF_IO_QUEUE_CONFIG ioQueueConfig;

        UNREFERENCED_PARAMETER(Driver);
        PAGED_CODE();

        // Tell the framework that you are filter driver.
        WdfFdoInitSetFilter(DeviceInit);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_EXTENSION>(out deviceAttributes);

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out hDevice);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        // The framework zero-fills a context; its LOCAL_BUFFER field starts uninitialised.
        RtlZeroMemory(FilterGetData(hDevice).UpperConnectData.Address, CONNECT_DATA_SIZE);

        // Configure the default queue to be Parallel: a sequential queue can deadlock a PS/2 port driver that sends a
        // request to the top of the stack while it waits for an IOCTL sent earlier.
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out ioQueueConfig, WdfIoQueueDispatchParallel);

        ioQueueConfig.EvtIoInternalDeviceControl = MouFilter_EvtIoInternalDeviceControl;

        status = WdfIoQueueCreate(hDevice, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    public static void MouFilter_DispatchPassThrough(WDFREQUEST Request, WDFIOTARGET Target)
    {
        WDF_REQUEST_SEND_OPTIONS options;
        bool ret;
        NTSTATUS status;

        // We are not interested in post processing the IRP so fire and forget.
        WDF_REQUEST_SEND_OPTIONS_INIT(out options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);

        ret = WdfRequestSend(Request, Target, options);

        if (ret == FALSE)
        {
            status = WdfRequestGetStatus(Request);
            WdfRequestComplete(Request, status);
        }
    }

    public static void MouFilter_EvtIoInternalDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, // BUG DRV004
        nuint InputBufferLength, uint IoControlCode)
    {
        DEVICE_EXTENSION devExt;
        PVOID connectData;
        PVOID hookMouse;
        NTSTATUS status = STATUS_SUCCESS;
        WDFDEVICE hDevice;
        nuint length;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);
        PAGED_CODE();

        hDevice = WdfIoQueueGetDevice(Queue);
        devExt = FilterGetData(hDevice);

        switch (IoControlCode)
        {
            // Connect a mouse class device driver to the port driver.
            case IOCTL_INTERNAL_MOUSE_CONNECT:
                // Only allow one connection.
                if (devExt.UpperConnectData.Address.Read<ulong>(CONNECT_DATA_ClassService) != 0)
                {
                    status = STATUS_SHARING_VIOLATION;
                    break;
                }

                // Copy the connection parameters to the device extension.
                status = WdfRequestRetrieveInputBuffer(Request, CONNECT_DATA_SIZE, out connectData, out length);

                // devExt->UpperConnectData = *connectData;
                RtlCopyMemory(devExt.UpperConnectData.Address, connectData, CONNECT_DATA_SIZE); // BUG DRV022

                // Hook into the report chain. Everytime a mouse packet is reported to the system,
                // MouFilter_ServiceCallback will be called.
                connectData.Write<ulong>(CONNECT_DATA_ClassDeviceObject, FILTER_CLASS_DEVICE_COOKIE);
                connectData.Write<ulong>(CONNECT_DATA_ClassService, FILTER_SERVICE_COOKIE);
                break;

            // Disconnect a mouse class device driver from the port driver.
            case IOCTL_INTERNAL_MOUSE_DISCONNECT:
                // Clear the connection parameters in the device extension: not implemented in the sample.
                status = STATUS_NOT_IMPLEMENTED;
                WdfRequestComplete(Request, status);
                break;

            // Attach this driver to the initialization and byte processing of the i8042 (ie PS/2) mouse.
            case IOCTL_INTERNAL_I8042_HOOK_MOUSE:
                // Get the input buffer from the request (Parameters.DeviceIoControl.Type3InputBuffer).
                status = WdfRequestRetrieveInputBuffer(Request, INTERNAL_I8042_HOOK_MOUSE_SIZE_X86, out hookMouse, out length);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                // Nothing to chain to: the port driver gave no context.
                if (hookMouse.Read<ulong>(HOOK_MOUSE_Context) == 0)
                {
                    return;
                }

                // Set isr routine and context and record any values from above this driver.
                devExt.UpperContext = hookMouse.Read<ulong>(HOOK_MOUSE_Context);
                hookMouse.Write<ulong>(HOOK_MOUSE_Context, FILTER_CONTEXT_COOKIE);

                if (hookMouse.Read<ulong>(HOOK_MOUSE_IsrRoutine) != 0)
                {
                    devExt.UpperIsrHook = hookMouse.Read<ulong>(HOOK_MOUSE_IsrRoutine);
                }

                hookMouse.Write<ulong>(HOOK_MOUSE_IsrRoutine, FILTER_ISR_COOKIE);

                // Store all of the other functions we might need in the future.
                devExt.IsrWritePort = hookMouse.Read<ulong>(HOOK_MOUSE_IsrWritePort); // BUG DRV024
                devExt.CallContext = hookMouse.Read<ulong>(HOOK_MOUSE_CallContext); // BUG DRV024
                devExt.QueueMousePacket = hookMouse.Read<ulong>(HOOK_MOUSE_QueueMousePacket); // BUG DRV024

                status = STATUS_SUCCESS;
                break;

            // Might want to capture this in the future. For now, then pass it down the stack.
            case IOCTL_MOUSE_QUERY_ATTRIBUTES:
            default:
                break;
        }

        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status); // BUG DRV002: the disconnect case completed the request already
            return;
        }

        MouFilter_DispatchPassThrough(Request, WdfDeviceGetIoTarget(hDevice));
    }

    public static bool MouFilter_IsrHook(DEVICE_EXTENSION DeviceExtension, byte StatusByte, ref byte DataByte, ref bool ContinueProcessing)
    {
        bool retVal = TRUE;

        if (DeviceExtension.UpperIsrHook != 0)
        {
            retVal = CallUpperIsrHook(DeviceExtension.UpperIsrHook, DeviceExtension.UpperContext, StatusByte, ref DataByte, ref ContinueProcessing);

            if (!retVal || !ContinueProcessing)
            {
                return retVal;
            }
        }

        ContinueProcessing = TRUE;
        return retVal;
    }

    public static void MouFilter_ServiceCallback(WDFDEVICE hDevice, PVOID InputDataStart, PVOID InputDataEnd, ref uint InputDataConsumed)
    {
        DEVICE_EXTENSION devExt;

        devExt = FilterGetData(hDevice);

        // UpperConnectData must be called at DISPATCH
        CallClassService(devExt.UpperConnectData.Address.Read<ulong>(CONNECT_DATA_ClassService),
            devExt.UpperConnectData.Address.Read<ulong>(CONNECT_DATA_ClassDeviceObject),
            InputDataStart, InputDataEnd, ref InputDataConsumed);
    }

    // ---- i8042prt and mouclass stand-in (the routines behind the saved pointers) ------------------------------------

    /// <summary>The calls made through saved pointers, for the run-time twins to check.</summary>
    public static int UpperCalls;

    public static bool CallUpperIsrHook(ulong IsrHook, ulong Context, byte StatusByte, ref byte DataByte, ref bool ContinueProcessing)
    {
        UNREFERENCED_PARAMETER(IsrHook);
        UNREFERENCED_PARAMETER(Context);
        UNREFERENCED_PARAMETER(StatusByte);
        UNREFERENCED_PARAMETER(DataByte);
        UpperCalls++;
        ContinueProcessing = TRUE;
        return TRUE;
    }

    public static void CallClassService(ulong ClassService, ulong ClassDeviceObject, PVOID InputDataStart, PVOID InputDataEnd, ref uint InputDataConsumed)
    {
        UNREFERENCED_PARAMETER(ClassService);
        UNREFERENCED_PARAMETER(ClassDeviceObject);
        UNREFERENCED_PARAMETER(InputDataEnd);
        UpperCalls++;
        InputDataConsumed = InputDataStart == NULL ? 0u : 1u;
    }
}
