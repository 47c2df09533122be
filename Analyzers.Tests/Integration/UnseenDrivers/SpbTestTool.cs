// Port of the shipped SPB test tool peripheral driver (microsoft/Windows-driver-samples, spb/SpbTestTool/sys):
// driver.cpp (DriverEntry, OnDeviceAdd), device.cpp (OnPrepareHardware, OnD0Entry/OnD0Exit, OnTopLevelIoDefault,
// OnIoRead/OnIoWrite/OnIoDeviceControl) and peripheral.cpp (open/close of the SPB controller target, lock/unlock,
// read, write, write-read and full-duplex sequences, wait-on-interrupt and its cancel routine, and the request
// pair: the driver-created SpbRequest kept in the device context, sent for the client request by
// SpbPeripheralSendRequest and completed together with it by SpbPeripheralCompleteRequestPair).
// Mechanical translation per API.md; where the API differs:
//   * the connection ID comes from a fixed value (the simulated device has no connection resource) and the
//     resource-hub path is built with string formatting (RESOURCE_HUB_CREATE_PATH_FROM_ID);
//   * an SPB_TRANSFER_LIST cannot hold C pointers in a byte buffer: the port's list carries each transfer's
//     direction, delay and length, the to-device bytes inline after the entries, and the from-device buffer is the
//     IOCTL's output memory (the client request's own output memory);
//   * the shipped SpbPeripheralWriteRead/FullDuplex wrap a list on the stack in WdfMemoryCreatePreallocated and
//     send it asynchronously, relying on SpbCx capturing the list in the caller's context during WdfRequestSend;
//     the runtime's controller is a plain target, so this port builds the list in a memory object that owns its
//     buffer (WdfMemoryCreate), deleted with the pair as the shipped code deletes InputMemory. The buggy variant
//     keeps the shipped shape.
//   * the write path is written with a starter helper, SpbPeripheralStartWrite(target, original, side): it does
//     what SpbPeripheralWrite + SpbPeripheralSendRequest do, but hands the client request to the completion routine
//     as its context (the shape of issue 11); its routine reuses the SPB request before it completes the client.
// Left out: WPP tracing, the interrupt object and its ISR (no WdfInterruptCreate; SignalInterrupt therefore
// answers STATUS_NOT_FOUND as the shipped code does without an interrupt), the file-cleanup callback (no file
// objects; IOCTL_SPBTESTTOOL_CLOSE closes the target), the symbolic link and the registry setting.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class SpbTestTool
{
    public const uint SPBT_POOL_TAG = 0x54627053; // 'SpbT'
    public const uint FILE_DEVICE_SPB_PERIPHERAL = 0x400;
    public const uint IOCTL_SPBTESTTOOL_OPEN = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x700 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_CLOSE = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x701 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_LOCK = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x702 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_UNLOCK = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x703 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_WRITEREAD = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x704 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_LOCK_CONNECTION = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x705 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_UNLOCK_CONNECTION = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x706 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_SIGNAL_INTERRUPT = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x707 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_WAIT_ON_INTERRUPT = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x708 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SPBTESTTOOL_FULL_DUPLEX = (FILE_DEVICE_SPB_PERIPHERAL << 16) | (FILE_ANY_ACCESS << 14) | (0x709 << 2) | METHOD_BUFFERED;

    // The SPB controller's IOCTLs (the port's codes).
    public const uint FILE_DEVICE_SPB = 0x68;
    public const uint IOCTL_SPB_LOCK_CONTROLLER = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x100 << 2) | METHOD_NEITHER;
    public const uint IOCTL_SPB_UNLOCK_CONTROLLER = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x101 << 2) | METHOD_NEITHER;
    public const uint IOCTL_SPB_EXECUTE_SEQUENCE = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x102 << 2) | METHOD_NEITHER;
    public const uint IOCTL_SPB_LOCK_CONNECTION = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x104 << 2) | METHOD_NEITHER;
    public const uint IOCTL_SPB_UNLOCK_CONNECTION = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x105 << 2) | METHOD_NEITHER;
    public const uint IOCTL_SPB_FULL_DUPLEX = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x106 << 2) | METHOD_NEITHER;

    // The port's SPB_TRANSFER_LIST_AND_ENTRIES(2): ULONG Size, ULONG TransferCount, then per transfer ULONG Direction,
    // ULONG DelayInUs, ULONG BufferLength; the to-device bytes follow inline.
    public const uint SpbTransferDirectionFromDevice = 1;
    public const uint SpbTransferDirectionToDevice = 2;
    public const uint SPB_TRANSFER_LIST_HEADER_SIZE = 8;
    public const uint SPB_TRANSFER_LIST_ENTRY_SIZE = 12;
    public const uint SPB_SEQUENCE_DATA_OFFSET = SPB_TRANSFER_LIST_HEADER_SIZE + 2 * SPB_TRANSFER_LIST_ENTRY_SIZE;
    public const uint SPB_SEQUENCE_MAX_WRITE = 64;
    public const uint SPB_SEQUENCE_SIZE = SPB_SEQUENCE_DATA_OFFSET + SPB_SEQUENCE_MAX_WRITE;

    public const long SPB_TEST_CONNECTION_ID = 0x0000000100000002;


    public static string RESOURCE_HUB_CREATE_PATH_FROM_ID(long Id) => $@"\Device\RESOURCE_HUB\{Id:X16}";

    public sealed class DEVICE_CONTEXT
    {
        public WDFDEVICE FxDevice;
        public WDFQUEUE SpbQueue;
        public long PeripheralId;
        public bool Interrupt;
        public bool ConnectInterrupt;
        public WDFIOTARGET SpbController;
        public WDFREQUEST SpbRequest;
        public WDFMEMORY InputMemory;
        public WDFREQUEST ClientRequest;
        public WDFREQUEST WaitOnInterruptRequest;
    }

    public sealed class REQUEST_CONTEXT
    {
        public WDFDEVICE FxDevice;
        public bool IsSpbSequenceRequest;
        public nuint SequenceWriteLength;
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(Object);

    public static REQUEST_CONTEXT GetRequestContext(WDFOBJECT Object) => WdfObjectGetTypedContext<REQUEST_CONTEXT>(Object);

    // ---- driver.cpp ------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG driverConfig;
        WDFDRIVER fxDriver;
        NTSTATUS status;

        WDF_DRIVER_CONFIG_INIT(out driverConfig, OnDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, driverConfig, out fxDriver);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

    exit:
        return status;
    }

    public static NTSTATUS OnDeviceAdd(WDFDRIVER FxDriver, WDFDEVICE_INIT FxDeviceInit)
    {
        DEVICE_CONTEXT pDevice;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(FxDriver);

        {
            WDF_PNPPOWER_EVENT_CALLBACKS pnpCallbacks;
            WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpCallbacks);

            pnpCallbacks.EvtDevicePrepareHardware = OnPrepareHardware;
            pnpCallbacks.EvtDeviceReleaseHardware = OnReleaseHardware;
            pnpCallbacks.EvtDeviceD0Entry = OnD0Entry;
            pnpCallbacks.EvtDeviceD0Exit = OnD0Exit;

            WdfDeviceInitSetPnpPowerEventCallbacks(FxDeviceInit, pnpCallbacks);
        }

        {
            WDF_OBJECT_ATTRIBUTES attributes;
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<REQUEST_CONTEXT>(out attributes);
            WdfDeviceInitSetRequestAttributes(FxDeviceInit, attributes);
        }

        {
            WDFDEVICE fxDevice;
            WDF_OBJECT_ATTRIBUTES deviceAttributes;
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out deviceAttributes);

            status = WdfDeviceCreate(ref FxDeviceInit, deviceAttributes, out fxDevice);
            if (!NT_SUCCESS(status))
            {
                goto exit;
            }

            pDevice = GetDeviceContext(fxDevice);
            pDevice.FxDevice = fxDevice;
        }

        {
            WDF_IO_QUEUE_CONFIG queueConfig;
            WDFQUEUE queue;

            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out queueConfig, WdfIoQueueDispatchParallel);
            queueConfig.EvtIoDefault = OnTopLevelIoDefault;
            queueConfig.PowerManaged = WdfFalse;

            status = WdfIoQueueCreate(pDevice.FxDevice, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
            if (!NT_SUCCESS(status))
            {
                goto exit;
            }

            WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchSequential);
            queueConfig.EvtIoRead = OnIoRead;
            queueConfig.EvtIoWrite = OnIoWrite;
            queueConfig.EvtIoDeviceControl = OnIoDeviceControl;
            queueConfig.PowerManaged = WdfFalse;

            status = WdfIoQueueCreate(pDevice.FxDevice, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out pDevice.SpbQueue);
            if (!NT_SUCCESS(status))
            {
                goto exit;
            }
        }

        pDevice.ConnectInterrupt = false;

    exit:
        return status;
    }

    // ---- device.cpp ------------------------------------------------------------------------------------------

    public static NTSTATUS OnPrepareHardware(WDFDEVICE FxDevice, WDFCMRESLIST FxResourcesRaw, WDFCMRESLIST FxResourcesTranslated)
    {
        DEVICE_CONTEXT pDevice = GetDeviceContext(FxDevice);
        bool fSpbResourceFound = FALSE;
        NTSTATUS status = STATUS_SUCCESS;

        UNREFERENCED_PARAMETER(FxResourcesRaw);
        UNREFERENCED_PARAMETER(FxResourcesTranslated);

        // The CmResourceTypeConnection descriptor of the I2C/SPI connection.
        pDevice.PeripheralId = SPB_TEST_CONNECTION_ID;
        fSpbResourceFound = TRUE;

        if (fSpbResourceFound == FALSE)
        {
            status = STATUS_NOT_FOUND;
        }

        return status;
    }

    public static NTSTATUS OnReleaseHardware(WDFDEVICE FxDevice, WDFCMRESLIST FxResourcesTranslated)
    {
        UNREFERENCED_PARAMETER(FxDevice);
        UNREFERENCED_PARAMETER(FxResourcesTranslated);
        return STATUS_SUCCESS;
    }

    public static NTSTATUS OnD0Entry(WDFDEVICE FxDevice, WDF_POWER_DEVICE_STATE FxPreviousState)
    {
        DEVICE_CONTEXT pDevice = GetDeviceContext(FxDevice);
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES targetAttributes;

        UNREFERENCED_PARAMETER(FxPreviousState);

        WDF_OBJECT_ATTRIBUTES_INIT(out targetAttributes);

        status = WdfIoTargetCreate(pDevice.FxDevice, targetAttributes, out pDevice.SpbController);

        pDevice.InputMemory = WDF_NO_HANDLE;

        if (NT_SUCCESS(status))
        {
            WDF_OBJECT_ATTRIBUTES requestAttributes;
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<REQUEST_CONTEXT>(out requestAttributes);

            status = WdfRequestCreate(requestAttributes, WDF_NO_HANDLE, out pDevice.SpbRequest);

            if (NT_SUCCESS(status))
            {
                REQUEST_CONTEXT pRequest = GetRequestContext(pDevice.SpbRequest);

                pRequest.FxDevice = pDevice.FxDevice;
                pRequest.IsSpbSequenceRequest = FALSE;
                pRequest.SequenceWriteLength = 0;
            }
        }

        return status;
    }

    public static NTSTATUS OnD0Exit(WDFDEVICE FxDevice, WDF_POWER_DEVICE_STATE FxPreviousState)
    {
        DEVICE_CONTEXT pDevice = GetDeviceContext(FxDevice);

        UNREFERENCED_PARAMETER(FxPreviousState);

        if (pDevice.SpbController != WDF_NO_HANDLE)
        {
            WdfObjectDelete(pDevice.SpbController);
            pDevice.SpbController = WDF_NO_HANDLE;
        }

        if (pDevice.SpbRequest != WDF_NO_HANDLE)
        {
            WdfObjectDelete(pDevice.SpbRequest);
            pDevice.SpbRequest = WDF_NO_HANDLE;
        }

        if (pDevice.InputMemory != WDF_NO_HANDLE)
        {
            WdfObjectDelete(pDevice.InputMemory);
            pDevice.InputMemory = WDF_NO_HANDLE;
        }

        return STATUS_SUCCESS;
    }

    public static void OnTopLevelIoDefault(WDFQUEUE FxQueue, WDFREQUEST FxRequest)
    {
        WDFDEVICE device;
        DEVICE_CONTEXT pDevice;
        WDF_REQUEST_PARAMETERS @params;
        NTSTATUS status;

        device = WdfIoQueueGetDevice(FxQueue);
        pDevice = GetDeviceContext(device);

        WDF_REQUEST_PARAMETERS_INIT(out @params);
        WdfRequestGetParameters(FxRequest, @params);

        if (@params.Type == WdfRequestTypeDeviceControl &&
            @params.Parameters.DeviceIoControl.IoControlCode == IOCTL_SPBTESTTOOL_WAIT_ON_INTERRUPT)
        {
            SpbPeripheralWaitOnInterrupt(pDevice, FxRequest);
        }
        else
        {
            status = WdfRequestForwardToIoQueue(FxRequest, pDevice.SpbQueue);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(FxRequest, status);
            }
        }
    }

    public static void OnIoRead(WDFQUEUE FxQueue, WDFREQUEST FxRequest, nuint Length)
    {
        WDFDEVICE device;
        DEVICE_CONTEXT pDevice;

        UNREFERENCED_PARAMETER(Length);

        device = WdfIoQueueGetDevice(FxQueue);
        pDevice = GetDeviceContext(device);

        SpbPeripheralRead(pDevice, FxRequest);
    }

    public static void OnIoWrite(WDFQUEUE FxQueue, WDFREQUEST FxRequest, nuint Length)
    {
        WDFDEVICE device;
        DEVICE_CONTEXT pDevice;

        UNREFERENCED_PARAMETER(Length);

        device = WdfIoQueueGetDevice(FxQueue);
        pDevice = GetDeviceContext(device);

        SpbPeripheralWrite(pDevice, FxRequest);
    }

    public static void OnIoDeviceControl(WDFQUEUE FxQueue, WDFREQUEST FxRequest, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        WDFDEVICE device;
        DEVICE_CONTEXT pDevice;
        bool fSync = FALSE;
        NTSTATUS status = STATUS_SUCCESS;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);

        device = WdfIoQueueGetDevice(FxQueue);
        pDevice = GetDeviceContext(device);

        switch (IoControlCode)
        {
            case IOCTL_SPBTESTTOOL_OPEN:
                fSync = TRUE;
                status = SpbPeripheralOpen(pDevice);
                break;

            case IOCTL_SPBTESTTOOL_CLOSE:
                fSync = TRUE;
                status = SpbPeripheralClose(pDevice);
                break;

            case IOCTL_SPBTESTTOOL_LOCK:
                SpbPeripheralLock(pDevice, FxRequest);
                break;

            case IOCTL_SPBTESTTOOL_UNLOCK:
                SpbPeripheralUnlock(pDevice, FxRequest);
                break;

            case IOCTL_SPBTESTTOOL_LOCK_CONNECTION:
                SpbPeripheralLockConnection(pDevice, FxRequest);
                break;

            case IOCTL_SPBTESTTOOL_UNLOCK_CONNECTION:
                SpbPeripheralUnlockConnection(pDevice, FxRequest);
                break;

            case IOCTL_SPBTESTTOOL_WRITEREAD:
                SpbPeripheralWriteRead(pDevice, FxRequest);
                break;

            case IOCTL_SPBTESTTOOL_FULL_DUPLEX:
                SpbPeripheralFullDuplex(pDevice, FxRequest);
                break;

            case IOCTL_SPBTESTTOOL_SIGNAL_INTERRUPT:
                SpbPeripheralSignalInterrupt(pDevice, FxRequest);
                break;

            default:
                fSync = TRUE;
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        if (fSync)
        {
            WdfRequestComplete(FxRequest, status); // "Completing request %p with %!STATUS!"
        }
    }

    // ---- peripheral.cpp --------------------------------------------------------------------------------------

    public static NTSTATUS SpbPeripheralOpen(DEVICE_CONTEXT pDevice)
    {
        WDF_IO_TARGET_OPEN_PARAMS openParams;
        NTSTATUS status;
        UNICODE_STRING DevicePath;

        RtlInitUnicodeString(out DevicePath, RESOURCE_HUB_CREATE_PATH_FROM_ID(pDevice.PeripheralId));

        WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out openParams, DevicePath, GENERIC_READ | GENERIC_WRITE);
        openParams.ShareAccess = 0;

        status = WdfIoTargetOpen(pDevice.SpbController, openParams);
        return status;
    }

    public static NTSTATUS SpbPeripheralClose(DEVICE_CONTEXT pDevice)
    {
        WdfIoTargetClose(pDevice.SpbController);
        return STATUS_SUCCESS;
    }

    public static void SpbPeripheralLock(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        SpbPeripheralSendControl(pDevice, FxRequest, IOCTL_SPB_LOCK_CONTROLLER);
    }

    public static void SpbPeripheralUnlock(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        SpbPeripheralSendControl(pDevice, FxRequest, IOCTL_SPB_UNLOCK_CONTROLLER);
    }

    public static void SpbPeripheralLockConnection(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        SpbPeripheralSendControl(pDevice, FxRequest, IOCTL_SPB_LOCK_CONNECTION);
    }

    public static void SpbPeripheralUnlockConnection(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        SpbPeripheralSendControl(pDevice, FxRequest, IOCTL_SPB_UNLOCK_CONNECTION);
    }

    // The four shipped lock/unlock functions are this body with their IOCTL; one copy here.
    private static void SpbPeripheralSendControl(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest, uint IoControlCode)
    {
        NTSTATUS status;

        pDevice.ClientRequest = FxRequest;

        status = WdfIoTargetFormatRequestForIoctl(pDevice.SpbController, pDevice.SpbRequest, IoControlCode,
            WDF_NO_HANDLE, null, WDF_NO_HANDLE, null);

        if (NT_SUCCESS(status))
        {
            status = SpbPeripheralSendRequest(pDevice, pDevice.SpbRequest, FxRequest);
        }

        if (!NT_SUCCESS(status))
        {
            SpbPeripheralCompleteRequestPair(pDevice, status, 0);
        }
    }

    public static void SpbPeripheralRead(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        WDFMEMORY memory = WDF_NO_HANDLE;
        NTSTATUS status;

        pDevice.ClientRequest = FxRequest;

        status = WdfRequestRetrieveOutputMemory(FxRequest, out memory);

        if (NT_SUCCESS(status))
        {
            status = WdfIoTargetFormatRequestForRead(pDevice.SpbController, pDevice.SpbRequest, memory, null, null);

            if (NT_SUCCESS(status))
            {
                status = SpbPeripheralSendRequest(pDevice, pDevice.SpbRequest, FxRequest);
            }
        }

        if (!NT_SUCCESS(status))
        {
            SpbPeripheralCompleteRequestPair(pDevice, status, 0);
        }
    }

    public static void SpbPeripheralWrite(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        NTSTATUS status;

        pDevice.ClientRequest = FxRequest;
        GetRequestContext(FxRequest).FxDevice = pDevice.FxDevice;

        status = SpbPeripheralStartWrite(pDevice.SpbController, FxRequest, pDevice.SpbRequest);
        if (!NT_SUCCESS(status))
        {
            SpbPeripheralCompleteRequestPair(pDevice, status, 0);
        }
    }

    // Formats Side with Original's input memory, sends it, and lets the completion routine complete Original.
    private static NTSTATUS SpbPeripheralStartWrite(WDFIOTARGET Target, WDFREQUEST Original, WDFREQUEST Side)
    {
        WDFMEMORY memory;
        NTSTATUS status;

        status = WdfRequestRetrieveInputMemory(Original, out memory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfIoTargetFormatRequestForWrite(Target, Side, memory, null, null);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfRequestMarkCancelableEx(Original, SpbPeripheralOnCancel);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfRequestSetCompletionRoutine(Side, SpbPeripheralOnWriteCompletion, Original);

        if (!WdfRequestSend(Side, Target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(Side);
            WdfRequestUnmarkCancelable(Original);
        }

        return status;
    }

    public static void SpbPeripheralOnWriteCompletion(WDFREQUEST Side, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WDFREQUEST original = (WDFREQUEST)Context!;
        DEVICE_CONTEXT pDevice = GetDeviceContext(GetRequestContext(Side).FxDevice);
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        UNREFERENCED_PARAMETER(Target);

        WdfRequestUnmarkCancelable(original);

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        WdfRequestReuse(Side, reuseParams);

        pDevice.ClientRequest = WDF_NO_HANDLE;
        WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information);
    }

    public static void SpbPeripheralWriteRead(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        SpbPeripheralSendSequence(pDevice, FxRequest, IOCTL_SPB_EXECUTE_SEQUENCE);
    }

    public static void SpbPeripheralFullDuplex(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        SpbPeripheralSendSequence(pDevice, FxRequest, IOCTL_SPB_FULL_DUPLEX);
    }

    // SpbPeripheralWriteRead and SpbPeripheralFullDuplex are this body with their IOCTL; one copy here.
    private static void SpbPeripheralSendSequence(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest, uint IoControlCode)
    {
        PVOID pInputBuffer = NULL;
        WDFMEMORY outputMemory = WDF_NO_HANDLE;
        nuint inputBufferLength = 0;
        nuint outputBufferLength = 0;
        WDF_OBJECT_ATTRIBUTES attributes;
        REQUEST_CONTEXT pRequest;
        PVOID seq;
        NTSTATUS status;

        pRequest = GetRequestContext(pDevice.SpbRequest);

        pDevice.ClientRequest = FxRequest;

        status = WdfRequestRetrieveInputBuffer(FxRequest, 0, out pInputBuffer, out inputBufferLength);
        if (!NT_SUCCESS(status))
        {
            goto Done;
        }

        status = WdfRequestRetrieveOutputMemory(FxRequest, out outputMemory);
        if (!NT_SUCCESS(status))
        {
            goto Done;
        }

        WdfMemoryGetBuffer(outputMemory, out outputBufferLength);

        if (inputBufferLength > SPB_SEQUENCE_MAX_WRITE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Done;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, SPBT_POOL_TAG, SPB_SEQUENCE_SIZE, out pDevice.InputMemory, out seq);
        if (!NT_SUCCESS(status))
        {
            goto Done;
        }

        seq.Write<uint>(0, SPB_SEQUENCE_DATA_OFFSET);
        seq.Write<uint>(4, 2);
        seq.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE, SpbTransferDirectionToDevice);
        seq.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + 4, 0);
        seq.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + 8, (uint)inputBufferLength);
        seq.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + SPB_TRANSFER_LIST_ENTRY_SIZE, SpbTransferDirectionFromDevice);
        seq.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + SPB_TRANSFER_LIST_ENTRY_SIZE + 4, 0);
        seq.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + SPB_TRANSFER_LIST_ENTRY_SIZE + 8, (uint)outputBufferLength);
        RtlCopyMemory(seq + SPB_SEQUENCE_DATA_OFFSET, pInputBuffer, inputBufferLength);

        pRequest.IsSpbSequenceRequest = TRUE;
        pRequest.SequenceWriteLength = inputBufferLength;

        status = WdfIoTargetFormatRequestForIoctl(pDevice.SpbController, pDevice.SpbRequest, IoControlCode,
            pDevice.InputMemory, null, outputMemory, null);
        if (!NT_SUCCESS(status))
        {
            goto Done;
        }

        status = SpbPeripheralSendRequest(pDevice, pDevice.SpbRequest, FxRequest);
        if (!NT_SUCCESS(status))
        {
            goto Done;
        }

    Done:
        if (!NT_SUCCESS(status))
        {
            SpbPeripheralCompleteRequestPair(pDevice, status, 0);
        }
    }

    public static void SpbPeripheralSignalInterrupt(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        NTSTATUS status = STATUS_SUCCESS;

        if (pDevice.Interrupt)
        {
            // KeSetEvent(&pDevice->IsrWaitEvent, ...)
        }
        else
        {
            status = STATUS_NOT_FOUND;
        }

        WdfRequestComplete(FxRequest, status);
    }

    public static void SpbPeripheralWaitOnInterrupt(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
    {
        REQUEST_CONTEXT pRequest = GetRequestContext(FxRequest);
        NTSTATUS status = STATUS_SUCCESS;

        if (pDevice.WaitOnInterruptRequest == WDF_NO_HANDLE)
        {
            pRequest.FxDevice = pDevice.FxDevice;

            status = WdfRequestMarkCancelableEx(FxRequest, SpbPeripheralOnWaitOnInterruptCancel);

            if (NT_SUCCESS(status))
            {
                pDevice.WaitOnInterruptRequest = FxRequest;
            }
        }
        else
        {
            status = STATUS_INVALID_DEVICE_STATE;
        }

        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(FxRequest, status);
        }
    }

    public static void SpbPeripheralOnWaitOnInterruptCancel(WDFREQUEST FxRequest)
    {
        REQUEST_CONTEXT pRequest;
        DEVICE_CONTEXT pDevice;

        pRequest = GetRequestContext(FxRequest);
        pDevice = GetDeviceContext(pRequest.FxDevice);

        if (FxRequest == pDevice.WaitOnInterruptRequest)
        {
            pDevice.WaitOnInterruptRequest = WDF_NO_HANDLE;
            WdfRequestComplete(FxRequest, STATUS_CANCELLED);
        }
        else
        {
            WdfRequestComplete(FxRequest, STATUS_CANCELLED);
        }
    }

    public static bool SpbPeripheralInterruptNotify(DEVICE_CONTEXT pDevice)
    {
        WDFREQUEST request;
        bool fNotificationSent = FALSE;
        NTSTATUS status;

        if (pDevice.WaitOnInterruptRequest != WDF_NO_HANDLE)
        {
            request = pDevice.WaitOnInterruptRequest;
            pDevice.WaitOnInterruptRequest = WDF_NO_HANDLE;

            status = WdfRequestUnmarkCancelable(request);

            if (NT_SUCCESS(status))
            {
                WdfRequestComplete(request, STATUS_SUCCESS);
                fNotificationSent = TRUE;
            }
        }

        return fNotificationSent;
    }

    public static NTSTATUS SpbPeripheralSendRequest(DEVICE_CONTEXT pDevice, WDFREQUEST SpbRequest, WDFREQUEST ClientRequest)
    {
        REQUEST_CONTEXT pRequest = GetRequestContext(ClientRequest);
        NTSTATUS status = STATUS_SUCCESS;

        pRequest.FxDevice = pDevice.FxDevice;
        pRequest.IsSpbSequenceRequest = FALSE;
        pRequest.SequenceWriteLength = 0;

        if (NT_SUCCESS(status))
        {
            status = WdfRequestMarkCancelableEx(ClientRequest, SpbPeripheralOnCancel);
        }

        if (NT_SUCCESS(status))
        {
            WdfRequestSetCompletionRoutine(SpbRequest, SpbPeripheralOnCompletion, GetRequestContext(SpbRequest));

            bool fSent = WdfRequestSend(SpbRequest, pDevice.SpbController, WDF_NO_SEND_OPTIONS);

            if (!fSent)
            {
                status = WdfRequestGetStatus(SpbRequest);

                NTSTATUS cancelStatus;
                cancelStatus = WdfRequestUnmarkCancelable(ClientRequest);
                UNREFERENCED_PARAMETER(cancelStatus);
            }
        }

        return status;
    }

    public static void SpbPeripheralOnCompletion(WDFREQUEST FxRequest, WDFIOTARGET FxTarget,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        REQUEST_CONTEXT pRequest;
        DEVICE_CONTEXT pDevice;
        NTSTATUS status;
        NTSTATUS cancelStatus;
        nuint bytesCompleted;

        UNREFERENCED_PARAMETER(FxTarget);
        UNREFERENCED_PARAMETER(Context);

        pRequest = GetRequestContext(FxRequest);
        pDevice = GetDeviceContext(pRequest.FxDevice);

        status = Params.IoStatus.Status;

        // The cancel routine only cancels the SPB request; the client request is completed here either way.
        cancelStatus = WdfRequestUnmarkCancelable(pDevice.ClientRequest);
        UNREFERENCED_PARAMETER(cancelStatus);

        if (pRequest.IsSpbSequenceRequest == TRUE)
        {
            bytesCompleted = Params.IoStatus.Information < pRequest.SequenceWriteLength
                ? 0
                : Params.IoStatus.Information - pRequest.SequenceWriteLength;
        }
        else
        {
            bytesCompleted = Params.IoStatus.Information;
        }

        SpbPeripheralCompleteRequestPair(pDevice, status, bytesCompleted);
    }

    public static void SpbPeripheralOnCancel(WDFREQUEST FxRequest)
    {
        REQUEST_CONTEXT pRequest;
        DEVICE_CONTEXT pDevice;

        pRequest = GetRequestContext(FxRequest);
        pDevice = GetDeviceContext(pRequest.FxDevice);

        WdfRequestCancelSentRequest(pDevice.SpbRequest);
    }

    public static void SpbPeripheralCompleteRequestPair(DEVICE_CONTEXT pDevice, NTSTATUS status, nuint bytesCompleted)
    {
        REQUEST_CONTEXT pRequest;

        pRequest = GetRequestContext(pDevice.SpbRequest);

        pRequest.IsSpbSequenceRequest = FALSE;
        pRequest.SequenceWriteLength = 0;

        WDF_REQUEST_REUSE_PARAMS @params;
        WDF_REQUEST_REUSE_PARAMS_INIT(out @params, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);

        WdfRequestReuse(pDevice.SpbRequest, @params);

        if (pDevice.InputMemory != WDF_NO_HANDLE)
        {
            WdfObjectDelete(pDevice.InputMemory);
            pDevice.InputMemory = WDF_NO_HANDLE;
        }

        if (pDevice.ClientRequest != WDF_NO_HANDLE)
        {
            WDFREQUEST clientRequest = pDevice.ClientRequest;
            pDevice.ClientRequest = WDF_NO_HANDLE;

            WdfRequestCompleteWithInformation(clientRequest, status, bytesCompleted);
        }
    }
}
