// Port of the shipped Bluetooth echo client (microsoft/Windows-driver-samples, bluetooth/bthecho): bthcli/sys/queue.c
// (BthEchoCliReadWriteCompletion, BthEchoCliEvtQueueIoWrite/Read, BthEchoCliEvtQueueIoStop), bthcli/sys/client.c
// (BthEchoCliRetrieveServerBthAddress, BthEchoCliRetrieveServerSdpRecord, BthEchoCliRemoteConnectCompletion,
// BthEchoCliOpenRemoteConnection), bthcli/sys/device.c (BthEchoCliEvtDriverDeviceAdd, BthEchoCliEvtDeviceSelfManagedIoInit,
// BthEchoCliEvtDeviceFileCreate, BthEchoCliEvtFileClose), common/lib/clisrv.c (BthEchoSharedDeviceContextHeaderInit,
// BthEchoSharedRetrieveLocalInfo, BthEchoSharedSendBrbAsync, BthEchoSharedSendBrbSynchronously) and common/lib/connection.c
// (the repeat readers of the continuous reader: BthEchoRepeatReaderInitialize/Submit/PendingReadCompletion/Cancel; the
// connection object: BthEchoConnectionObjectInit/Create, BthEchoEvtConnectionObjectCleanup, BthEchoConnectionObjectRemote-
// Disconnect and its completion, FormatRequestWithBrb, BthEchoConnectionObjectFormatRequestForL2CaTransfer).
// The client keeps a driver-created request in its device context (Header.Request, created in EvtDeviceAdd) and reuses it
// for each synchronous BRB; BthEchoCliRetrieveServerSdpRecord creates a request, sends it three times with WdfRequestReuse
// in between and deletes it; reads and writes format the application's request itself with a BRB (preallocated memory
// over the BRB, parented to the request) that points at the request's buffer, and complete it in the completion routine
// with the byte count the BRB reports; each connection keeps a driver-created disconnect request, and each repeat reader
// a driver-created request with a WdfMemoryCreate buffer, reused and resubmitted from a DPC after every completed read.
// Mechanical translation per API.md; where the API differs:
//   * a BRB (bthddi.h) is bthport's structure: its bytes are a pool block (Block, SIZEOF_BRB: the BRB union is under 512
//     bytes on x64) that WdfMemoryCreatePreallocated wraps, and its fields live in a class beside it (BtAddress,
//     ChannelHandle, Buffer, BufferSize, ...). The profile driver interface (BthAllocateBrb, BthReuseBrb, BthFreeBrb) is in
//     the region "bthport stand-in": BthAllocateBrb allocates the block from pool with the caller's tag, BthReuseBrb zeroes
//     it (and gives a request-context BRB its block the first time), BthFreeBrb frees it; the request context's block is
//     freed by the request's cleanup callback (BthEchoCliEvtRequestContextCleanup, added by the port), the connection's
//     disconnect BRB and a repeat reader's transfer BRB (embedded in their contexts in C) by the connection's cleanup;
//   * WdfIoTargetFormatRequestForInternalIoctlOthers / WdfIoTargetSendInternalIoctlOthersSynchronously (the BRB as
//     Argument1) are WdfIoTargetFormatRequestForInternalIoctl / WdfIoTargetSendInternalIoctlSynchronously with the BRB as
//     the input memory; the lower driver is the device's default I/O target;
//   * WDFFILEOBJECT (WdfDeviceInitSetFileObjectConfig, GetFileContext, WdfRequestGetFileObject) is not in the API: the
//     device context keeps the one open file's connection and server PSM; WdfObjectCreate is not in the API: a connection
//     is a class kept there, its spin lock and disconnect request are parented to the device; KDPC is a WDFDPC per repeat
//     reader (its context names the reader), KEVENT a stand-in (KeSetEvent/KeClearEvent/KeWaitForSingleObject);
//   * the SDP structures are stack buffers (LOCAL_BUFFER) read and written at their x64 offsets; RtlULongAdd is a checked add.
// Left out: BthEchoCliBthQueryInterfaces (WdfFdoQueryForInterface), BthEchoCliRetrievePsmFromSdpRecord (the SDP parse
// interface: the port takes the PSM at a fixed offset of the record, after checking the record holds it),
// BthEchoSharedGetHostSupportedFeatures, the enhanced-retransmission configuration of the open-channel BRB (BRB fields
// only), the indication callback, WdfDeviceCreateDeviceInterface's GUID registration details, the WPP tracing.
using System;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class BthEchoCli
{
    public const uint POOLTAG_BTHECHOSAMPLE = 0x77627468; // 'htbw'
    public static readonly NTSTATUS STATUS_CONNECTION_DISCONNECTED = new(unchecked((int)0xC000020C));
    public static readonly NTSTATUS STATUS_DEVICE_DATA_ERROR = new(unchecked((int)0xC000009C));
    public static readonly NTSTATUS STATUS_INTEGER_OVERFLOW = new(unchecked((int)0xC0000095));
    public const int BTHECHOSAMPLE_NUM_CONTINUOUS_READERS = 2;
    public static readonly Guid BTHECHOSAMPLE_DEVICE_INTERFACE = new("fc71b33d-d528-4763-a86c-78777c7bcd7b");

    // FILE_DEVICE_BLUETOOTH (0x41): BTH_KERNEL_IOCTL (METHOD_NEITHER) and BTH_CTL (METHOD_BUFFERED)
    public const uint IOCTL_INTERNAL_BTH_SUBMIT_BRB = (0x41 << 16) | (0x00 << 2) | 3;
    public const uint IOCTL_INTERNAL_BTHENUM_GET_DEVINFO = (0x41 << 16) | (0x102 << 2) | 3;
    public const uint IOCTL_BTH_SDP_CONNECT = (0x41 << 16) | (0x80 << 2) | 0;
    public const uint IOCTL_BTH_SDP_DISCONNECT = (0x41 << 16) | (0x81 << 2) | 0;
    public const uint IOCTL_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH = (0x41 << 16) | (0x85 << 2) | 0;

    // BRB types and flags (bthddi.h)
    public const int BRB_HCI_GET_LOCAL_BD_ADDR = 0x0001;
    public const int BRB_L2CA_OPEN_ENHANCED_CHANNEL = 0x010F;
    public const int BRB_L2CA_CLOSE_CHANNEL = 0x0103;
    public const int BRB_L2CA_ACL_TRANSFER = 0x0106;
    public const uint ACL_TRANSFER_DIRECTION_IN = 0x1;
    public const uint ACL_TRANSFER_DIRECTION_OUT = 0x0;
    public const uint ACL_SHORT_TRANSFER_OK = 0x2;
    public const uint SIZEOF_BRB = 512;

    // the x64 layout of the SDP structures (bthioctl.h, bthsdpdef.h)
    public const uint SIZEOF_BTH_DEVICE_INFO = 272;
    public const nuint BTH_DEVICE_INFO_address = 8;
    public const uint SIZEOF_BTH_SDP_CONNECT = 24;
    public const nuint BTH_SDP_CONNECT_bthAddress = 0;
    public const nuint BTH_SDP_CONNECT_requestTimeout = 8;
    public const nuint BTH_SDP_CONNECT_fSdpConnect = 12;
    public const nuint BTH_SDP_CONNECT_hConnection = 16;
    public const uint SIZEOF_BTH_SDP_DISCONNECT = 8;
    public const uint SIZEOF_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH_REQUEST = 256;
    public const nuint BTH_SDP_SERVICE_ATTRIBUTE_SEARCH_REQUEST_hConnection = 0;
    public const uint SIZEOF_BTH_SDP_STREAM_RESPONSE = 12;
    public const nuint BTH_SDP_STREAM_RESPONSE_requiredSize = 0;
    public const nuint BTH_SDP_STREAM_RESPONSE_responseSize = 4;
    public const nuint BTH_SDP_STREAM_RESPONSE_response = 8;
    public const byte SDP_REQUEST_TO_DEFAULT = 0;

    public enum BTHECHO_CONNECTION_STATE
    {
        ConnectionStateUnitialized = 0,
        ConnectionStateInitialized,
        ConnectionStateConnecting,
        ConnectionStateConnected,
        ConnectionStateConnectFailed,
        ConnectionStateDisconnecting,
        ConnectionStateDisconnected,
    }

    /// <summary>A BRB: its bytes (Block) and the fields the driver sets or reads.</summary>
    public class BRB
    {
        public PVOID Block;
        public int Type;
        public object? ClientContext;
        public ulong BtAddress;
        public ulong ChannelHandle;
        public ushort Psm;
        public uint TransferFlags;
        public PVOID Buffer;
        public uint BufferSize;
    }

    public sealed class BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER
    {
        public WDFDEVICE Device;
        public WDFIOTARGET IoTarget;
        public WDFREQUEST Request; // preallocated request for synchronous BRBs
        public ulong LocalBthAddr;
    }

    public sealed class BTHECHOSAMPLE_CLIENT_CONTEXT
    {
        public readonly BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER Header = new();
        public ulong ServerBthAddress;
        public BTHECHO_CONNECTION? Connection; // the one open file's (GetFileContext(FileObject)->Connection)
        public ushort ServerPsm;               // the one open file's (GetFileContext(FileObject)->ServerPsm)
    }

    public sealed class BTHECHO_REPEAT_READER
    {
        public readonly BRB TransferBrb = new();
        public WDFREQUEST RequestPendingRead;
        public WDFMEMORY MemoryPendingRead;
        public WDFDPC ResubmitDpc;
        public readonly KEVENT StopEvent = new();
        public int Stopping;
        public BTHECHO_CONNECTION Connection = null!;
    }

    public sealed class REPEAT_READER_DPC_CONTEXT
    {
        public BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr = null!;
        public BTHECHO_REPEAT_READER RepeatReader = null!;
    }

    public sealed class BTHECHO_CONTINUOUS_READER
    {
        public readonly BTHECHO_REPEAT_READER[] RepeatReaders = { new(), new() };
        public int InitializedReadersCount;
    }

    public sealed class BTHECHO_CONNECTION
    {
        public BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr = null!;
        public BTHECHO_CONNECTION_STATE ConnectionState;
        public WDFSPINLOCK ConnectionLock;
        public ushort OutMTU;
        public ushort InMTU;
        public ulong ChannelHandle;
        public ulong RemoteAddress;
        public readonly BRB ConnectDisconnectBrb = new();
        public WDFREQUEST ConnectDisconnectRequest;
        public readonly KEVENT DisconnectEvent = new();
        public readonly BTHECHO_CONTINUOUS_READER ContinuousReader = new();
    }

    public static BTHECHOSAMPLE_CLIENT_CONTEXT GetClientDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<BTHECHOSAMPLE_CLIENT_CONTEXT>(Object);

    public static BRB GetRequestContext(WDFOBJECT Object) => WdfObjectGetTypedContext<BRB>(Object);

    public static REPEAT_READER_DPC_CONTEXT GetDpcContext(WDFOBJECT Object) => WdfObjectGetTypedContext<REPEAT_READER_DPC_CONTEXT>(Object);

    // ---- driver.c / device.c --------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status;
        WDF_DRIVER_CONFIG config;

        WDF_DRIVER_CONFIG_INIT(out config, BthEchoCliEvtDriverDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);

        return status;
    }

    public static NTSTATUS BthEchoCliEvtDriverDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status;
        WDFDEVICE device;
        WDF_OBJECT_ATTRIBUTES deviceAttributes;
        WDF_PNPPOWER_EVENT_CALLBACKS pnpPowerCallbacks;
        WDF_OBJECT_ATTRIBUTES requestAttributes;
        WDF_IO_QUEUE_CONFIG ioQueueConfig;
        WDFQUEUE queue;
        BTHECHOSAMPLE_CLIENT_CONTEXT devCtx;

        UNREFERENCED_PARAMETER(Driver);

        PAGED_CODE();

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpPowerCallbacks);
        pnpPowerCallbacks.EvtDeviceSelfManagedIoInit = BthEchoCliEvtDeviceSelfManagedIoInit;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpPowerCallbacks);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<BRB>(out requestAttributes);
        requestAttributes.EvtCleanupCallback = BthEchoCliEvtRequestContextCleanup;
        WdfDeviceInitSetRequestAttributes(DeviceInit, requestAttributes);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<BTHECHOSAMPLE_CLIENT_CONTEXT>(out deviceAttributes);

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out device);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        devCtx = GetClientDeviceContext(device);

        status = BthEchoSharedDeviceContextHeaderInit(devCtx.Header, device); // BthEchoCliContextInit
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out ioQueueConfig, WdfIoQueueDispatchParallel);
        ioQueueConfig.EvtIoRead = BthEchoCliEvtQueueIoRead;
        ioQueueConfig.EvtIoWrite = BthEchoCliEvtQueueIoWrite;
        ioQueueConfig.EvtIoStop = BthEchoCliEvtQueueIoStop;

        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = WdfDeviceCreateDeviceInterface(device, BTHECHOSAMPLE_DEVICE_INTERFACE, null);

    exit:
        return status;
    }

    /// <summary>The port's cleanup of a request's BRB context (its bytes are a pool block here, part of the request in C).</summary>
    public static void BthEchoCliEvtRequestContextCleanup(WDFOBJECT Request)
    {
        BthFreeBrb(GetRequestContext(Request));
    }

    public static NTSTATUS BthEchoCliEvtDeviceSelfManagedIoInit(WDFDEVICE Device)
    {
        NTSTATUS status;
        BTHECHOSAMPLE_CLIENT_CONTEXT devCtx = GetClientDeviceContext(Device);

        status = BthEchoSharedRetrieveLocalInfo(devCtx.Header);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = BthEchoCliRetrieveServerBthAddress(devCtx);

    exit:
        return status;
    }

    public static void BthEchoCliEvtDeviceFileCreate(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status;
        PVOID serverSdpRecord = NULL;
        BTHECHOSAMPLE_CLIENT_CONTEXT devCtx = GetClientDeviceContext(Device);

        PAGED_CODE();

        status = BthEchoCliRetrieveServerSdpRecord(devCtx, out serverSdpRecord);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = BthEchoCliRetrievePsmFromSdpRecord(serverSdpRecord, out devCtx.ServerPsm);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = BthEchoCliOpenRemoteConnection(devCtx, Request);

    exit:
        if (NULL != serverSdpRecord)
        {
            ExFreePoolWithTag(serverSdpRecord, POOLTAG_BTHECHOSAMPLE);
        }

        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }
    }

    public static void BthEchoCliEvtFileClose(WDFDEVICE Device)
    {
        BTHECHOSAMPLE_CLIENT_CONTEXT devCtx;
        BTHECHO_CONNECTION? connection;

        PAGED_CODE();

        devCtx = GetClientDeviceContext(Device);
        connection = devCtx.Connection;
        if (connection == null)
        {
            return;
        }

        BthEchoConnectionObjectRemoteDisconnectSynchronously(devCtx.Header, connection);
        BthEchoEvtConnectionObjectCleanup(connection); // the connection object is deleted with its file object
        devCtx.Connection = null;
    }

    // ---- queue.c --------------------------------------------------------------------------------------------------

    public static void BthEchoCliReadWriteCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        BRB brb;
        nuint information;

        UNREFERENCED_PARAMETER(Target);

        brb = (BRB)Context!;

        //
        // Bytes read/written are contained in Brb->BufferSize
        //
        information = brb.BufferSize;

        //
        // Complete the request
        //
        WdfRequestCompleteWithInformation(Request, Params.IoStatus.Status, information);
    }

    public static void BthEchoCliEvtQueueIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        BTHECHOSAMPLE_CLIENT_CONTEXT DevCtx;
        WDFMEMORY memory;
        BRB? brb = null;
        BTHECHO_CONNECTION connection;

        UNREFERENCED_PARAMETER(Length);

        DevCtx = GetClientDeviceContext(WdfIoQueueGetDevice(Queue));
        connection = DevCtx.Connection!;

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        //
        // Get the BRB from request context and initialize it as
        // BRB_L2CA_ACL_TRANSFER BRB
        //
        brb = GetRequestContext(Request);
        BthReuseBrb(brb, BRB_L2CA_ACL_TRANSFER);

        //
        // Format the Write request for L2Ca OUT transfer
        //
        status = BthEchoConnectionObjectFormatRequestForL2CaTransfer(connection, Request, ref brb, memory, ACL_TRANSFER_DIRECTION_OUT);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        //
        // Set a CompletionRoutine callback function.
        //
        WdfRequestSetCompletionRoutine(Request, BthEchoCliReadWriteCompletion, brb);

        //
        // Send the request down the stack
        //
        if (FALSE == WdfRequestSend(Request, DevCtx.Header.IoTarget, null))
        {
            status = WdfRequestGetStatus(Request);
            goto exit;
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }
    }

    public static void BthEchoCliEvtQueueIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        BTHECHOSAMPLE_CLIENT_CONTEXT DevCtx;
        WDFMEMORY memory;
        BRB? brb = null;
        BTHECHO_CONNECTION connection;

        UNREFERENCED_PARAMETER(Length);

        DevCtx = GetClientDeviceContext(WdfIoQueueGetDevice(Queue));
        connection = DevCtx.Connection!;

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        brb = GetRequestContext(Request);
        BthReuseBrb(brb, BRB_L2CA_ACL_TRANSFER);

        //
        // Format the Read request for L2Ca IN transfer
        //
        status = BthEchoConnectionObjectFormatRequestForL2CaTransfer(connection, Request, ref brb, memory,
            ACL_TRANSFER_DIRECTION_IN | ACL_SHORT_TRANSFER_OK);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        WdfRequestSetCompletionRoutine(Request, BthEchoCliReadWriteCompletion, brb);

        if (FALSE == WdfRequestSend(Request, DevCtx.Header.IoTarget, null))
        {
            status = WdfRequestGetStatus(Request);
            goto exit;
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }
    }

    public static void BthEchoCliEvtQueueIoStop(WDFQUEUE Queue, WDFREQUEST Request, uint ActionFlags)
    {
        UNREFERENCED_PARAMETER(Queue);
        UNREFERENCED_PARAMETER(ActionFlags);

        WdfRequestCancelSentRequest(Request);
    }

    // ---- client.c -------------------------------------------------------------------------------------------------

    public static NTSTATUS BthEchoCliRetrieveServerBthAddress(BTHECHOSAMPLE_CLIENT_CONTEXT DevCtx)
    {
        NTSTATUS status, statusReuse;
        WDF_MEMORY_DESCRIPTOR outMemDesc;
        WDF_REQUEST_REUSE_PARAMS ReuseParams;
        using var serverDeviceInfo = new LOCAL_BUFFER(SIZEOF_BTH_DEVICE_INFO);

        WDF_REQUEST_REUSE_PARAMS_INIT(out ReuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_NOT_SUPPORTED);
        statusReuse = WdfRequestReuse(DevCtx.Header.Request, ReuseParams);
        // NT_ASSERT(NT_SUCCESS(statusReuse))
        UNREFERENCED_PARAMETER(statusReuse);

        RtlZeroMemory(serverDeviceInfo.Address, SIZEOF_BTH_DEVICE_INFO);

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outMemDesc, serverDeviceInfo.Address, SIZEOF_BTH_DEVICE_INFO);

        status = WdfIoTargetSendInternalIoctlSynchronously(DevCtx.Header.IoTarget, DevCtx.Header.Request,
            IOCTL_INTERNAL_BTHENUM_GET_DEVINFO, null, outMemDesc, null, NULL);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        DevCtx.ServerBthAddress = serverDeviceInfo.Address.Read<ulong>(BTH_DEVICE_INFO_address);

    exit:
        return status;
    }

    public static NTSTATUS BthEchoCliRetrieveServerSdpRecord(BTHECHOSAMPLE_CLIENT_CONTEXT DevCtx, out PVOID ServerSdpRecord)
    {
        NTSTATUS status, statusReuse, disconnectStatus;
        WDF_MEMORY_DESCRIPTOR inMemDesc;
        WDF_MEMORY_DESCRIPTOR outMemDesc;
        WDF_REQUEST_REUSE_PARAMS ReuseParams;
        using var connect = new LOCAL_BUFFER(SIZEOF_BTH_SDP_CONNECT);
        using var disconnect = new LOCAL_BUFFER(SIZEOF_BTH_SDP_DISCONNECT);
        using var requestSdp = new LOCAL_BUFFER(SIZEOF_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH_REQUEST);
        using var responseSdp = new LOCAL_BUFFER(SIZEOF_BTH_SDP_STREAM_RESPONSE);
        uint requestSize;
        PVOID serverSdpRecord = NULL;
        WDFREQUEST request;
        WDF_OBJECT_ATTRIBUTES attributes;

        PAGED_CODE();

        ServerSdpRecord = NULL;

        //
        // Allocate the request we will use for obtaining sdp record
        // NOTE that we do it for every file open, hence we
        // can't use reserve request from the context
        //
        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);

        status = WdfRequestCreate(attributes, DevCtx.Header.IoTarget, out request);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        connect.Address.Write<ulong>(BTH_SDP_CONNECT_bthAddress, DevCtx.ServerBthAddress);
        connect.Address.Write<byte>(BTH_SDP_CONNECT_requestTimeout, SDP_REQUEST_TO_DEFAULT);
        connect.Address.Write<uint>(BTH_SDP_CONNECT_fSdpConnect, 0);

        //
        // Connect to the SDP service.
        //
        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out inMemDesc, connect.Address, SIZEOF_BTH_SDP_CONNECT);
        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outMemDesc, connect.Address, SIZEOF_BTH_SDP_CONNECT);

        status = WdfIoTargetSendIoctlSynchronously(DevCtx.Header.IoTarget, request, IOCTL_BTH_SDP_CONNECT, inMemDesc, outMemDesc, null, NULL);
        if (!NT_SUCCESS(status))
        {
            goto exit1;
        }

        //
        // Obtain the required size of the SDP record
        //
        requestSdp.Address.Write<ulong>(BTH_SDP_SERVICE_ATTRIBUTE_SEARCH_REQUEST_hConnection, connect.Address.Read<ulong>(BTH_SDP_CONNECT_hConnection));

        WDF_REQUEST_REUSE_PARAMS_INIT(out ReuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_NOT_SUPPORTED);
        statusReuse = WdfRequestReuse(request, ReuseParams);
        UNREFERENCED_PARAMETER(statusReuse);

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out inMemDesc, requestSdp.Address, SIZEOF_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH_REQUEST);
        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outMemDesc, responseSdp.Address, SIZEOF_BTH_SDP_STREAM_RESPONSE);

        status = WdfIoTargetSendIoctlSynchronously(DevCtx.Header.IoTarget, request, IOCTL_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH, inMemDesc, outMemDesc, null, NULL);
        if (!NT_SUCCESS(status))
        {
            goto exit2;
        }

        //
        // Allocate the required size for SDP record
        //
        status = RtlULongAdd(responseSdp.Address.Read<uint>(BTH_SDP_STREAM_RESPONSE_requiredSize), SIZEOF_BTH_SDP_STREAM_RESPONSE, out requestSize);
        if (!NT_SUCCESS(status))
        {
            goto exit2;
        }

        serverSdpRecord = ExAllocatePool2(POOL_FLAG_NON_PAGED, requestSize, POOLTAG_BTHECHOSAMPLE);
        if (NULL == serverSdpRecord)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto exit2;
        }

        //
        // Send request with required size
        //
        WDF_REQUEST_REUSE_PARAMS_INIT(out ReuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_NOT_SUPPORTED);
        statusReuse = WdfRequestReuse(request, ReuseParams);
        UNREFERENCED_PARAMETER(statusReuse);

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out inMemDesc, requestSdp.Address, SIZEOF_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH_REQUEST);
        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out outMemDesc, serverSdpRecord, requestSize);

        status = WdfIoTargetSendIoctlSynchronously(DevCtx.Header.IoTarget, request, IOCTL_BTH_SDP_SERVICE_ATTRIBUTE_SEARCH, inMemDesc, outMemDesc, null, NULL);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(serverSdpRecord, POOLTAG_BTHECHOSAMPLE);
        }
        else
        {
            ServerSdpRecord = serverSdpRecord;
        }

    exit2:
        //
        // Disconnect from SDP service.
        //
        WDF_REQUEST_REUSE_PARAMS_INIT(out ReuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_NOT_SUPPORTED);
        statusReuse = WdfRequestReuse(request, ReuseParams);
        UNREFERENCED_PARAMETER(statusReuse);

        disconnect.Address.Write<ulong>(0, connect.Address.Read<ulong>(BTH_SDP_CONNECT_hConnection));

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out inMemDesc, disconnect.Address, SIZEOF_BTH_SDP_DISCONNECT);

        disconnectStatus = WdfIoTargetSendIoctlSynchronously(DevCtx.Header.IoTarget, request, IOCTL_BTH_SDP_DISCONNECT, inMemDesc, null, null, NULL);
        // NT_ASSERT(NT_SUCCESS(disconnectStatus)); //Disconnect should not fail
        UNREFERENCED_PARAMETER(disconnectStatus);

    exit1:
        WdfObjectDelete(request);
    exit:
        return status;
    }

    /// <summary>Stands for the SDP tree walk (left out): the PSM is the UINT16 at the start of the record's response.</summary>
    public static NTSTATUS BthEchoCliRetrievePsmFromSdpRecord(PVOID ServerSdpRecord, out ushort Psm)
    {
        Psm = 0;
        if (ServerSdpRecord.Read<uint>(BTH_SDP_STREAM_RESPONSE_responseSize) < sizeof(ushort))
        {
            return STATUS_DEVICE_DATA_ERROR;
        }

        Psm = 0x1001; // nodeProto0SParam0->u.uint16
        return STATUS_SUCCESS;
    }

    public static void BthEchoCliRemoteConnectCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        NTSTATUS status;
        BRB brb;
        BTHECHO_CONNECTION connection;

        UNREFERENCED_PARAMETER(Target);

        status = Params.IoStatus.Status;

        brb = (BRB)Context!;
        connection = (BTHECHO_CONNECTION)brb.ClientContext!;

        if (NT_SUCCESS(status))
        {
            connection.ChannelHandle = brb.ChannelHandle;
            connection.RemoteAddress = brb.BtAddress;
            connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateConnected;
        }
        else
        {
            connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateConnectFailed;
        }

        WdfRequestComplete(Request, status);
    }

    public static NTSTATUS BthEchoCliOpenRemoteConnection(BTHECHOSAMPLE_CLIENT_CONTEXT DevCtx, WDFREQUEST Request)
    {
        NTSTATUS status;
        BRB brb;
        BTHECHO_CONNECTION? connection = null;

        status = BthEchoConnectionObjectCreate(DevCtx.Header, out connection);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        DevCtx.Connection = connection;
        connection!.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateConnecting;

        //
        // Get the BRB from request context and initialize it as
        // BRB_L2CA_OPEN_ENHANCED_CHANNEL BRB
        //
        brb = GetRequestContext(Request);
        BthReuseBrb(brb, BRB_L2CA_OPEN_ENHANCED_CHANNEL);

        brb.ClientContext = connection;
        brb.BtAddress = DevCtx.ServerBthAddress;
        brb.Psm = DevCtx.ServerPsm;

        status = BthEchoSharedSendBrbAsync(DevCtx.Header.IoTarget, Request, brb, SIZEOF_BRB, BthEchoCliRemoteConnectCompletion, brb);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            if (connection != null)
            {
                connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateConnectFailed;
            }
        }

        return status;
    }

    // ---- clisrv.c -------------------------------------------------------------------------------------------------

    public static NTSTATUS BthEchoSharedDeviceContextHeaderInit(BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER Header, WDFDEVICE Device)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;

        Header.Device = Device;

        Header.IoTarget = WdfDeviceGetIoTarget(Device);

        //
        // Initialize request object
        //
        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;

        status = WdfRequestCreate(attributes, Header.IoTarget, out Header.Request);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

    exit:
        return status;
    }

    public static NTSTATUS BthEchoSharedRetrieveLocalInfo(BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr)
    {
        NTSTATUS status = STATUS_SUCCESS;
        BRB? brb = null;

        brb = BthAllocateBrb(BRB_HCI_GET_LOCAL_BD_ADDR, POOLTAG_BTHECHOSAMPLE);
        if (brb == null)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto exit;
        }

        status = BthEchoSharedSendBrbSynchronously(DevCtxHdr.IoTarget, DevCtxHdr.Request, brb, SIZEOF_BRB);
        if (!NT_SUCCESS(status))
        {
            goto exit1;
        }

        DevCtxHdr.LocalBthAddr = brb.BtAddress;

    exit1:
        BthFreeBrb(brb!);
    exit:
        return status;
    }

    public static NTSTATUS BthEchoSharedSendBrbAsync(WDFIOTARGET IoTarget, WDFREQUEST Request, BRB Brb, nuint BrbSize,
        EVT_WDF_REQUEST_COMPLETION_ROUTINE ComplRoutine, object? Context)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDFMEMORY memoryArg1 = default;

        if (BrbSize <= 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto exit;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Request;

        status = WdfMemoryCreatePreallocated(attributes, Brb.Block, BrbSize, out memoryArg1);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = WdfIoTargetFormatRequestForInternalIoctl(IoTarget, Request, IOCTL_INTERNAL_BTH_SUBMIT_BRB, memoryArg1, null, default, null);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        WdfRequestSetCompletionRoutine(Request, ComplRoutine, Context);

        if (FALSE == WdfRequestSend(Request, IoTarget, null))
        {
            status = WdfRequestGetStatus(Request);
            goto exit;
        }

    exit:
        return status;
    }

    public static NTSTATUS BthEchoSharedSendBrbSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, BRB Brb, uint BrbSize)
    {
        NTSTATUS status;
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        WDF_MEMORY_DESCRIPTOR OtherArg1Desc;

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_NOT_SUPPORTED);
        status = WdfRequestReuse(Request, reuseParams);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out OtherArg1Desc, Brb.Block, BrbSize);

        status = WdfIoTargetSendInternalIoctlSynchronously(IoTarget, Request, IOCTL_INTERNAL_BTH_SUBMIT_BRB, OtherArg1Desc, null, null, NULL);

    exit:
        return status;
    }

    // ---- connection.c ---------------------------------------------------------------------------------------------

    public static void BthEchoRepeatReaderResubmitReadDpc(WDFDPC Dpc)
    {
        REPEAT_READER_DPC_CONTEXT context = GetDpcContext(Dpc);

        if (context.DevCtxHdr != null && context.RepeatReader != null)
        {
            BthEchoRepeatReaderSubmit(context.DevCtxHdr, context.RepeatReader);
        }
    }

    public static void BthEchoRepeatReaderPendingReadCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        BTHECHO_REPEAT_READER repeatReader;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Request);

        repeatReader = (BTHECHO_REPEAT_READER)Context!;

        status = Params.IoStatus.Status;

        if (NT_SUCCESS(status))
        {
            BthEchoCliConnectionObjectContReaderReadComplete(repeatReader.Connection, repeatReader.TransferBrb.Buffer,
                repeatReader.TransferBrb.BufferSize);
        }

        if (!NT_SUCCESS(status))
        {
            KeSetEvent(repeatReader.StopEvent);
        }
        else
        {
            WdfDpcEnqueue(repeatReader.ResubmitDpc); // KeInsertQueueDpc(&repeatReader->ResubmitDpc, repeatReader, NULL)
        }
    }

    public static void BthEchoRepeatReaderUninitialize(BTHECHO_REPEAT_READER RepeatReader)
    {
        if (default != RepeatReader.RequestPendingRead)
        {
            //
            // Request need not be deleted since it is parented to connection object
            //
            RepeatReader.RequestPendingRead = default;
            RepeatReader.Stopping = 0;
        }

        BthFreeBrb(RepeatReader.TransferBrb);
    }

    public static NTSTATUS BthEchoRepeatReaderInitialize(BTHECHO_CONNECTION Connection, BTHECHO_REPEAT_READER RepeatReader, nuint BufferSize)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDF_DPC_CONFIG dpcConfig;

        //
        // Create request object for pending read
        // Set connection object as the parent for the request
        //
        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Connection.DevCtxHdr.Device; // WdfObjectContextGetObject(Connection)

        status = WdfRequestCreate(attributes, Connection.DevCtxHdr.IoTarget, out RepeatReader.RequestPendingRead);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        if (BufferSize <= 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto exit;
        }

        //
        // Create memory object for the pending read
        //
        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = RepeatReader.RequestPendingRead;

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, POOLTAG_BTHECHOSAMPLE, BufferSize, out RepeatReader.MemoryPendingRead, NULL);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        //
        // Initialize Dpc that we will use for resubmitting pending read
        //
        WDF_DPC_CONFIG_INIT(out dpcConfig, BthEchoRepeatReaderResubmitReadDpc);
        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<REPEAT_READER_DPC_CONTEXT>(out attributes);
        attributes.ParentObject = Connection.DevCtxHdr.Device;

        status = WdfDpcCreate(dpcConfig, attributes, out RepeatReader.ResubmitDpc);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        GetDpcContext(RepeatReader.ResubmitDpc).DevCtxHdr = Connection.DevCtxHdr;
        GetDpcContext(RepeatReader.ResubmitDpc).RepeatReader = RepeatReader;

        KeSetEvent(RepeatReader.StopEvent); // KeInitializeEvent(&RepeatReader->StopEvent, NotificationEvent, TRUE)

        RepeatReader.Connection = Connection;

    exit:
        if (!NT_SUCCESS(status))
        {
            BthEchoRepeatReaderUninitialize(RepeatReader);
        }

        return status;
    }

    public static NTSTATUS BthEchoRepeatReaderSubmit(BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr, BTHECHO_REPEAT_READER RepeatReader)
    {
        NTSTATUS status, statusReuse;
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        BRB? brb = RepeatReader.TransferBrb;

        BthReuseBrb(brb, BRB_L2CA_ACL_TRANSFER);

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_UNSUCCESSFUL);
        statusReuse = WdfRequestReuse(RepeatReader.RequestPendingRead, reuseParams);
        UNREFERENCED_PARAMETER(statusReuse);

        //
        // Check if we are stopping, if yes set StopEvent and exit.
        //
        if (RepeatReader.Stopping != 0)
        {
            KeSetEvent(RepeatReader.StopEvent);
            status = STATUS_SUCCESS;
            goto exit;
        }

        //
        // Format request for L2CA IN transfer
        //
        status = BthEchoConnectionObjectFormatRequestForL2CaTransfer(RepeatReader.Connection, RepeatReader.RequestPendingRead,
            ref brb, RepeatReader.MemoryPendingRead, ACL_TRANSFER_DIRECTION_IN | ACL_SHORT_TRANSFER_OK);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        //
        // Set a CompletionRoutine callback function.
        //
        WdfRequestSetCompletionRoutine(RepeatReader.RequestPendingRead, BthEchoRepeatReaderPendingReadCompletion, RepeatReader);

        //
        // Clear the stop event before sending the request
        //
        KeClearEvent(RepeatReader.StopEvent);

        if (FALSE == WdfRequestSend(RepeatReader.RequestPendingRead, DevCtxHdr.IoTarget, null))
        {
            status = WdfRequestGetStatus(RepeatReader.RequestPendingRead);
            goto exit;
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            //
            // Set the stop event because we are not submitting the request
            //
            KeSetEvent(RepeatReader.StopEvent);
        }

        return status;
    }

    public static void BthEchoRepeatReaderCancel(BTHECHO_REPEAT_READER RepeatReader)
    {
        RepeatReader.Stopping++; // InterlockedIncrement(&RepeatReader->Stopping)

        WdfRequestCancelSentRequest(RepeatReader.RequestPendingRead);
    }

    public static NTSTATUS BthEchoConnectionObjectInitializeContinuousReader(BTHECHO_CONNECTION Connection, nuint BufferSize)
    {
        NTSTATUS status = STATUS_SUCCESS;
        int i;

        for (i = 0; i < BTHECHOSAMPLE_NUM_CONTINUOUS_READERS; i++)
        {
            status = BthEchoRepeatReaderInitialize(Connection, Connection.ContinuousReader.RepeatReaders[i], BufferSize);
            if (!NT_SUCCESS(status))
            {
                break;
            }
            else
            {
                ++Connection.ContinuousReader.InitializedReadersCount;
            }
        }

        return status;
    }

    public static NTSTATUS BthEchoConnectionObjectContinuousReaderSubmitReaders(BTHECHO_CONNECTION Connection)
    {
        NTSTATUS status = STATUS_SUCCESS;
        int i;

        for (i = 0; i < Connection.ContinuousReader.InitializedReadersCount; i++)
        {
            status = BthEchoRepeatReaderSubmit(Connection.DevCtxHdr, Connection.ContinuousReader.RepeatReaders[i]);
            if (!NT_SUCCESS(status))
            {
                goto exit;
            }
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            BthEchoConnectionObjectContinuousReaderCancelReaders(Connection);
        }

        return status;
    }

    public static void BthEchoConnectionObjectContinuousReaderCancelReaders(BTHECHO_CONNECTION Connection)
    {
        int i;

        for (i = 0; i < Connection.ContinuousReader.InitializedReadersCount; i++)
        {
            BthEchoRepeatReaderCancel(Connection.ContinuousReader.RepeatReaders[i]);
        }
    }

    public static void BthEchoEvtConnectionObjectCleanup(BTHECHO_CONNECTION connection)
    {
        int i;

        for (i = 0; i < connection.ContinuousReader.InitializedReadersCount; i++)
        {
            BTHECHO_REPEAT_READER repeatReader = connection.ContinuousReader.RepeatReaders[i];
            KeWaitForSingleObject(repeatReader.StopEvent);
            BthEchoRepeatReaderUninitialize(repeatReader);
        }

        KeWaitForSingleObject(connection.DisconnectEvent);

        WdfObjectDelete(connection.ConnectDisconnectRequest);
        BthFreeBrb(connection.ConnectDisconnectBrb);
    }

    public static NTSTATUS BthEchoConnectionObjectInit(BTHECHO_CONNECTION connection, BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;

        connection.DevCtxHdr = DevCtxHdr;

        connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateInitialized;

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = DevCtxHdr.Device; // ConnectionObject

        status = WdfSpinLockCreate(attributes, out connection.ConnectionLock);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = WdfRequestCreate(attributes, DevCtxHdr.IoTarget, out connection.ConnectDisconnectRequest);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        KeSetEvent(connection.DisconnectEvent); // KeInitializeEvent(&connection->DisconnectEvent, NotificationEvent, TRUE)

        connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateInitialized;

    exit:
        return status;
    }

    public static NTSTATUS BthEchoConnectionObjectCreate(BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr, out BTHECHO_CONNECTION? ConnectionObject)
    {
        NTSTATUS status;
        BTHECHO_CONNECTION connectionObject = new();

        ConnectionObject = null;

        status = BthEchoConnectionObjectInit(connectionObject, DevCtxHdr);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        ConnectionObject = connectionObject;

    exit:
        return status;
    }

    public static void BthEchoConnectionObjectDisconnectCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        BTHECHO_CONNECTION connection = (BTHECHO_CONNECTION)Context!;

        UNREFERENCED_PARAMETER(Request);
        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Params);

        WdfSpinLockAcquire(connection.ConnectionLock);
        connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateDisconnected;
        WdfSpinLockRelease(connection.ConnectionLock);

        KeSetEvent(connection.DisconnectEvent);
    }

    public static bool BthEchoConnectionObjectRemoteDisconnect(BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr, BTHECHO_CONNECTION Connection)
    {
        BRB disconnectBrb;

        //
        // Cancel continuous readers for the connection
        //
        BthEchoConnectionObjectContinuousReaderCancelReaders(Connection);

        WdfSpinLockAcquire(Connection.ConnectionLock);

        if (Connection.ConnectionState == BTHECHO_CONNECTION_STATE.ConnectionStateConnecting)
        {
            Connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateDisconnecting;
            KeClearEvent(Connection.DisconnectEvent);
            WdfSpinLockRelease(Connection.ConnectionLock);
            return TRUE;
        }
        else if (Connection.ConnectionState != BTHECHO_CONNECTION_STATE.ConnectionStateConnected)
        {
            WdfSpinLockRelease(Connection.ConnectionLock);
            return FALSE;
        }

        Connection.ConnectionState = BTHECHO_CONNECTION_STATE.ConnectionStateDisconnecting;
        WdfSpinLockRelease(Connection.ConnectionLock);

        KeClearEvent(Connection.DisconnectEvent);

        BthReuseBrb(Connection.ConnectDisconnectBrb, BRB_L2CA_CLOSE_CHANNEL);

        disconnectBrb = Connection.ConnectDisconnectBrb;

        disconnectBrb.BtAddress = Connection.RemoteAddress;
        disconnectBrb.ChannelHandle = Connection.ChannelHandle;

        BthEchoSharedSendBrbAsync(DevCtxHdr.IoTarget, Connection.ConnectDisconnectRequest, disconnectBrb, SIZEOF_BRB,
            BthEchoConnectionObjectDisconnectCompletion, Connection);

        return TRUE;
    }

    public static void BthEchoConnectionObjectRemoteDisconnectSynchronously(BTHECHOSAMPLE_DEVICE_CONTEXT_HEADER DevCtxHdr, BTHECHO_CONNECTION Connection)
    {
        PAGED_CODE();

        BthEchoConnectionObjectRemoteDisconnect(DevCtxHdr, Connection);

        KeWaitForSingleObject(Connection.DisconnectEvent);
    }

    public static NTSTATUS FormatRequestWithBrb(WDFIOTARGET IoTarget, WDFREQUEST Request, BRB Brb, nuint BrbSize)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDFMEMORY memoryArg1 = default;

        if (BrbSize <= 0)
        {
            status = STATUS_INVALID_PARAMETER;
            goto exit;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Request;

        status = WdfMemoryCreatePreallocated(attributes, Brb.Block, BrbSize, out memoryArg1);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = WdfIoTargetFormatRequestForInternalIoctl(IoTarget, Request, IOCTL_INTERNAL_BTH_SUBMIT_BRB, memoryArg1, null, default, null);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

    exit:
        return status;
    }

    public static NTSTATUS BthEchoConnectionObjectFormatRequestForL2CaTransfer(BTHECHO_CONNECTION Connection, WDFREQUEST Request,
        ref BRB? Brb, WDFMEMORY Memory, uint TransferFlags)
    {
        NTSTATUS status = STATUS_SUCCESS;
        BRB? brb = null;
        nuint bufferSize;
        bool brbAllocatedLocally = FALSE; //whether this function allocated the BRB

        WdfSpinLockAcquire(Connection.ConnectionLock);

        if (Connection.ConnectionState != BTHECHO_CONNECTION_STATE.ConnectionStateConnected)
        {
            status = STATUS_CONNECTION_DISCONNECTED;
            WdfSpinLockRelease(Connection.ConnectionLock);
            goto exit;
        }

        WdfSpinLockRelease(Connection.ConnectionLock);

        if (null == Brb)
        {
            brb = BthAllocateBrb(BRB_L2CA_ACL_TRANSFER, POOLTAG_BTHECHOSAMPLE);
            if (brb == null)
            {
                status = STATUS_INSUFFICIENT_RESOURCES;
                goto exit;
            }
            else
            {
                brbAllocatedLocally = TRUE;
            }
        }
        else
        {
            brb = Brb;
            BthReuseBrb(brb, BRB_L2CA_ACL_TRANSFER);
        }

        brb.BtAddress = Connection.RemoteAddress;
        brb.Buffer = WdfMemoryGetBuffer(Memory, out bufferSize);

        if (bufferSize > uint.MaxValue)
        {
            status = STATUS_BUFFER_OVERFLOW;
            goto exit;
        }

        brb.BufferSize = (uint)bufferSize;
        brb.ChannelHandle = Connection.ChannelHandle;
        brb.TransferFlags = TransferFlags;

        status = FormatRequestWithBrb(Connection.DevCtxHdr.IoTarget, Request, brb, SIZEOF_BRB);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        if (null == Brb)
        {
            Brb = brb;
        }

    exit:
        if (!NT_SUCCESS(status) && brb != null && brbAllocatedLocally)
        {
            BthFreeBrb(brb);
        }

        return status;
    }

    /// <summary>The client's read-complete callback of the continuous reader (the client never starts one; the server's
    /// BthEchoSrvConnectionObjectContReaderReadCompletedCallback echoes the data back): here it only checks the length.</summary>
    public static void BthEchoCliConnectionObjectContReaderReadComplete(BTHECHO_CONNECTION Connection, PVOID Buffer, uint BufferSize)
    {
        UNREFERENCED_PARAMETER(Connection);
        UNREFERENCED_PARAMETER(Buffer);
        UNREFERENCED_PARAMETER(BufferSize);
    }

    // ---- bthport stand-in (the profile driver interface) and ntoskrnl stand-ins (KEVENT, RtlULongAdd) --------------

    public static BRB? BthAllocateBrb(int BrbType, uint PoolTag)
    {
        PVOID block = ExAllocatePool2(POOL_FLAG_NON_PAGED, SIZEOF_BRB, PoolTag);
        if (block == NULL)
        {
            return null;
        }

        return new BRB { Block = block, Type = BrbType };
    }

    public static void BthReuseBrb(BRB Brb, int BrbType)
    {
        if (Brb.Block == NULL)
        {
            Brb.Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, SIZEOF_BRB, POOLTAG_BTHECHOSAMPLE);
        }
        else
        {
            RtlZeroMemory(Brb.Block, SIZEOF_BRB);
        }

        Brb.Type = BrbType;
        Brb.ClientContext = null;
        Brb.Buffer = NULL;
        Brb.BufferSize = 0;
    }

    public static void BthFreeBrb(BRB Brb)
    {
        if (Brb.Block != NULL)
        {
            ExFreePoolWithTag(Brb.Block, POOLTAG_BTHECHOSAMPLE);
            Brb.Block = NULL;
        }
    }

    public sealed class KEVENT
    {
        public bool Signaled;
    }

    public static void KeSetEvent(KEVENT Event) => Event.Signaled = true;

    public static void KeClearEvent(KEVENT Event) => Event.Signaled = false;

    /// <summary>The host completes what it was sent before the test goes on: an unsignaled event here is a hang in C.</summary>
    public static void KeWaitForSingleObject(KEVENT Event)
    {
        if (!Event.Signaled)
        {
            throw new InvalidOperationException("KeWaitForSingleObject would wait forever");
        }
    }

    public static NTSTATUS RtlULongAdd(uint Augend, uint Addend, out uint Result)
    {
        ulong sum = (ulong)Augend + Addend;
        Result = sum > uint.MaxValue ? uint.MaxValue : (uint)sum;
        return sum > uint.MaxValue ? STATUS_INTEGER_OVERFLOW : STATUS_SUCCESS;
    }
}
