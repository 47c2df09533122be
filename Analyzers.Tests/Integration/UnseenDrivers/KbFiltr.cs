// Port of the shipped keyboard filter driver (microsoft/Windows-driver-samples, input/kbfiltr/sys): kbfiltr.c
// (DriverEntry, KbFilter_EvtDeviceAdd, KbFilter_EvtIoDeviceControlFromRawPdo, KbFilter_EvtIoInternalDeviceControl,
// KbFilterRequestCompletionRoutine) and kbfiltr.h/public.h. Mechanical translation per API.md; where the API differs:
//   * the raw PDO (rawpdo.c: WdfPdoInitAllocate, WdfRequestForwardToParentDeviceIoQueue) cannot be created: the
//     filter device dispatches IRP_MJ_DEVICE_CONTROL to rawPdoQueue itself, which is where the raw PDO's requests end;
//   * CONNECT_DATA and INTERNAL_I8042_HOOK_KEYBOARD carry C object and function pointers: the port moves them as
//     opaque 64-bit values (the filter's own are the *_COOKIE constants); the structures embedded in the device
//     extension whose address is taken (UpperConnectData, KeyboardAttributes) are LOCAL_BUFFER fields;
//   * NT_ASSERT is the runtime's, in a free build (no DBG): it compiles to nothing;
//   * the framework zero-fills a context; its LOCAL_BUFFER fields are zeroed at device add.
// Left out: the raw PDO's creation (rawpdo.c), KbFilter_InitializationRoutine, KbFilter_IsrHook and
// KbFilter_ServiceCallback (they only chain to the routines saved at connect/hook time; i8042prt and kbdclass,
// which call them, are not simulated), DebugPrint tracing.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class KbFiltr
{
    public const uint FILE_DEVICE_KEYBOARD = 0x0000000b;
    public const uint FILE_READ_DATA = 0x0001;
    public const uint IOCTL_INDEX = 0x800;
    public const uint IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES = (FILE_DEVICE_KEYBOARD << 16) | (FILE_READ_DATA << 14) | (IOCTL_INDEX << 2) | METHOD_BUFFERED;

    // kbdmou.h / ntddkbd.h / ntdd8042.h
    public const uint IOCTL_KEYBOARD_QUERY_ATTRIBUTES = (FILE_DEVICE_KEYBOARD << 16) | (0x0000 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_KEYBOARD_SET_TYPEMATIC = (FILE_DEVICE_KEYBOARD << 16) | (0x0001 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_KEYBOARD_SET_INDICATORS = (FILE_DEVICE_KEYBOARD << 16) | (0x0002 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_KEYBOARD_QUERY_TYPEMATIC = (FILE_DEVICE_KEYBOARD << 16) | (0x0008 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_KEYBOARD_QUERY_INDICATORS = (FILE_DEVICE_KEYBOARD << 16) | (0x0010 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION = (FILE_DEVICE_KEYBOARD << 16) | (0x0020 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_INTERNAL_KEYBOARD_CONNECT = (FILE_DEVICE_KEYBOARD << 16) | (0x0080 << 2) | METHOD_NEITHER;
    public const uint IOCTL_INTERNAL_KEYBOARD_DISCONNECT = (FILE_DEVICE_KEYBOARD << 16) | (0x0100 << 2) | METHOD_NEITHER;
    public const uint IOCTL_INTERNAL_I8042_HOOK_KEYBOARD = (FILE_DEVICE_KEYBOARD << 16) | (0x0FF0 << 2) | METHOD_NEITHER;

    // sizeof(CONNECT_DATA), sizeof(INTERNAL_I8042_HOOK_KEYBOARD), sizeof(KEYBOARD_ATTRIBUTES) on x64
    public const int CONNECT_DATA_SIZE = 16;
    public const int INTERNAL_I8042_HOOK_KEYBOARD_SIZE = 48;
    public const int KEYBOARD_ATTRIBUTES_SIZE = 24;

    public const ulong FILTER_CLASS_DEVICE_COOKIE = 0x4b62467444657669; // WdfDeviceWdmGetDeviceObject(hDevice)
    public const ulong FILTER_SERVICE_COOKIE = 0x4b62467453727663;      // KbFilter_ServiceCallback
    public const ulong FILTER_CONTEXT_COOKIE = 0x4b62467443747874;      // devExt
    public const ulong FILTER_INITIALIZATION_COOKIE = 0x4b62467449696e74; // KbFilter_InitializationRoutine
    public const ulong FILTER_ISR_COOKIE = 0x4b62467449737220;          // KbFilter_IsrHook


    public sealed class DEVICE_EXTENSION
    {
        public WDFDEVICE WdfDevice;
        public WDFQUEUE rawPdoQueue;
        public int EnableCount;
        public readonly LOCAL_BUFFER UpperConnectData = new(CONNECT_DATA_SIZE);
        public ulong UpperContext;
        public ulong UpperInitializationRoutine;
        public ulong UpperIsrHook;
        public ulong IsrWritePort;
        public ulong QueueKeyboardPacket;
        public ulong CallContext;
        public readonly LOCAL_BUFFER KeyboardAttributes = new(KEYBOARD_ATTRIBUTES_SIZE);
    }

    public static DEVICE_EXTENSION FilterGetData(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_EXTENSION>(Object);


    private static uint InstanceNo;

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out config, KbFilter_EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        return status;
    }

    public static NTSTATUS KbFilter_EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES deviceAttributes;
        NTSTATUS status;
        WDFDEVICE hDevice;
        WDFQUEUE hQueue;
        DEVICE_EXTENSION filterExt;
        WDF_IO_QUEUE_CONFIG ioQueueConfig;

        UNREFERENCED_PARAMETER(Driver);
        PAGED_CODE();

        WdfFdoInitSetFilter(DeviceInit);

        WdfDeviceInitSetDeviceType(DeviceInit, FILE_DEVICE_KEYBOARD);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_EXTENSION>(out deviceAttributes);

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out hDevice);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        filterExt = FilterGetData(hDevice);
        filterExt.WdfDevice = hDevice;

        // The framework zero-fills a context; its LOCAL_BUFFER fields start uninitialised.
        RtlZeroMemory(filterExt.UpperConnectData.Address, CONNECT_DATA_SIZE);
        RtlZeroMemory(filterExt.KeyboardAttributes.Address, KEYBOARD_ATTRIBUTES_SIZE);

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out ioQueueConfig, WdfIoQueueDispatchParallel);

        ioQueueConfig.EvtIoInternalDeviceControl = KbFilter_EvtIoInternalDeviceControl;

        status = WdfIoQueueCreate(hDevice, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT(out ioQueueConfig, WdfIoQueueDispatchParallel);

        ioQueueConfig.EvtIoDeviceControl = KbFilter_EvtIoDeviceControlFromRawPdo;

        status = WdfIoQueueCreate(hDevice, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out hQueue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        filterExt.rawPdoQueue = hQueue;

        // KbFiltr_CreateRawPdo(hDevice, ++InstanceNo): the raw PDO's IOCTLs end in rawPdoQueue.
        ++InstanceNo;
        status = WdfDeviceConfigureRequestDispatching(hDevice, hQueue, WdfRequestTypeDeviceControl);

        return status;
    }

    public static void KbFilter_EvtIoDeviceControlFromRawPdo(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDFDEVICE hDevice;
        WDFMEMORY outputMemory;
        DEVICE_EXTENSION devExt;
        nuint bytesTransferred = 0;

        UNREFERENCED_PARAMETER(InputBufferLength);

        hDevice = WdfIoQueueGetDevice(Queue);
        devExt = FilterGetData(hDevice);

        switch (IoControlCode)
        {
            case IOCTL_KBFILTR_GET_KEYBOARD_ATTRIBUTES:
                if (OutputBufferLength < KEYBOARD_ATTRIBUTES_SIZE)
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    break;
                }

                status = WdfRequestRetrieveOutputMemory(Request, out outputMemory);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                status = WdfMemoryCopyFromBuffer(outputMemory, 0, devExt.KeyboardAttributes.Address, KEYBOARD_ATTRIBUTES_SIZE);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                bytesTransferred = KEYBOARD_ATTRIBUTES_SIZE;
                break;

            default:
                status = STATUS_NOT_IMPLEMENTED;
                break;
        }

        WdfRequestCompleteWithInformation(Request, status, bytesTransferred);

        return;
    }

    public static void KbFilter_EvtIoInternalDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        DEVICE_EXTENSION devExt;
        PVOID hookKeyboard = NULL;
        PVOID connectData = NULL;
        NTSTATUS status = STATUS_SUCCESS;
        nuint length;
        WDFDEVICE hDevice;
        bool forwardWithCompletionRoutine = FALSE;
        bool ret = TRUE;
        object? completionContext = WDF_NO_CONTEXT;
        WDF_REQUEST_SEND_OPTIONS options;
        WDFMEMORY outputMemory;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);
        PAGED_CODE();

        hDevice = WdfIoQueueGetDevice(Queue);
        devExt = FilterGetData(hDevice);

        switch (IoControlCode)
        {
            case IOCTL_INTERNAL_KEYBOARD_CONNECT:
                // Only allow one connection.
                if (devExt.UpperConnectData.Address.Read<ulong>(8) != 0)
                {
                    status = STATUS_SHARING_VIOLATION;
                    break;
                }

                status = WdfRequestRetrieveInputBuffer(Request, CONNECT_DATA_SIZE, out connectData, out length);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                NT_ASSERT(length == InputBufferLength);

                // devExt->UpperConnectData = *connectData;
                RtlCopyMemory(devExt.UpperConnectData.Address, connectData, CONNECT_DATA_SIZE);

                // Hook into the report chain: everything goes through the filter's service callback.
                connectData.Write<ulong>(0, FILTER_CLASS_DEVICE_COOKIE);
                connectData.Write<ulong>(8, FILTER_SERVICE_COOKIE);
                break;

            case IOCTL_INTERNAL_KEYBOARD_DISCONNECT:
                // Clear the connection parameters in the device extension: not implemented in the sample.
                status = STATUS_NOT_IMPLEMENTED;
                break;

            case IOCTL_INTERNAL_I8042_HOOK_KEYBOARD:
                status = WdfRequestRetrieveInputBuffer(Request, INTERNAL_I8042_HOOK_KEYBOARD_SIZE, out hookKeyboard, out length);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                NT_ASSERT(length == InputBufferLength);

                // Context, InitializationRoutine, IsrRoutine, IsrWritePort, QueueKeyboardPacket, CallContext
                devExt.UpperContext = hookKeyboard.Read<ulong>(0);
                hookKeyboard.Write<ulong>(0, FILTER_CONTEXT_COOKIE);

                if (hookKeyboard.Read<ulong>(8) != 0)
                {
                    devExt.UpperInitializationRoutine = hookKeyboard.Read<ulong>(8);
                }

                hookKeyboard.Write<ulong>(8, FILTER_INITIALIZATION_COOKIE);

                if (hookKeyboard.Read<ulong>(16) != 0)
                {
                    devExt.UpperIsrHook = hookKeyboard.Read<ulong>(16);
                }

                hookKeyboard.Write<ulong>(16, FILTER_ISR_COOKIE);

                devExt.IsrWritePort = hookKeyboard.Read<ulong>(24);
                devExt.QueueKeyboardPacket = hookKeyboard.Read<ulong>(32);
                devExt.CallContext = hookKeyboard.Read<ulong>(40);

                status = STATUS_SUCCESS;
                break;

            case IOCTL_KEYBOARD_QUERY_ATTRIBUTES:
                forwardWithCompletionRoutine = TRUE;
                completionContext = devExt;
                break;

            // Might want to capture these in the future. For now, pass them down.
            case IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION:
            case IOCTL_KEYBOARD_QUERY_INDICATORS:
            case IOCTL_KEYBOARD_SET_INDICATORS:
            case IOCTL_KEYBOARD_QUERY_TYPEMATIC:
            case IOCTL_KEYBOARD_SET_TYPEMATIC:
                break;
        }

        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        // Forward the request down. WdfDeviceGetIoTarget returns the default target, which represents the device
        // attached to us below in the stack.
        if (forwardWithCompletionRoutine)
        {
            // Format the request with the output memory so the completion routine can access the return data in
            // order to cache it into the context area.
            status = WdfRequestRetrieveOutputMemory(Request, out outputMemory);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(Request, status);
                return;
            }

            status = WdfIoTargetFormatRequestForInternalIoctl(WdfDeviceGetIoTarget(hDevice), Request, IoControlCode,
                WDF_NO_HANDLE, null, outputMemory, null);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(Request, status);
                return;
            }

            // Set our completion routine with a context area that we will save the output data into.
            WdfRequestSetCompletionRoutine(Request, KbFilterRequestCompletionRoutine, completionContext);

            ret = WdfRequestSend(Request, WdfDeviceGetIoTarget(hDevice), WDF_NO_SEND_OPTIONS);

            if (ret == FALSE)
            {
                status = WdfRequestGetStatus(Request);
                WdfRequestComplete(Request, status);
            }
        }
        else
        {
            // We are not interested in post processing the IRP so fire and forget.
            WDF_REQUEST_SEND_OPTIONS_INIT(out options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);

            ret = WdfRequestSend(Request, WdfDeviceGetIoTarget(hDevice), options);

            if (ret == FALSE)
            {
                status = WdfRequestGetStatus(Request);
                WdfRequestComplete(Request, status);
            }
        }

        return;
    }

    public static void KbFilterRequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WDFMEMORY buffer = CompletionParams.Parameters.Ioctl.Output.Buffer;
        NTSTATUS status = CompletionParams.IoStatus.Status;

        UNREFERENCED_PARAMETER(Target);

        // Save the keyboard attributes in our context area so that we can return them to the app later.
        if (NT_SUCCESS(status) &&
            CompletionParams.Type == WdfRequestTypeDeviceControlInternal &&
            CompletionParams.Parameters.Ioctl.IoControlCode == IOCTL_KEYBOARD_QUERY_ATTRIBUTES)
        {
            if (CompletionParams.Parameters.Ioctl.Output.Length >= KEYBOARD_ATTRIBUTES_SIZE)
            {
                status = WdfMemoryCopyToBuffer(buffer, CompletionParams.Parameters.Ioctl.Output.Offset,
                    ((DEVICE_EXTENSION)Context!).KeyboardAttributes.Address, KEYBOARD_ATTRIBUTES_SIZE);
            }
        }

        WdfRequestComplete(Request, status);

        return;
    }
}
