// BUGGY variant of SerialHciBus.cs (same port, same sources and translation notes below) with bugs a driver writer
// plausibly makes around driver-created requests and their buffers, each marked on the line the finding belongs to.
// Port of the shipped Bluetooth serial HCI bus driver (microsoft/Windows-driver-samples, bluetooth/serialhcibus): the
// I/O paths of io.c (HLP_AllocateResourceForWrite, HLP_FreeResourceForWrite, CB_RequestFromBthportCancel,
// CR_WriteDeviceIO, ReadSegmentStateSet, ReadH4PacketComplete, ReadH4PacketReassemble, ReadH4PacketCompletionRoutine,
// ReadH4Packet, HLP_CreatePacketEntry, ReadRequestComplete, ReadResourcesFree, ReadResourcesAllocate) and of Fdo.c
// (FdoWriteDeviceIO, FdoDevSelfManagedIoInit/Cleanup, the IOCTL_BTHX_WRITE_HCI / READ_HCI / GET_VERSION cases of
// FdoIoQuDeviceControl), Io.h/driver.h. The read pump: one driver-created request and one preallocated memory object
// over the device extension's ReadBuffer, reused (WdfRequestReuse, WdfMemoryAssignBuffer) for every read sent to the
// UART and re-sent from its completion routine. A write wraps the HCI packet inside bthport's request in a preallocated
// memory object, sends a driver-created request, and completes bthport's request in the completion routine.
// Mechanical translation per API.md; where the API differs:
//   * the UART is the device's default I/O target (the sample opens it by its resource-hub name in PrepareHardware);
//   * the packed HCI structures are byte offsets: BTHX_HCI_READ_WRITE_CONTEXT { ULONG DataLen; UCHAR Type; UCHAR
//     Data[1]; } (Type at 4, Data at 5), the H4 packet union is one LOCAL_BUFFER field (Raw) with the event's Params at
//     2 and the ACL Data at 4; LIST_ENTRY lists are List<HCI_PACKET_ENTRY>, an entry's packet a pool block;
//   * the Interlocked* operations on context fields are plain assignments (the host's completion runs the same logic);
//   * NT_ASSERT compiles to nothing (free build).
// Left out: PnP/power, the child PDO (pdo.c), the UART's serial settings and the synchronous IOCTL path
// (FdoWriteToDeviceSync), the other IOCTL cases (version set, capabilities, radio on/off), reset recovery, the
// REPORT_HARDWARE_ERROR and DBG blocks, WPP tracing.
using System.Collections.Generic;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class SerialHciBusBuggy
{
    public const uint FILE_DEVICE_BLUETOOTH = 0x00000041;
    public const uint IOCTL_BTHX_GET_VERSION = (FILE_DEVICE_BLUETOOTH << 16) | (FILE_ANY_ACCESS << 14) | (0x400 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_BTHX_WRITE_HCI = (FILE_DEVICE_BLUETOOTH << 16) | (FILE_ANY_ACCESS << 14) | (0x403 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_BTHX_READ_HCI = (FILE_DEVICE_BLUETOOTH << 16) | (FILE_ANY_ACCESS << 14) | (0x404 << 2) | METHOD_BUFFERED;

    public const byte HciPacketCommand = 0x01;
    public const byte HciPacketAclData = 0x02;
    public const byte HciPacketEvent = 0x04;

    public const uint POOLTAG_BTHSERIALHCIBUSSAMPLE = 0x77627468; // 'htbw'
    public const uint HCI_EVENT_HEADER_SIZE = 2;
    public const uint HCI_ACL_HEADER_SIZE = 4;
    public const uint HCI_MAX_ACL_PAYLOAD_SIZE = 1021;
    public const uint INITIAL_H4_READ_SIZE = 1 + HCI_EVENT_HEADER_SIZE;
    public const uint MAX_H4_HCI_PACKET_SIZE = 1 + HCI_ACL_HEADER_SIZE + HCI_MAX_ACL_PAYLOAD_SIZE;
    public const uint MAX_HCI_ACLDATA_SIZE = HCI_ACL_HEADER_SIZE + HCI_MAX_ACL_PAYLOAD_SIZE;
    public const uint HCI_EVENT_HEADER_LEN = 2;   // FIELD_OFFSET(HCI_EVENT_PACKET, Params)
    public const uint HCI_ACLDATA_HEADER_LEN = 4; // FIELD_OFFSET(HCI_ACLDATA_PACKET, Data)
    public const uint HCI_CONTEXT_TYPE_OFFSET = 4; // FIELD_OFFSET(BTHX_HCI_READ_WRITE_CONTEXT, Type)
    public const uint HCI_CONTEXT_DATA_OFFSET = 5; // FIELD_OFFSET(BTHX_HCI_READ_WRITE_CONTEXT, Data)
    public const uint BTHX_HCI_READ_WRITE_CONTEXT_SIZE = 6;
    public const uint BTHX_HCI_PACKET_TYPE_SIZE = 4;   // sizeof(BTHX_HCI_PACKET_TYPE), an enum
    public const uint BTHX_VERSION_SIZE = 4;
    public const uint Microsoft_BTHX_DDI_Version = 0x00010000;

    public const int REQUEST_PATH_NONE = 0x0;
    public const int REQUEST_PATH_CANCELLATION = 0x1;
    public const int REQUEST_PATH_COMPLETION = 0x2;

    public const int REQUEST_SENT = 1;
    public const int REQUEST_PENDING = 2;
    public const int REQUEST_COMPLETE = 3;

    public const int GET_PKT_TYPE = 0;
    public const int GET_PKT_HEADER = 1;
    public const int GET_PKT_PAYLOAD = 2;

    public const uint MAX_HARDWARE_ERROR_COUNT = 0;
    public static readonly NTSTATUS STATUS_DEVICE_DATA_ERROR = new(unchecked((int)0xC000009C));

    public sealed class HCI_PACKET_ENTRY
    {
        public PVOID Packet;
        public uint PacketLen;
    }

    public sealed class UART_READ_CONTEXT
    {
        public FDO_EXTENSION FdoExtension = null!;
        public NTSTATUS Status;
        public int RequestState;
        public int ReadSegmentState;
        public uint BytesReadNextSegment;
        public uint BytesToRead4FullPacket;
        public byte H4PacketType;
        public readonly LOCAL_BUFFER Raw = new(MAX_HCI_ACLDATA_SIZE); // H4_PACKET.Packet
    }

    public sealed class UART_WRITE_CONTEXT
    {
        public FDO_EXTENSION FdoExtension = null!;
        public PVOID HCIContext;
        public WDFREQUEST RequestFromBthport;
        public int RequestCompletePath;
        public WDFREQUEST RequestToUART;
        public WDFMEMORY Memory;
        public PVOID HCIPacket;
        public uint HCIPacketLen;
    }

    public sealed class FDO_EXTENSION
    {
        public WDFDEVICE WdfDevice;
        public WDFIOTARGET IoTargetSerial;
        public bool DeviceInitialized;
        public bool ReadPumpRunning;
        public bool HardwareErrorDetected;
        public uint OutOfSyncErrorCount;
        public WDFSPINLOCK QueueAccessLock;
        public WDFQUEUE ReadEventQueue;
        public WDFQUEUE ReadDataQueue;
        public readonly List<HCI_PACKET_ENTRY> ReadEventList = new();
        public readonly List<HCI_PACKET_ENTRY> ReadDataList = new();
        public int EventQueueCount, DataQueueCount, EventListCount, DataListCount;
        public int CntCommandReq, CntCommandCompleted, CntEventReq, CntEventCompleted;
        public int CntWriteDataReq, CntWriteDataCompleted, CntReadDataReq, CntReadDataCompleted;
        public WDFREQUEST ReadRequest;
        public WDFMEMORY ReadMemory;
        public readonly LOCAL_BUFFER ReadBuffer = new(MAX_H4_HCI_PACKET_SIZE);
        public readonly UART_READ_CONTEXT ReadContext = new();
    }

    public static FDO_EXTENSION FdoGetExtension(WDFOBJECT Object) => WdfObjectGetTypedContext<FDO_EXTENSION>(Object);

    private static bool IsDeviceInitialized(FDO_EXTENSION FdoExtension) => FdoExtension.DeviceInitialized;

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG config;

        WDF_DRIVER_CONFIG_INIT(out config, DriverDeviceAdd);

        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    public static NTSTATUS DriverDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_PNPPOWER_EVENT_CALLBACKS pnpPowerCallbacks;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDF_IO_QUEUE_CONFIG ioQueueConfig;
        WDFDEVICE device;
        FDO_EXTENSION FdoExtension;
        NTSTATUS Status;

        UNREFERENCED_PARAMETER(Driver);
        PAGED_CODE();

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDeviceSelfManagedIoInit = FdoDevSelfManagedIoInit;
        pnpPowerCallbacks.EvtDeviceSelfManagedIoCleanup = FdoDevSelfManagedIoCleanup;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<FDO_EXTENSION>(out attributes);
        Status = WdfDeviceCreate(ref DeviceInit, attributes, out device);
        if (!NT_SUCCESS(Status))
        {
            return Status;
        }

        FdoExtension = FdoGetExtension(device);
        FdoExtension.WdfDevice = device;
        FdoExtension.IoTargetSerial = WdfDeviceGetIoTarget(device);
        FdoExtension.DeviceInitialized = TRUE;

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = device;
        Status = WdfSpinLockCreate(attributes, out FdoExtension.QueueAccessLock);
        if (!NT_SUCCESS(Status))
        {
            return Status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out ioQueueConfig, WdfIoQueueDispatchParallel);
        ioQueueConfig.EvtIoDeviceControl = FdoIoQuDeviceControl;
        return WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
    }

    public static NTSTATUS FdoDevSelfManagedIoInit(WDFDEVICE _Device)
    {
        NTSTATUS Status;
        FDO_EXTENSION FdoExtension;

        PAGED_CODE();

        Status = ReadResourcesAllocate(_Device);
        if (!NT_SUCCESS(Status))
        {
            goto Exit;
        }

        FdoExtension = FdoGetExtension(_Device);
        FdoExtension.ReadContext.RequestState = REQUEST_COMPLETE;
        FdoExtension.ReadPumpRunning = TRUE;

        Status = ReadH4Packet(FdoExtension.ReadContext, FdoExtension.ReadRequest, FdoExtension.ReadMemory,
            FdoExtension.ReadBuffer.Address, INITIAL_H4_READ_SIZE);
        if (!NT_SUCCESS(Status))
        {
            goto Exit;
        }

    Exit:
        return Status;
    }

    public static void FdoDevSelfManagedIoCleanup(WDFDEVICE _Device)
    {
        PAGED_CODE();

        ReadResourcesFree(_Device);
    }

    public static void FdoIoQuDeviceControl(WDFQUEUE _Queue, WDFREQUEST _Request, nuint _OutputBufferLength,
        nuint _InputBufferLength, uint _IoControlCode)
    {
        WDFMEMORY ReqInMemory = default, ReqOutMemory = default;
        PVOID InBuffer = NULL, OutBuffer = NULL;
        nuint InBufferSize = 0, OutBufferSize = 0;
        FDO_EXTENSION FdoExtension;
        NTSTATUS Status = STATUS_SUCCESS;
        WDFDEVICE Device;
        bool CompleteRequest = FALSE;
        uint PacketType;
        PVOID HCIContext;

        Device = WdfIoQueueGetDevice(_Queue);
        FdoExtension = FdoGetExtension(Device);

        if (_InputBufferLength != 0)
        {
            Status = WdfRequestRetrieveInputMemory(_Request, out ReqInMemory);
            if (NT_SUCCESS(Status))
            {
                InBuffer = WdfMemoryGetBuffer(ReqInMemory, out InBufferSize);
            }
        }

        if (_OutputBufferLength != 0)
        {
            Status = WdfRequestRetrieveOutputMemory(_Request, out ReqOutMemory);
            if (NT_SUCCESS(Status))
            {
                OutBuffer = WdfMemoryGetBuffer(ReqOutMemory, out OutBufferSize);
            }
        }

        switch (_IoControlCode)
        {
            case IOCTL_BTHX_WRITE_HCI:
                if (InBuffer == NULL || InBufferSize < BTHX_HCI_READ_WRITE_CONTEXT_SIZE ||
                    OutBuffer == NULL || OutBufferSize != BTHX_HCI_PACKET_TYPE_SIZE)
                {
                    Status = STATUS_INVALID_PARAMETER;
                    break;
                }

                HCIContext = InBuffer;
                PacketType = HCIContext.Read<byte>(HCI_CONTEXT_TYPE_OFFSET);
                if (PacketType != HciPacketCommand && PacketType != HciPacketAclData)
                {
                    Status = STATUS_INVALID_PARAMETER;
                    break;
                }

                if (PacketType == HciPacketCommand)
                {
                    FdoExtension.CntCommandReq++;
                }
                else
                {
                    FdoExtension.CntWriteDataReq++;
                }

                Status = FdoWriteDeviceIO(_Request, Device, FdoExtension, HCIContext);
                break;

            case IOCTL_BTHX_READ_HCI:
                if (InBuffer == NULL || InBufferSize != BTHX_HCI_PACKET_TYPE_SIZE ||
                    OutBuffer == NULL || OutBufferSize < BTHX_HCI_READ_WRITE_CONTEXT_SIZE)
                {
                    Status = STATUS_INVALID_PARAMETER;
                    break;
                }

                PacketType = InBuffer.Read<uint>(0);

                if (PacketType == HciPacketEvent)
                {
                    WdfSpinLockAcquire(FdoExtension.QueueAccessLock);
                    Status = WdfRequestForwardToIoQueue(_Request, FdoExtension.ReadEventQueue);
                    if (NT_SUCCESS(Status))
                    {
                        FdoExtension.EventQueueCount++;
                        FdoExtension.CntEventReq++;
                    }
                    WdfSpinLockRelease(FdoExtension.QueueAccessLock);

                    if (NT_SUCCESS(Status))
                    {
                        Status = ReadRequestComplete(FdoExtension, HciPacketEvent, 0, NULL, FdoExtension.ReadEventQueue,
                            ref FdoExtension.EventQueueCount, FdoExtension.ReadEventList, ref FdoExtension.EventListCount);
                    }
                }
                else if (PacketType == HciPacketAclData)
                {
                    WdfSpinLockAcquire(FdoExtension.QueueAccessLock);
                    Status = WdfRequestForwardToIoQueue(_Request, FdoExtension.ReadDataQueue);
                    if (NT_SUCCESS(Status))
                    {
                        FdoExtension.DataQueueCount++;
                        FdoExtension.CntReadDataReq++;
                    }
                    WdfSpinLockRelease(FdoExtension.QueueAccessLock);

                    if (NT_SUCCESS(Status))
                    {
                        Status = ReadRequestComplete(FdoExtension, HciPacketAclData, 0, NULL, FdoExtension.ReadDataQueue,
                            ref FdoExtension.DataQueueCount, FdoExtension.ReadDataList, ref FdoExtension.DataListCount);
                    }
                }
                else
                {
                    Status = STATUS_INVALID_PARAMETER;
                    break;
                }
                break;

            case IOCTL_BTHX_GET_VERSION:
                CompleteRequest = TRUE;
                if (OutBuffer != NULL && OutBufferSize >= BTHX_VERSION_SIZE)
                {
                    OutBuffer.Write<uint>(0, Microsoft_BTHX_DDI_Version);
                    WdfRequestCompleteWithInformation(_Request, Status, BTHX_VERSION_SIZE);
                    return;
                }
                else
                {
                    Status = STATUS_INVALID_PARAMETER;
                }
                break;

            default:
                Status = STATUS_NOT_SUPPORTED;
                break;
        }

        if (!NT_SUCCESS(Status) || CompleteRequest)
        {
            // READ_HCI: ReadRequestComplete may have completed this very request (the oldest in the queue it was just
            // forwarded to, as packets wait in the list only when no request waits) with STATUS_BUFFER_TOO_SMALL, the status
            // it returns: a packet longer than a buffer of at least 6 bytes completes it twice (runtime twin: DRV002).
            WdfRequestComplete(_Request, Status); // BUG DRV002 (the shipped sample)
        }

        return;
    }

    public static NTSTATUS FdoWriteDeviceIO(WDFREQUEST _RequestFromBthport, WDFDEVICE _Device, FDO_EXTENSION _FdoExtension,
        PVOID _HCIContext)
    {
        WDF_OBJECT_ATTRIBUTES ObjAttributes;
        NTSTATUS Status;
        WDFREQUEST RequestToUART;
        UART_WRITE_CONTEXT? TransferContext = null;
        uint DataLength;
        PVOID Data = NULL;

        if (!IsDeviceInitialized(_FdoExtension))
        {
            Status = STATUS_DEVICE_NOT_READY;
            goto Done;
        }

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<UART_WRITE_CONTEXT>(out ObjAttributes);
        Status = WdfObjectAllocateContext(_RequestFromBthport, ObjAttributes, out object? context);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        TransferContext = (UART_WRITE_CONTEXT)context!;

        Status = HLP_AllocateResourceForWrite(_Device, _FdoExtension.IoTargetSerial, out RequestToUART);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out ObjAttributes);
        ObjAttributes.ParentObject = _Device;

        Data = _HCIContext + HCI_CONTEXT_TYPE_OFFSET;
        DataLength = 1 + _HCIContext.Read<uint>(0);

        // No wrapper: the UART gets bthport's own input memory object.
        Status = WdfRequestRetrieveInputMemory(_RequestFromBthport, out TransferContext.Memory);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        Status = WdfIoTargetFormatRequestForWrite(_FdoExtension.IoTargetSerial, RequestToUART, TransferContext.Memory, null, null);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        TransferContext.FdoExtension = _FdoExtension;
        TransferContext.HCIContext = _HCIContext;
        TransferContext.RequestFromBthport = _RequestFromBthport;
        TransferContext.RequestCompletePath = REQUEST_PATH_NONE;
        TransferContext.RequestToUART = RequestToUART;
        TransferContext.HCIPacket = Data;
        TransferContext.HCIPacketLen = DataLength;

        WdfObjectReference(RequestToUART);
        WdfObjectReference(_RequestFromBthport);

        WdfRequestMarkCancelable(_RequestFromBthport, CB_RequestFromBthportCancel);

        WdfRequestSetCompletionRoutine(RequestToUART, CR_WriteDeviceIO, TransferContext);

        if (!WdfRequestSend(RequestToUART, _FdoExtension.IoTargetSerial, WDF_NO_SEND_OPTIONS))
        {
            NTSTATUS StatusTemp;

            Status = WdfRequestGetStatus(RequestToUART);

            StatusTemp = WdfRequestUnmarkCancelable(_RequestFromBthport);

            WdfObjectDereference(RequestToUART);
            WdfObjectDereference(_RequestFromBthport);

            goto Done;
        }

    Done:
        if (!NT_SUCCESS(Status))
        {
            HLP_FreeResourceForWrite(TransferContext);
        }

        return Status;
    }

    public static void CB_RequestFromBthportCancel(WDFREQUEST _RequestFromUpper)
    {
        UART_WRITE_CONTEXT TransferContext = WdfObjectGetTypedContext<UART_WRITE_CONTEXT>(_RequestFromUpper);
        WDFREQUEST RequestToUART = TransferContext.RequestToUART;
        WDFMEMORY Memory = TransferContext.Memory;
        int CompletePath;
        bool CancelSuccess;

        CompletePath = TransferContext.RequestCompletePath;
        TransferContext.RequestCompletePath |= REQUEST_PATH_CANCELLATION;

        if (CompletePath == REQUEST_PATH_NONE)
        {
            CancelSuccess = WdfRequestCancelSentRequest(RequestToUART);

            WdfObjectDereference(RequestToUART);

            WdfRequestComplete(_RequestFromUpper, STATUS_CANCELLED);
        }
    }

    public static NTSTATUS HLP_AllocateResourceForWrite(WDFDEVICE _Device, WDFIOTARGET _IoTargetSerial, out WDFREQUEST _PRequest)
    {
        NTSTATUS Status;
        WDF_OBJECT_ATTRIBUTES ObjAttributes;

        WDF_OBJECT_ATTRIBUTES_INIT(out ObjAttributes);
        ObjAttributes.ParentObject = _Device;

        Status = WdfRequestCreate(ObjAttributes, _IoTargetSerial, out _PRequest);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

    Done:
        return Status;
    }

    public static void HLP_FreeResourceForWrite(UART_WRITE_CONTEXT? _TransferContext)
    {
        if (_TransferContext != null)
        {
            if (_TransferContext.RequestToUART != default)
            {
                WdfRequestComplete(_TransferContext.RequestToUART, STATUS_CANCELLED); // BUG DRV013
                _TransferContext.RequestToUART = default;
            }
        }
    }

    public static void CR_WriteDeviceIO(WDFREQUEST _Request, WDFIOTARGET _Target, WDF_REQUEST_COMPLETION_PARAMS _Params, object? _Context)
    {
        NTSTATUS Status;
        UART_WRITE_CONTEXT TransferContext;
        FDO_EXTENSION FdoExtension;
        WDFREQUEST RequestFromBthport;
        uint BytesDataWritten = 0;
        int CompletePath = REQUEST_PATH_NONE;

        UNREFERENCED_PARAMETER(_Target);

        Status = _Params.IoStatus.Status;
        TransferContext = (UART_WRITE_CONTEXT)_Context!;

        RequestFromBthport = TransferContext.RequestFromBthport;

        CompletePath = TransferContext.RequestCompletePath;
        TransferContext.RequestCompletePath |= REQUEST_PATH_COMPLETION;

        if (REQUEST_PATH_NONE != CompletePath)
        {
        }
        else
        {
            if (STATUS_CANCELLED == WdfRequestUnmarkCancelable(RequestFromBthport))
            {
                CompletePath = TransferContext.RequestCompletePath;
                if (CompletePath == REQUEST_PATH_COMPLETION)
                {
                    TransferContext.RequestCompletePath = REQUEST_PATH_NONE;
                }

                if ((CompletePath & REQUEST_PATH_CANCELLATION) != 0)
                {
                    CompletePath = REQUEST_PATH_NONE;
                }
            }

            if (REQUEST_PATH_NONE == CompletePath)
            {
                WdfObjectDereference(_Request);

                if (NT_SUCCESS(Status))
                {
                    WDFMEMORY ReqOutMemory;
                    uint BytesWritten;
                    PVOID OutBuffer = NULL;
                    nuint OutBufferSize = 0;

                    BytesWritten = (uint)_Params.Parameters.Write.Length;

                    if (BytesWritten != TransferContext.HCIPacketLen)
                    {
                        Status = STATUS_UNSUCCESSFUL;
                        goto Done;
                    }

                    Status = WdfRequestRetrieveOutputMemory(RequestFromBthport, out ReqOutMemory);
                    if (NT_SUCCESS(Status))
                    {
                        OutBuffer = WdfMemoryGetBuffer(ReqOutMemory, out OutBufferSize);
                        if (OutBufferSize >= sizeof(uint))
                        {
                            OutBuffer.Write<uint>(0, TransferContext.HCIContext.Read<uint>(0));
                            BytesDataWritten = sizeof(uint);
                        }
                    }
                }
            }
        }

    Done:
        if (REQUEST_PATH_NONE == CompletePath)
        {
            FdoExtension = TransferContext.FdoExtension;
            if (TransferContext.HCIContext.Read<byte>(HCI_CONTEXT_TYPE_OFFSET) == HciPacketCommand)
            {
                FdoExtension.CntCommandCompleted++;
            }
            else if (TransferContext.HCIContext.Read<byte>(HCI_CONTEXT_TYPE_OFFSET) == HciPacketAclData)
            {
                FdoExtension.CntWriteDataCompleted++;
            }

            WdfRequestCompleteWithInformation(RequestFromBthport, Status, BytesDataWritten); // BUG DRV010: the write request still holds bthport's input memory
        }

        WdfObjectDelete(_Request);

        WdfObjectDereference(RequestFromBthport);
    }

    public static void ReadSegmentStateSet(UART_READ_CONTEXT _ReadContext, int _NewState)
    {
        switch (_NewState)
        {
            case GET_PKT_TYPE:
                _ReadContext.BytesReadNextSegment = 0;
                _ReadContext.H4PacketType = 0;
                _ReadContext.BytesToRead4FullPacket = 0;
                RtlZeroMemory(_ReadContext.Raw.Address, HCI_ACLDATA_HEADER_LEN);
                break;
            case GET_PKT_HEADER:
            case GET_PKT_PAYLOAD:
                _ReadContext.BytesReadNextSegment = 0;
                break;
        }

        _ReadContext.ReadSegmentState = _NewState;
    }

    public static NTSTATUS ReadH4PacketComplete(FDO_EXTENSION _FdoExtension, byte _Type, PVOID _Buffer, uint _BufferLength)
    {
        NTSTATUS Status = STATUS_SUCCESS;

        if (_Type == HciPacketEvent)
        {
            ReadRequestComplete(_FdoExtension, HciPacketEvent, _BufferLength, _Buffer, _FdoExtension.ReadEventQueue,
                ref _FdoExtension.EventQueueCount, _FdoExtension.ReadEventList, ref _FdoExtension.EventListCount);
        }
        else
        {
            ReadRequestComplete(_FdoExtension, HciPacketAclData, _BufferLength, _Buffer, _FdoExtension.ReadDataQueue,
                ref _FdoExtension.DataQueueCount, _FdoExtension.ReadDataList, ref _FdoExtension.DataListCount);
        }

        return Status;
    }

    public static NTSTATUS ReadH4PacketReassemble(UART_READ_CONTEXT _ReadContext, uint _BytesRead, PVOID _Buffer)
    {
        NTSTATUS Status = STATUS_SUCCESS;
        uint BytesRemained = _BytesRead;
        PVOID Buffer = _Buffer;
        FDO_EXTENSION FdoExtension = _ReadContext.FdoExtension;
        PVOID Packet = _ReadContext.Raw.Address;
        uint PacketLen;
        uint BytesToRead;

        while (NT_SUCCESS(Status) && BytesRemained > 0)
        {
            switch (_ReadContext.ReadSegmentState)
            {
                case GET_PKT_TYPE:
                    byte type = Buffer.Read<byte>(0);
                    Buffer += 1; BytesRemained -= 1; _ReadContext.BytesReadNextSegment += 1;

                    if (type == HciPacketEvent)
                    {
                        _ReadContext.BytesToRead4FullPacket = HCI_EVENT_HEADER_SIZE;
                    }
                    else if (type == HciPacketAclData)
                    {
                        _ReadContext.BytesToRead4FullPacket = HCI_ACL_HEADER_SIZE;
                    }
                    else
                    {
                        Status = STATUS_INVALID_PARAMETER;
                        goto OutOfSync;
                    }

                    _ReadContext.H4PacketType = type;
                    ReadSegmentStateSet(_ReadContext, GET_PKT_HEADER);
                    break;

                case GET_PKT_HEADER:
                    // The event header is 2 bytes (EventCode, ParamsCount), the ACL header 4 (handle and flags, DataLength).
                    uint headerLength = _ReadContext.H4PacketType == HciPacketEvent ? HCI_EVENT_HEADER_LEN : HCI_ACLDATA_HEADER_LEN;
                    while (_ReadContext.BytesReadNextSegment < headerLength && BytesRemained != 0)
                    {
                        Packet.Write<byte>(_ReadContext.BytesReadNextSegment, Buffer.Read<byte>(0));
                        Buffer += 1; BytesRemained -= 1; _ReadContext.BytesReadNextSegment += 1;
                        _ReadContext.BytesToRead4FullPacket = headerLength - _ReadContext.BytesReadNextSegment;
                    }

                    if (_ReadContext.BytesReadNextSegment == headerLength)
                    {
                        uint payloadLength = _ReadContext.H4PacketType == HciPacketEvent ? Packet.Read<byte>(1) : Packet.Read<ushort>(2);
                        if (_ReadContext.H4PacketType == HciPacketEvent && payloadLength == 0)
                        {
                            PacketLen = HCI_EVENT_HEADER_LEN;
                            Status = ReadH4PacketComplete(FdoExtension, _ReadContext.H4PacketType, Packet, PacketLen);
                            ReadSegmentStateSet(_ReadContext, GET_PKT_TYPE);
                        }
                        else
                        {
                            if (BytesRemained < payloadLength)
                            {
                                _ReadContext.BytesToRead4FullPacket = payloadLength - BytesRemained;
                            }

                            ReadSegmentStateSet(_ReadContext, GET_PKT_PAYLOAD);
                        }
                    }
                    break;

                case GET_PKT_PAYLOAD:
                    if (_ReadContext.H4PacketType == HciPacketEvent)
                    {
                        uint ParamsCount = Packet.Read<byte>(1);
                        BytesToRead = ParamsCount - _ReadContext.BytesReadNextSegment;
                        if (BytesRemained >= BytesToRead)
                        {
                            RtlCopyMemory(Packet + HCI_EVENT_HEADER_LEN + _ReadContext.BytesReadNextSegment, Buffer, BytesToRead);
                            Buffer += BytesToRead; BytesRemained -= BytesToRead; _ReadContext.BytesReadNextSegment += BytesToRead;

                            PacketLen = HCI_EVENT_HEADER_LEN + ParamsCount;
                            Status = ReadH4PacketComplete(FdoExtension, _ReadContext.H4PacketType, Packet, PacketLen);
                            ReadSegmentStateSet(_ReadContext, GET_PKT_TYPE);
                        }
                        else
                        {
                            RtlCopyMemory(Packet + HCI_EVENT_HEADER_LEN + _ReadContext.BytesReadNextSegment, Buffer, BytesRemained);
                            _ReadContext.BytesReadNextSegment += BytesRemained;
                            Buffer += BytesRemained; BytesRemained = 0;
                            _ReadContext.BytesToRead4FullPacket = ParamsCount - _ReadContext.BytesReadNextSegment;
                        }
                    }
                    else
                    {
                        uint DataLength = Packet.Read<ushort>(2);

                        BytesToRead = DataLength - _ReadContext.BytesReadNextSegment;
                        if (BytesRemained >= BytesToRead)
                        {
                            RtlCopyMemory(Packet + HCI_ACLDATA_HEADER_LEN + _ReadContext.BytesReadNextSegment, Buffer, BytesToRead); // BUG DRV020: DataLength (up to 65535) is not checked against HCI_MAX_ACL_PAYLOAD_SIZE
                            Buffer += BytesToRead; BytesRemained -= BytesToRead; _ReadContext.BytesReadNextSegment += BytesToRead;

                            PacketLen = HCI_ACLDATA_HEADER_LEN + DataLength;
                            Status = ReadH4PacketComplete(FdoExtension, _ReadContext.H4PacketType, Packet, PacketLen);
                            ReadSegmentStateSet(_ReadContext, GET_PKT_TYPE);
                        }
                        else
                        {
                            RtlCopyMemory(Packet + HCI_ACLDATA_HEADER_LEN + _ReadContext.BytesReadNextSegment, Buffer, BytesRemained);
                            _ReadContext.BytesReadNextSegment += BytesRemained;
                            Buffer += BytesRemained; BytesRemained = 0;
                            _ReadContext.BytesToRead4FullPacket = DataLength - _ReadContext.BytesReadNextSegment;
                        }
                    }
                    break;

                default:
                    break;
            }
        }

        return Status;

    OutOfSync:
        return Status;
    }

    public static void ReadH4PacketCompletionRoutine(WDFREQUEST _Request, WDFIOTARGET _Target, WDF_REQUEST_COMPLETION_PARAMS _Params, object? _Context)
    {
        NTSTATUS Status;
        UART_READ_CONTEXT ReadContext;
        FDO_EXTENSION FdoExtension;
        uint BytesRead;
        WDFMEMORY ReadMemory;
        PVOID OutBuffer;
        nuint OutBufferSize;
        int PreviousState;

        UNREFERENCED_PARAMETER(_Request);
        UNREFERENCED_PARAMETER(_Target);

        Status = _Params.IoStatus.Status;
        BytesRead = (uint)_Params.Parameters.Read.Length;
        ReadContext = (UART_READ_CONTEXT)_Context!;
        ReadContext.Status = Status;

        PreviousState = ReadContext.RequestState;
        if (PreviousState == REQUEST_SENT)
        {
            ReadContext.RequestState = REQUEST_COMPLETE;
        }

        FdoExtension = ReadContext.FdoExtension;

        if (NT_SUCCESS(Status) || Status == STATUS_IO_TIMEOUT || Status == STATUS_TIMEOUT)
        {
        }
        else
        {
            goto Exit;
        }

        ReadMemory = _Params.Parameters.Read.Buffer;
        OutBuffer = WdfMemoryGetBuffer(ReadMemory, out OutBufferSize);

        if (OutBuffer != NULL && BytesRead != 0)
        {
            Status = ReadH4PacketReassemble(ReadContext, BytesRead, OutBuffer);
            if (!NT_SUCCESS(Status))
            {
                FdoExtension.OutOfSyncErrorCount++;

                ReadSegmentStateSet(ReadContext, GET_PKT_TYPE);

                if (FdoExtension.HardwareErrorDetected && FdoExtension.OutOfSyncErrorCount > MAX_HARDWARE_ERROR_COUNT)
                {
                    Status = STATUS_DEVICE_DATA_ERROR;
                    goto Exit;
                }
                else
                {
                    FdoExtension.HardwareErrorDetected = FALSE;
                    goto ReadNext;
                }
            }
        }

    ReadNext:
        if (PreviousState == REQUEST_PENDING)
        {
            uint BytesToRead;

            BytesToRead = ReadContext.ReadSegmentState == GET_PKT_TYPE ? INITIAL_H4_READ_SIZE :
                ReadContext.BytesToRead4FullPacket != 0 ? ReadContext.BytesToRead4FullPacket :
                MAX_H4_HCI_PACKET_SIZE;

            ReadH4Packet(ReadContext, FdoExtension.ReadRequest, FdoExtension.ReadMemory, FdoExtension.ReadBuffer.Address, BytesToRead);
        }

        return;

    Exit:
        if (!NT_SUCCESS(Status))
        {
            FdoExtension.ReadPumpRunning = FALSE;
        }
    }

    public static NTSTATUS ReadH4Packet(UART_READ_CONTEXT _ReadContext, WDFREQUEST _WdfRequest, WDFMEMORY _WdfMemory, PVOID _Buffer, uint _BufferLen)
    {
        FDO_EXTENSION FdoExtension;
        WDF_REQUEST_REUSE_PARAMS RequestReuseParams;
        NTSTATUS Status;

        FdoExtension = _ReadContext.FdoExtension;

        if (0 == _BufferLen)
        {
            Status = STATUS_INVALID_PARAMETER;
            goto Done;
        }

        WdfRequestSetCompletionRoutine(_WdfRequest, ReadH4PacketCompletionRoutine, _ReadContext);

        while (TRUE)
        {
            if (!IsDeviceInitialized(FdoExtension))
            {
                Status = STATUS_DEVICE_NOT_READY;
                goto Done;
            }

            WDF_REQUEST_REUSE_PARAMS_INIT(out RequestReuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            Status = WdfRequestReuse(_WdfRequest, RequestReuseParams);
            if (!NT_SUCCESS(Status))
            {
                goto Done;
            }

            Status = WdfMemoryAssignBuffer(_WdfMemory, _Buffer, _BufferLen);
            if (!NT_SUCCESS(Status))
            {
                goto Done;
            }

            Status = WdfIoTargetFormatRequestForRead(FdoExtension.IoTargetSerial, _WdfRequest, _WdfMemory, null, null);
            if (!NT_SUCCESS(Status))
            {
                goto Done;
            }

            _ReadContext.RequestState = REQUEST_SENT;

            if (FALSE == WdfRequestSend(_WdfRequest, FdoExtension.IoTargetSerial, WDF_NO_SEND_OPTIONS)) // BUG DRV012: reused on the loop's next turn, sent without its completion routine
            {
                Status = WdfRequestGetStatus(_WdfRequest);
                goto Done;
            }
            else
            {
                int PreviousState = _ReadContext.RequestState;
                if (PreviousState == REQUEST_SENT)
                {
                    _ReadContext.RequestState = REQUEST_PENDING;
                    Status = STATUS_PENDING;
                    break;
                }
                else
                {
                    Status = FdoExtension.ReadContext.Status;
                    if (NT_SUCCESS(Status))
                    {
                    }
                    else
                    {
                        break;
                    }
                }
            }
        }

    Done:
        if (!NT_SUCCESS(Status))
        {
            FdoExtension.ReadPumpRunning = FALSE;
        }

        return Status;
    }

    public static HCI_PACKET_ENTRY? HLP_CreatePacketEntry(uint _PacketLength, PVOID _Packet)
    {
        HCI_PACKET_ENTRY? PacketEntry = null;
        PVOID block = ExAllocatePoolWithTag(NonPagedPoolNx, _PacketLength, POOLTAG_BTHSERIALHCIBUSSAMPLE); // BUG DRV030
        if (block != NULL)
        {
            PacketEntry = new HCI_PACKET_ENTRY { Packet = block, PacketLen = _PacketLength };
            RtlCopyMemory(PacketEntry.Packet, _Packet, _PacketLength);
        }

        return PacketEntry;
    }

    public static NTSTATUS ReadRequestComplete(FDO_EXTENSION _FdoExtension, byte _PacketType, uint _PacketLength, PVOID _Packet,
        WDFQUEUE _Queue, ref int _QueueCount, List<HCI_PACKET_ENTRY> _ListHead, ref int _ListCount)
    {
        WDFREQUEST Request = default;
        NTSTATUS Status = STATUS_SUCCESS;
        HCI_PACKET_ENTRY? PacketEntry = null;
        WDFMEMORY ReqOutMemory;
        nuint BufferSize = 0, BytesToReturn;
        PVOID HCIContext;
        bool CompleteRequest = FALSE;

        WdfSpinLockAcquire(_FdoExtension.QueueAccessLock);

        if (_Packet != NULL)
        {
            Status = WdfIoQueueRetrieveNextRequest(_Queue, out Request);
            if (Status == STATUS_SUCCESS)
            {
                _QueueCount--;
                CompleteRequest = TRUE;
            }
            else
            {
                PacketEntry = HLP_CreatePacketEntry(_PacketLength, _Packet);
                if (PacketEntry == null)
                {
                    Status = STATUS_INSUFFICIENT_RESOURCES;
                }
                else
                {
                    _ListHead.Add(PacketEntry);
                    _ListCount++;
                }
            }
        }
        else
        {
            if (_ListHead.Count != 0)
            {
                Status = WdfIoQueueRetrieveNextRequest(_Queue, out Request);
                if (Status == STATUS_SUCCESS)
                {
                    _QueueCount--;
                    PacketEntry = _ListHead[0];
                    _ListHead.RemoveAt(0);
                    _Packet = PacketEntry.Packet;
                    _PacketLength = PacketEntry.PacketLen;
                    _ListCount--;
                    CompleteRequest = TRUE;
                }
            }
            else
            {
                Status = STATUS_PENDING;
            }
        }

        WdfSpinLockRelease(_FdoExtension.QueueAccessLock);

        if (!CompleteRequest)
        {
            goto Done;
        }

        Status = WdfRequestRetrieveOutputMemory(Request, out ReqOutMemory);
        if (Status != STATUS_SUCCESS)
        {
            WdfRequestCompleteWithInformation(Request, Status, 0);
            goto Done;
        }

        HCIContext = WdfMemoryGetBuffer(ReqOutMemory, out BufferSize);

        BytesToReturn = HCI_CONTEXT_DATA_OFFSET + _PacketLength;

        HCIContext.Write<byte>(HCI_CONTEXT_TYPE_OFFSET, _PacketType);
        HCIContext.Write<uint>(0, _PacketLength);

        RtlCopyMemory(HCIContext + HCI_CONTEXT_DATA_OFFSET, _Packet, _PacketLength); // BUG DRV020: the packet's length, not checked against the pending request's buffer

        if (PacketEntry != null)
        {
            ExFreePool(PacketEntry.Packet);
        }

        if (HCIContext.Read<byte>(HCI_CONTEXT_TYPE_OFFSET) == HciPacketEvent)
        {
            _FdoExtension.CntEventCompleted++;
        }
        else if (HCIContext.Read<byte>(HCI_CONTEXT_TYPE_OFFSET) == HciPacketAclData)
        {
            _FdoExtension.CntReadDataCompleted++;
        }

        WdfRequestCompleteWithInformation(Request, Status, BytesToReturn); // BUG DRV023

    Done:
        return Status;
    }

    public static void ReadResourcesFree(WDFDEVICE _Device)
    {
        FDO_EXTENSION FdoExtension;

        FdoExtension = FdoGetExtension(_Device);

        while (FdoExtension.ReadEventList.Count != 0)
        {
            HCI_PACKET_ENTRY PacketEntry;

            WdfSpinLockAcquire(FdoExtension.QueueAccessLock);
            PacketEntry = FdoExtension.ReadEventList[0];
            FdoExtension.ReadEventList.RemoveAt(0);
            FdoExtension.EventListCount--;
            WdfSpinLockRelease(FdoExtension.QueueAccessLock);

            if (PacketEntry != null)
            {
                ExFreePool(PacketEntry.Packet);
            }
        }

        while (FdoExtension.ReadDataList.Count != 0)
        {
            HCI_PACKET_ENTRY PacketEntry;

            WdfSpinLockAcquire(FdoExtension.QueueAccessLock);
            PacketEntry = FdoExtension.ReadDataList[0];
            FdoExtension.ReadDataList.RemoveAt(0);
            FdoExtension.DataListCount--;
            WdfSpinLockRelease(FdoExtension.QueueAccessLock);

            if (PacketEntry != null)
            {
                ExFreePool(PacketEntry.Packet);
            }
        }

        if (FdoExtension.ReadRequest != default)
        {
            WdfObjectDelete(FdoExtension.ReadRequest);
            FdoExtension.ReadRequest = default;
        }
    }

    public static NTSTATUS ReadResourcesAllocate(WDFDEVICE _Device)
    {
        NTSTATUS Status;
        FDO_EXTENSION FdoExtension;
        WDF_IO_QUEUE_CONFIG QueueConfig;
        WDF_OBJECT_ATTRIBUTES ObjAttributes;

        FdoExtension = FdoGetExtension(_Device);

        WDF_IO_QUEUE_CONFIG_INIT(out QueueConfig, WdfIoQueueDispatchManual);

        Status = WdfIoQueueCreate(_Device, QueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out FdoExtension.ReadEventQueue);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        FdoExtension.ReadEventList.Clear();
        FdoExtension.EventListCount = 0;
        FdoExtension.EventQueueCount = 0;

        Status = WdfIoQueueCreate(_Device, QueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out FdoExtension.ReadDataQueue);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        FdoExtension.ReadDataList.Clear();
        FdoExtension.DataListCount = 0;
        FdoExtension.DataQueueCount = 0;

        FdoExtension.CntCommandReq = 0;
        FdoExtension.CntCommandCompleted = 0;
        FdoExtension.CntEventReq = 0;
        FdoExtension.CntEventCompleted = 0;
        FdoExtension.CntWriteDataReq = 0;
        FdoExtension.CntWriteDataCompleted = 0;
        FdoExtension.CntReadDataReq = 0;
        FdoExtension.CntReadDataCompleted = 0;

        WDF_OBJECT_ATTRIBUTES_INIT(out ObjAttributes);
        ObjAttributes.ParentObject = _Device;

        Status = WdfRequestCreate(ObjAttributes, FdoExtension.IoTargetSerial, out FdoExtension.ReadRequest);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

        RtlZeroMemory(FdoExtension.ReadContext.Raw.Address, MAX_HCI_ACLDATA_SIZE);
        FdoExtension.ReadContext.FdoExtension = FdoExtension;
        ReadSegmentStateSet(FdoExtension.ReadContext, GET_PKT_TYPE);

        Status = WdfMemoryCreatePreallocated(ObjAttributes, FdoExtension.ReadBuffer.Address, MAX_H4_HCI_PACKET_SIZE,
            out FdoExtension.ReadMemory);
        if (!NT_SUCCESS(Status))
        {
            goto Done;
        }

    Done:
        if (!NT_SUCCESS(Status))
        {
            ReadResourcesFree(_Device);
        }

        return Status;
    }
}
