// Port of the shipped USB Type-C port controller client (microsoft/Windows-driver-samples, usb/UcmTcpciCxClientSample):
// I2C.cpp (I2COpen, I2CClose, I2CWriteAsynchronously, I2CReadAsynchronously, I2CReadSynchronously[Multiple],
// I2CWriteSynchronously, I2COnReadCompletion, I2COnWriteCompletion), Queue.cpp (EvtIoDeviceControl), the request
// handlers of PortControllerInterface.cpp (PostponeToWorkitem, EvtWorkItemGetStatus, EvtSetControl, EvtSetCommand),
// Device.cpp's EvtPrepareHardware / EvtReleaseHardware and Device.h/I2C.h. UcmTcpciCx forwards its hardware requests
// to the driver's sequential queue; the driver keeps the request in the device context (IncomingRequest) and reads or
// writes the port controller's registers over I2C: synchronously with one driver-created request per caller
// (OutgoingRequests[source], reused before each send) from a passive work item, or asynchronously with the driver-created
// I2CAsyncRequest, formatted with I2CMemory (WdfMemoryCreatePreallocated once, WdfMemoryAssignBuffer to the context's
// I2CAsyncBuffer before each write), whose completion routine completes IncomingRequest.
// Mechanical translation per API.md; where the API differs:
//   * the UcmTcpciCx class extension (UcmTcpciDeviceInitInitialize, UcmTcpciPortControllerCreate,
//     UcmTcpciPortControllerSetHardwareRequestQueue) is not in the API: the hardware request queue is the device's
//     queue for device-control requests, and the I2C connection ID is fixed (no connection resource);
//   * the resource-hub path is built with string formatting (RESOURCE_HUB_CREATE_PATH_FROM_ID), DECLARE_UNICODE_STRING_SIZE
//     is RtlInitUnicodeString;
//   * the `I2CAsyncRequest` macro (OutgoingRequests[I2CRequestSourceAsync]) is a property of the context;
//   * an SPB_TRANSFER_LIST cannot hold C pointers in a byte buffer (the SpbTestTool port's layout): ULONG Size, ULONG
//     TransferCount, per transfer ULONG Direction, Delay, Length; the to-device bytes (the register address) inline after
//     the entries, the from-device buffer is the IOCTL's output memory or descriptor;
//   * the shipped I2CReadAsynchronously (unused by the sample, "left here for future reference") assigns a transfer list
//     on its stack to I2CMemory and sends it asynchronously, relying on SpbCx capturing the list in the caller's context;
//     the runtime's controller is a plain target, so this port keeps the list in the device context (I2CTransferList)
//     beside I2CAsyncBuffer; the buggy variant keeps the shipped shape;
//   * the 4-byte `status` local that I2COpen wraps in I2CMemory as its first buffer ("initial value does not matter") is a
//     4-byte LOCAL_BUFFER of I2COpen;
//   * REGISTER_ITEM { UINT8 RegisterAddress; PVOID Data; ULONG Length; } is a struct; the UcmTcpciCx parameter structures
//     are read at their x64 offsets (SET_CONTROL/SET_COMMAND_IN_PARAMS: the port controller handle, then the 4-byte
//     ControlType/Command at 8 and the 1-byte control register at 12, 16 bytes both; GET_STATUS_OUT_PARAMS: three
//     1-byte registers). The shipped EvtSetControl retrieves sizeof(SET_COMMAND_IN_PARAMS) for a SET_CONTROL request:
//     both are 16 bytes on x64, so the read of the register at 12 is in bounds.
// Left out: the alert interrupt and its handlers (Alert.cpp, WdfInterruptCreate), I2CPerformDeviceReset
// (DEVICE_RESET_INTERFACE_STANDARD and WdfDeviceSetFailed are not in the API: its call sites are comments), the other
// SET_* handlers (the same shape as EvtSetCommand), EvtWorkItemGetControl (the same shape as EvtWorkItemGetStatus),
// EvtIoStop (it only acknowledges), WPP tracing.
// Not a rule of this package but a real defect of the shipped EvtSetControl/EvtSetCommand: when the retrieve or
// I2CWriteAsynchronously fails they `goto Exit` without completing the request (kept in IncomingRequest, so DRV004,
// which counts a request stored in a field as handed off, is not expected).
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class UcmTcpciI2C
{
    public const uint FILE_DEVICE_SPB = 0x68;
    public const uint IOCTL_SPB_EXECUTE_SEQUENCE = (FILE_DEVICE_SPB << 16) | (FILE_ANY_ACCESS << 14) | (0x102 << 2) | METHOD_NEITHER;
    public const uint SpbTransferDirectionFromDevice = 1;
    public const uint SpbTransferDirectionToDevice = 2;
    public const uint SPB_TRANSFER_LIST_HEADER_SIZE = 8;
    public const uint SPB_TRANSFER_LIST_ENTRY_SIZE = 12;

    // I2C.h
    public const uint I2C_TRANSFER_COUNT = 2;
    public const uint REGISTER_ADDR_SIZE = 1;
    public const ulong I2C_SYNCHRONOUS_TIMEOUT = 300;
    public const uint I2C_BUFFER_SIZE = 50;
    // SPB_TRANSFER_LIST_AND_ENTRIES(I2C_TRANSFER_COUNT) with the register address inline
    public const uint I2C_TRANSFER_LIST_SIZE = SPB_TRANSFER_LIST_HEADER_SIZE + I2C_TRANSFER_COUNT * SPB_TRANSFER_LIST_ENTRY_SIZE + REGISTER_ADDR_SIZE;

    // Device.h: I2C_REQUEST_SOURCE
    public const int I2CRequestSourceAsync = 0;
    public const int I2CRequestSourceClient = 1;
    public const int I2CRequestSourceAlertIsr = 2;
    public const int I2CRequestSourceMax = 3;

    // Register.h
    public const byte TCPC_CONTROL = 0x19;
    public const byte ROLE_CONTROL = 0x1A;
    public const byte FAULT_CONTROL = 0x1B;
    public const byte POWER_CONTROL = 0x1C;
    public const byte CC_STATUS = 0x1D;
    public const byte POWER_STATUS = 0x1E;
    public const byte FAULT_STATUS = 0x1F;
    public const byte COMMAND = 0x23;

    // UcmTcpciCx's IOCTLs (the port's codes) and parameter structures (x64)
    public const uint FILE_DEVICE_UCMTCPCI = 0x8000;
    public const uint IOCTL_UCMTCPCI_PORT_CONTROLLER_GET_STATUS = (FILE_DEVICE_UCMTCPCI << 16) | (0x800 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_CONTROL = (FILE_DEVICE_UCMTCPCI << 16) | (0x803 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_COMMAND = (FILE_DEVICE_UCMTCPCI << 16) | (0x808 << 2) | METHOD_BUFFERED;
    public const uint SET_COMMAND_IN_PARAMS_SIZE = 16;
    public const uint SET_CONTROL_IN_PARAMS_SIZE = 16;
    public const nuint IN_PARAMS_ControlType = 8;
    public const nuint IN_PARAMS_Command = 8;
    public const nuint SET_CONTROL_IN_PARAMS_Register = 12;
    public const uint GET_STATUS_OUT_PARAMS_SIZE = 3;
    public const int UcmTcpciPortControllerTcpcControl = 0;
    public const int UcmTcpciPortControllerRoleControl = 1;
    public const int UcmTcpciPortControllerFaultControl = 2;
    public const int UcmTcpciPortControllerPowerControl = 3;

    public const long I2C_CONNECTION_ID = 0x0000000100000003;

    public static string RESOURCE_HUB_CREATE_PATH_FROM_ID(long Id) => $@"\Device\RESOURCE_HUB\{Id:X16}";

    public sealed class DEVICE_CONTEXT
    {
        public WDFDEVICE Device;
        // Request that we received from I/O queue.
        public WDFREQUEST IncomingRequest;
        // Requests that we created and sent out.
        public readonly WDFREQUEST[] OutgoingRequests = new WDFREQUEST[I2CRequestSourceMax];
        public WDFIOTARGET I2CIoTarget;
        public byte I2CRegisterAddress;
        public long I2CConnectionId;
        public WDFMEMORY I2CMemory;
        public readonly LOCAL_BUFFER I2CAsyncBuffer = new((int)I2C_BUFFER_SIZE);
        public readonly LOCAL_BUFFER I2CTransferList = new((int)I2C_TRANSFER_LIST_SIZE);
        public WDFWORKITEM I2CWorkItemGetStatus;
        public WDFWORKITEM I2CWorkItemGetControl;

        // An alias since we use this async request frequently.
        public WDFREQUEST I2CAsyncRequest => OutgoingRequests[I2CRequestSourceAsync];
    }

    public sealed class WORKITEM_CONTEXT
    {
        public WDFDEVICE Device;
        public WDFREQUEST Request;
    }

    public struct REGISTER_ITEM
    {
        public byte RegisterAddress;
        public PVOID Data;
        public uint Length;
    }

    public static DEVICE_CONTEXT DeviceGetContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(Object);

    public static WORKITEM_CONTEXT WorkitemGetContext(WDFOBJECT Object) => WdfObjectGetTypedContext<WORKITEM_CONTEXT>(Object);

    // GEN_REGISTER_ITEM(RegisterAddress, Variable): { RegisterAddress, &Variable, sizeof(Variable) }
    public static REGISTER_ITEM GEN_REGISTER_ITEM(byte RegisterAddress, PVOID Variable, uint Size) =>
        new() { RegisterAddress = RegisterAddress, Data = Variable, Length = Size };

    // ---- Driver.cpp / Device.cpp / Queue.cpp ------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;

        WDF_DRIVER_CONFIG_INIT(out config, EvtDriverDeviceAdd);

        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS EvtDriverDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status;
        WDF_PNPPOWER_EVENT_CALLBACKS pnpPowerCallbacks;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDFDEVICE device;
        DEVICE_CONTEXT deviceContext;
        WDF_IO_QUEUE_CONFIG queueConfig;
        WDFQUEUE hardwareRequestQueue;

        UNREFERENCED_PARAMETER(Driver);

        PAGED_CODE();

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDevicePrepareHardware = EvtPrepareHardware;
        pnpPowerCallbacks.EvtDeviceReleaseHardware = EvtReleaseHardware;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out attributes);

        status = WdfDeviceCreate(ref DeviceInit, attributes, out device);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        deviceContext = DeviceGetContext(device);
        deviceContext.Device = device;
        deviceContext.I2CConnectionId = I2C_CONNECTION_ID;

        // HardwareRequestQueueInitialize
        WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchSequential);
        queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;

        status = WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out hardwareRequestQueue);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        // UcmTcpciPortControllerSetHardwareRequestQueue(deviceContext->PortController, hardwareRequestQueue)
        status = WdfDeviceConfigureRequestDispatching(device, hardwareRequestQueue, WdfRequestTypeDeviceControl);

    Exit:
        return status;
    }

    public static NTSTATUS EvtPrepareHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw, WDFCMRESLIST ResourcesTranslated)
    {
        DEVICE_CONTEXT deviceContext;

        PAGED_CODE();

        deviceContext = DeviceGetContext(Device);

        return I2COpen(deviceContext);
    }

    public static NTSTATUS EvtReleaseHardware(WDFDEVICE Device, WDFCMRESLIST ResourcesTranslated)
    {
        PAGED_CODE();

        I2CClose(DeviceGetContext(Device));
        return STATUS_SUCCESS;
    }

    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        WDFDEVICE device;
        DEVICE_CONTEXT deviceContext;

        device = WdfIoQueueGetDevice(Queue);
        deviceContext = DeviceGetContext(device);

        // Save the WDFREQUEST so we can complete it later.
        deviceContext.IncomingRequest = Request;

        switch (IoControlCode)
        {
            case IOCTL_UCMTCPCI_PORT_CONTROLLER_GET_STATUS:
                PostponeToWorkitem(Request, device, deviceContext.I2CWorkItemGetStatus);
                break;

            case IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_CONTROL:
                EvtSetControl(Request, device);
                break;

            case IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_COMMAND:
                EvtSetCommand(Request, device);
                break;

            default:
                deviceContext.IncomingRequest = default;
                // If we don't recognize the IOCTL, we must complete the WDFREQUEST here.
                WdfRequestComplete(Request, STATUS_NOT_SUPPORTED);
                break;
        }
    }

    // ---- PortControllerInterface.cpp ---------------------------------------------------------------------------------

    public static void PostponeToWorkitem(WDFREQUEST Request, WDFDEVICE Device, WDFWORKITEM WorkItem)
    {
        WORKITEM_CONTEXT workItemContext;

        workItemContext = WorkitemGetContext(WorkItem);
        workItemContext.Device = Device;
        workItemContext.Request = Request;

        WdfWorkItemEnqueue(WorkItem);
    }

    public static void EvtWorkItemGetStatus(WDFWORKITEM WorkItem)
    {
        PVOID outParams;
        WORKITEM_CONTEXT workItemContext;
        DEVICE_CONTEXT deviceContext;
        WDFREQUEST request;
        NTSTATUS status;

        workItemContext = WorkitemGetContext(WorkItem);
        deviceContext = DeviceGetContext(workItemContext.Device);
        request = workItemContext.Request;

        status = WdfRequestRetrieveOutputBuffer(request, GET_STATUS_OUT_PARAMS_SIZE, out outParams, NULL);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        REGISTER_ITEM[] items =
        {
            GEN_REGISTER_ITEM(CC_STATUS, outParams + 0, 1),
            GEN_REGISTER_ITEM(POWER_STATUS, outParams + 1, 1),
            GEN_REGISTER_ITEM(FAULT_STATUS, outParams + 2, 1),
        };

        status = I2CReadSynchronouslyMultiple(deviceContext, I2CRequestSourceClient, items, (uint)items.Length);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetInformation(request, GET_STATUS_OUT_PARAMS_SIZE);

    Exit:
        WdfRequestComplete(request, status);
    }

    public static void EvtSetControl(WDFREQUEST Request, WDFDEVICE Device)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;
        PVOID inParams;
        int controlType;

        deviceContext = DeviceGetContext(Device);

        status = WdfRequestRetrieveInputBuffer(Request, SET_COMMAND_IN_PARAMS_SIZE, out inParams, NULL);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        controlType = inParams.Read<int>(IN_PARAMS_ControlType);

        switch (controlType)
        {
            case UcmTcpciPortControllerTcpcControl:
            {
                status = I2CWriteAsynchronously(deviceContext, TCPC_CONTROL, inParams + SET_CONTROL_IN_PARAMS_Register, 1);
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                break;
            }
            case UcmTcpciPortControllerRoleControl:
            {
                status = I2CWriteAsynchronously(deviceContext, ROLE_CONTROL, inParams + SET_CONTROL_IN_PARAMS_Register, 1);
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                break;
            }
            case UcmTcpciPortControllerFaultControl:
            {
                status = I2CWriteAsynchronously(deviceContext, FAULT_CONTROL, inParams + SET_CONTROL_IN_PARAMS_Register, 1);
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                break;
            }
            case UcmTcpciPortControllerPowerControl:
            {
                status = I2CWriteAsynchronously(deviceContext, POWER_CONTROL, inParams + SET_CONTROL_IN_PARAMS_Register, 1);
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                break;
            }
            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                goto Exit;
        }

    Exit:
        return;
    }

    public static void EvtSetCommand(WDFREQUEST Request, WDFDEVICE Device)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;
        PVOID inParams;
        using var cmd = new LOCAL_BUFFER(1);

        deviceContext = DeviceGetContext(Device);

        status = WdfRequestRetrieveInputBuffer(Request, SET_COMMAND_IN_PARAMS_SIZE, out inParams, NULL);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        // UCMTCPCI_PORT_CONTROLLER_COMMAND is an enum (4 bytes); the register is 1 byte: copy it to a 1-byte local.
        cmd.Address.Write<byte>(0, (byte)inParams.Read<int>(IN_PARAMS_Command));

        status = I2CWriteAsynchronously(deviceContext, COMMAND, cmd.Address, 1);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

    Exit:
        return;
    }

    // ---- I2C.cpp ------------------------------------------------------------------------------------------------------

    public static NTSTATUS I2COpen(DEVICE_CONTEXT DeviceContext)
    {
        NTSTATUS status;
        WDF_IO_TARGET_OPEN_PARAMS openParams;
        WDF_OBJECT_ATTRIBUTES requestAttributes;
        WDF_OBJECT_ATTRIBUTES workitemAttributes;
        WDF_WORKITEM_CONFIG workitemConfig;
        UNICODE_STRING DevicePath;
        using var initialBuffer = new LOCAL_BUFFER(4); // &status: the initial value does not matter

        PAGED_CODE();

        RtlInitUnicodeString(out DevicePath, RESOURCE_HUB_CREATE_PATH_FROM_ID(DeviceContext.I2CConnectionId));

        status = WdfIoTargetCreate(DeviceContext.Device, WDF_NO_OBJECT_ATTRIBUTES, out DeviceContext.I2CIoTarget);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out openParams, DevicePath, GENERIC_READ | GENERIC_WRITE);
        openParams.ShareAccess = 0;

        status = WdfIoTargetOpen(DeviceContext.I2CIoTarget, openParams);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, initialBuffer.Address, 4, out DeviceContext.I2CMemory);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out requestAttributes);
        requestAttributes.ParentObject = DeviceContext.I2CIoTarget;

        for (int i = 0; i < I2CRequestSourceMax; i++)
        {
            status = WdfRequestCreate(requestAttributes, DeviceContext.I2CIoTarget, out DeviceContext.OutgoingRequests[i]);
            if (!NT_SUCCESS(status))
            {
                goto Exit;
            }
        }

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<WORKITEM_CONTEXT>(out workitemAttributes);
        workitemAttributes.ParentObject = DeviceContext.I2CIoTarget;

        WDF_WORKITEM_CONFIG_INIT(out workitemConfig, EvtWorkItemGetStatus);
        status = WdfWorkItemCreate(workitemConfig, workitemAttributes, out DeviceContext.I2CWorkItemGetStatus);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

    Exit:
        return status;
    }

    public static void I2CClose(DEVICE_CONTEXT DeviceContext)
    {
        PAGED_CODE();

        if (DeviceContext.I2CIoTarget != default)
        {
            WdfIoTargetClose(DeviceContext.I2CIoTarget);
        }
    }

    public static NTSTATUS I2CWriteAsynchronously(DEVICE_CONTEXT DeviceContext, byte RegisterAddress, PVOID Data, uint Length)
    {
        NTSTATUS status;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        if (Length == 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        if (REGISTER_ADDR_SIZE + Length > I2C_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(DeviceContext.I2CAsyncRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(DeviceContext.I2CAsyncRequest, I2COnWriteCompletion, DeviceContext);

        DeviceContext.I2CAsyncBuffer.Address.Write<byte>(0, RegisterAddress);
        RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length);

        status = WdfMemoryAssignBuffer(DeviceContext.I2CMemory, DeviceContext.I2CAsyncBuffer.Address, REGISTER_ADDR_SIZE + Length);
        if (!NT_SUCCESS(status))
        {
            // TraceEvents: WdfMemoryAssignBuffer failed (the shipped code goes on)
        }

        status = WdfIoTargetFormatRequestForWrite(DeviceContext.I2CIoTarget, DeviceContext.I2CAsyncRequest, DeviceContext.I2CMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        if (WdfRequestSend(DeviceContext.I2CAsyncRequest, DeviceContext.I2CIoTarget, NULL) == FALSE)
        {
            status = WdfRequestGetStatus(DeviceContext.I2CAsyncRequest);
            goto Exit;
        }

    Exit:
        return status;
    }

    public static NTSTATUS I2CReadAsynchronously(DEVICE_CONTEXT DeviceContext, byte RegisterAddress, uint Length)
    {
        NTSTATUS status;
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        uint index = 0;
        PVOID transferList;

        DeviceContext.I2CRegisterAddress = RegisterAddress;

        if (Length == 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(DeviceContext.I2CAsyncRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(DeviceContext.I2CAsyncRequest, I2COnReadCompletion, DeviceContext);

        if (Length > I2C_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        // SPB_TRANSFER_LIST_AND_ENTRIES(I2C_TRANSFER_COUNT) transferList (the device context's, see the header)
        transferList = DeviceContext.I2CTransferList.Address;
        transferList.Write<uint>(0, I2C_TRANSFER_LIST_SIZE);
        transferList.Write<uint>(4, I2C_TRANSFER_COUNT);
        transferList.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + index * SPB_TRANSFER_LIST_ENTRY_SIZE, SpbTransferDirectionToDevice);
        transferList.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + index * SPB_TRANSFER_LIST_ENTRY_SIZE + 4, 0);
        transferList.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + index * SPB_TRANSFER_LIST_ENTRY_SIZE + 8, REGISTER_ADDR_SIZE);
        transferList.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + (index + 1) * SPB_TRANSFER_LIST_ENTRY_SIZE, SpbTransferDirectionFromDevice);
        transferList.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + (index + 1) * SPB_TRANSFER_LIST_ENTRY_SIZE + 4, 0);
        transferList.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + (index + 1) * SPB_TRANSFER_LIST_ENTRY_SIZE + 8, Length);
        transferList.Write<byte>(SPB_TRANSFER_LIST_HEADER_SIZE + I2C_TRANSFER_COUNT * SPB_TRANSFER_LIST_ENTRY_SIZE, DeviceContext.I2CRegisterAddress);

        status = WdfMemoryAssignBuffer(DeviceContext.I2CMemory, transferList, I2C_TRANSFER_LIST_SIZE);
        if (!NT_SUCCESS(status))
        {
            // TraceEvents: WdfMemoryAssignBuffer failed (the shipped code goes on)
        }

        status = WdfIoTargetFormatRequestForIoctl(DeviceContext.I2CIoTarget, DeviceContext.I2CAsyncRequest, IOCTL_SPB_EXECUTE_SEQUENCE,
            DeviceContext.I2CMemory, null, default, null);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        if (WdfRequestSend(DeviceContext.I2CAsyncRequest, DeviceContext.I2CIoTarget, NULL) == FALSE)
        {
            status = WdfRequestGetStatus(DeviceContext.I2CAsyncRequest);
            goto Exit;
        }

    Exit:
        return status;
    }

    public static NTSTATUS I2CReadSynchronously(DEVICE_CONTEXT DeviceContext, int RequestSource, byte RegisterAddress, PVOID Data, uint Length)
    {
        NTSTATUS status;
        WDF_REQUEST_SEND_OPTIONS requestOptions;
        WDF_MEMORY_DESCRIPTOR memoryDescriptor;
        WDF_MEMORY_DESCRIPTOR outputDescriptor;
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        nuint bytesTransferred = 0;
        using var transferBuffer = new LOCAL_BUFFER((int)I2C_BUFFER_SIZE);
        using var transferList = new LOCAL_BUFFER((int)I2C_TRANSFER_LIST_SIZE);
        uint index = 0;
        WDFREQUEST request = DeviceContext.OutgoingRequests[RequestSource];

        PAGED_CODE();

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(request, reuseParams);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        if (Length == 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        if (Length > I2C_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        transferList.Address.Write<uint>(0, I2C_TRANSFER_LIST_SIZE);
        transferList.Address.Write<uint>(4, I2C_TRANSFER_COUNT);
        transferList.Address.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + index * SPB_TRANSFER_LIST_ENTRY_SIZE, SpbTransferDirectionToDevice);
        transferList.Address.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + index * SPB_TRANSFER_LIST_ENTRY_SIZE + 4, 0);
        transferList.Address.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + index * SPB_TRANSFER_LIST_ENTRY_SIZE + 8, REGISTER_ADDR_SIZE);
        transferList.Address.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + (index + 1) * SPB_TRANSFER_LIST_ENTRY_SIZE, SpbTransferDirectionFromDevice);
        transferList.Address.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + (index + 1) * SPB_TRANSFER_LIST_ENTRY_SIZE + 4, 0);
        transferList.Address.Write<uint>(SPB_TRANSFER_LIST_HEADER_SIZE + (index + 1) * SPB_TRANSFER_LIST_ENTRY_SIZE + 8, Length);
        transferList.Address.Write<byte>(SPB_TRANSFER_LIST_HEADER_SIZE + I2C_TRANSFER_COUNT * SPB_TRANSFER_LIST_ENTRY_SIZE, RegisterAddress);

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memoryDescriptor, transferList.Address, I2C_TRANSFER_LIST_SIZE);
        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outputDescriptor, transferBuffer.Address, Length);

        WDF_REQUEST_SEND_OPTIONS_INIT(out requestOptions, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        requestOptions.Timeout = WDF_REL_TIMEOUT_IN_MS(I2C_SYNCHRONOUS_TIMEOUT);

        status = WdfIoTargetSendIoctlSynchronously(DeviceContext.I2CIoTarget, request, IOCTL_SPB_EXECUTE_SEQUENCE,
            memoryDescriptor, outputDescriptor, requestOptions, out bytesTransferred);
        if (!NT_SUCCESS(status))
        {
            // I2CPerformDeviceReset(DeviceContext);
            goto Exit;
        }

        if (bytesTransferred != REGISTER_ADDR_SIZE + Length)
        {
            status = STATUS_INFO_LENGTH_MISMATCH;
            goto Exit;
        }

        RtlCopyMemory(Data, transferBuffer.Address, Length);

    Exit:
        return status;
    }

    public static NTSTATUS I2CReadSynchronouslyMultiple(DEVICE_CONTEXT DeviceContext, int requestSource, REGISTER_ITEM[] Items, uint Count)
    {
        NTSTATUS status = STATUS_SUCCESS;
        REGISTER_ITEM item;

        PAGED_CODE();

        for (uint i = 0; i < Count; i++)
        {
            item = Items[i];
            status = I2CReadSynchronously(DeviceContext, requestSource, item.RegisterAddress, item.Data, item.Length);
            if (!NT_SUCCESS(status))
            {
                goto Exit;
            }
        }

    Exit:
        return status;
    }

    public static NTSTATUS I2CWriteSynchronously(DEVICE_CONTEXT DeviceContext, int RequestSource, byte RegisterAddress, PVOID Data, uint Length)
    {
        NTSTATUS status;
        WDF_REQUEST_SEND_OPTIONS requestOptions;
        WDF_MEMORY_DESCRIPTOR memoryDescriptor;
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        nuint bytesTransferred = 0;
        using var transferBuffer = new LOCAL_BUFFER((int)I2C_BUFFER_SIZE);
        WDFREQUEST request = DeviceContext.OutgoingRequests[RequestSource];

        PAGED_CODE();

        if (Length == 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(request, reuseParams);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        transferBuffer.Address.Write<byte>(0, RegisterAddress);

        if (REGISTER_ADDR_SIZE + Length > I2C_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        RtlCopyMemory(transferBuffer.Address + REGISTER_ADDR_SIZE, Data, Length);

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out memoryDescriptor, transferBuffer.Address, REGISTER_ADDR_SIZE + Length);

        WDF_REQUEST_SEND_OPTIONS_INIT(out requestOptions, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        requestOptions.Timeout = WDF_REL_TIMEOUT_IN_MS(I2C_SYNCHRONOUS_TIMEOUT);

        status = WdfIoTargetSendWriteSynchronously(DeviceContext.I2CIoTarget, request, memoryDescriptor, null, requestOptions,
            out bytesTransferred);
        if (!NT_SUCCESS(status))
        {
            // I2CPerformDeviceReset(DeviceContext);
            goto Exit;
        }

        if (bytesTransferred != REGISTER_ADDR_SIZE + Length)
        {
            status = STATUS_INFO_LENGTH_MISMATCH;
            goto Exit;
        }

    Exit:
        return status;
    }

    public static void I2COnReadCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;
        PVOID outputBuffer;
        nuint readLength = 0;

        UNREFERENCED_PARAMETER(Target);

        deviceContext = (DEVICE_CONTEXT)Context!;

        status = Params.IoStatus.Status;
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        readLength = Params.IoStatus.Information;
        if (readLength <= REGISTER_ADDR_SIZE)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            readLength = 0;
            goto Exit;
        }

        readLength -= REGISTER_ADDR_SIZE;

        status = WdfRequestRetrieveOutputBuffer(deviceContext.IncomingRequest, readLength, out outputBuffer, NULL);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        RtlCopyMemory(outputBuffer, deviceContext.I2CAsyncBuffer.Address, readLength);

        WdfRequestSetInformation(deviceContext.IncomingRequest, readLength);

    Exit:
        WdfRequestComplete(deviceContext.IncomingRequest, status);
    }

    public static void I2COnWriteCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;

        UNREFERENCED_PARAMETER(Target);

        deviceContext = (DEVICE_CONTEXT)Context!;

        status = Params.IoStatus.Status;
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

    Exit:
        WdfRequestComplete(deviceContext.IncomingRequest, status);
    }
}
