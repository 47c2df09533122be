// BUGGY variant of VirtualSerial2.cs (same port, same sources and translation notes below) with bugs of the
// kinds issue 11 lists, each marked on the line the finding belongs to. EvtIoWrite keeps the shipped code's
// failure paths, which return without completing the request.
// Port of the shipped virtual serial port driver (microsoft/Windows-driver-samples, serial/VirtualSerial2):
// driver.c (DriverEntry, EvtDeviceAdd), device.c (DeviceCreate, DeviceConfigure, the register accessors),
// queue.c (QueueCreate, RequestCopyFromBuffer/RequestCopyToBuffer, EvtIoDeviceControl, EvtIoWrite, EvtIoRead,
// QueueProcessWriteBytes with its AT-command echo, QueueProcessGetLineControl/SetLineControl) and ringbuffer.c;
// IOCTL_SERIAL_SET_CHARS/GET_CHARS (which VirtualSerial2 accepts and ignores) as serial/serial's ioctl.c handles them,
// the special characters kept in the device context (without the interrupt synchronization).
// Mechanical translation per API.md; where the API differs:
//   * a C array or register embedded in a context whose address is taken (QUEUE_CONTEXT.Buffer[DATA_BUFFER_SIZE],
//     DEVICE_CONTEXT.ModemControlRegister, ...) is a LOCAL_BUFFER field of the context class: storage with an
//     address that lives as long as the context; a local struct passed by address (SERIAL_BAUD_RATE, SERIAL_TIMEOUTS,
//     SERIAL_LINE_CONTROL, the echoed character and strings) is a LOCAL_BUFFER local; the framework zero-fills a
//     context, so DeviceCreate zeroes the LOCAL_BUFFER fields (they start uninitialised);
//   * PVOID has no pointer comparison or difference: RING_BUFFER keeps Head and Tail as offsets from Base;
//   * the InterlockedCompareExchange loop on the line control register is a plain read-modify-write.
// Fixed against the shipped code: EvtIoWrite returns without completing the request when
// WdfRequestRetrieveInputMemory or QueueProcessWriteBytes fails (the request is never completed); this port
// completes it with the failure. The buggy variant keeps the shipped lines.
// Left out: WPP tracing, the symbolic link, the COM port name in the registry and the SERIALCOMM device map
// (DeviceGetPdoName, DeviceWriteLegacyHardwareKey, EvtDeviceCleanup), the _FAKE_MODEM interface choice.
using System.Runtime.InteropServices;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class VirtualSerial2Buggy
{
    public const int DATA_BUFFER_SIZE = 1024;
    public const byte COMMAND_MATCH_STATE_IDLE = 0;
    public const byte COMMAND_MATCH_STATE_GOT_A = 1;
    public const byte COMMAND_MATCH_STATE_GOT_T = 2;
    public const uint MAXULONG = 0xffffffff;

    public const uint FILE_DEVICE_SERIAL_PORT = 0x1b;
    public const uint IOCTL_SERIAL_SET_BAUD_RATE = (FILE_DEVICE_SERIAL_PORT << 16) | (1 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_QUEUE_SIZE = (FILE_DEVICE_SERIAL_PORT << 16) | (2 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_LINE_CONTROL = (FILE_DEVICE_SERIAL_PORT << 16) | (3 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_TIMEOUTS = (FILE_DEVICE_SERIAL_PORT << 16) | (7 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_GET_TIMEOUTS = (FILE_DEVICE_SERIAL_PORT << 16) | (8 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_DTR = (FILE_DEVICE_SERIAL_PORT << 16) | (9 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_RESET_DEVICE = (FILE_DEVICE_SERIAL_PORT << 16) | (11 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_RTS = (FILE_DEVICE_SERIAL_PORT << 16) | (12 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_CLR_RTS = (FILE_DEVICE_SERIAL_PORT << 16) | (13 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_XOFF = (FILE_DEVICE_SERIAL_PORT << 16) | (14 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_XON = (FILE_DEVICE_SERIAL_PORT << 16) | (15 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_WAIT_MASK = (FILE_DEVICE_SERIAL_PORT << 16) | (17 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_WAIT_ON_MASK = (FILE_DEVICE_SERIAL_PORT << 16) | (18 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_GET_BAUD_RATE = (FILE_DEVICE_SERIAL_PORT << 16) | (20 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_GET_LINE_CONTROL = (FILE_DEVICE_SERIAL_PORT << 16) | (21 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_GET_CHARS = (FILE_DEVICE_SERIAL_PORT << 16) | (22 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_CHARS = (FILE_DEVICE_SERIAL_PORT << 16) | (23 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_GET_HANDFLOW = (FILE_DEVICE_SERIAL_PORT << 16) | (24 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_HANDFLOW = (FILE_DEVICE_SERIAL_PORT << 16) | (25 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_GET_MODEM_CONTROL = (FILE_DEVICE_SERIAL_PORT << 16) | (37 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_MODEM_CONTROL = (FILE_DEVICE_SERIAL_PORT << 16) | (38 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SERIAL_SET_FIFO_CONTROL = (FILE_DEVICE_SERIAL_PORT << 16) | (39 << 2) | METHOD_BUFFERED;

    public const byte SERIAL_LCR_BREAK = 0x40;
    public const byte SERIAL_5_DATA = 0x00;
    public const byte SERIAL_6_DATA = 0x01;
    public const byte SERIAL_7_DATA = 0x02;
    public const byte SERIAL_8_DATA = 0x03;
    public const byte SERIAL_DATA_MASK = 0x03;
    public const byte SERIAL_1_STOP = 0x00;
    public const byte SERIAL_1_5_STOP = 0x04;
    public const byte SERIAL_2_STOP = 0x04;
    public const byte SERIAL_NONE_PARITY = 0x00;
    public const byte SERIAL_ODD_PARITY = 0x08;
    public const byte SERIAL_EVEN_PARITY = 0x18;
    public const byte SERIAL_MARK_PARITY = 0x28;
    public const byte SERIAL_SPACE_PARITY = 0x38;
    public const byte SERIAL_PARITY_MASK = 0x38;
    public const byte STOP_BIT_1 = 0;
    public const byte STOP_BITS_1_5 = 1;
    public const byte STOP_BITS_2 = 2;
    public const byte NO_PARITY = 0;
    public const byte ODD_PARITY = 1;
    public const byte EVEN_PARITY = 2;
    public const byte MARK_PARITY = 3;
    public const byte SPACE_PARITY = 4;

    // sizeof(SERIAL_BAUD_RATE), sizeof(SERIAL_TIMEOUTS), sizeof(SERIAL_LINE_CONTROL)
    public const int SERIAL_BAUD_RATE_SIZE = 4;
    public const int SERIAL_TIMEOUTS_SIZE = 20;
    public const int SERIAL_LINE_CONTROL_SIZE = 3;
    public const int SERIAL_CHARS_SIZE = 6;

    public static readonly System.Guid GUID_DEVINTERFACE_COMPORT = new("86e0d1e0-8089-11d0-9ce4-08003e301f73");

    [StructLayout(LayoutKind.Sequential)]
    public struct SERIAL_TIMEOUTS
    {
        public uint ReadIntervalTimeout;
        public uint ReadTotalTimeoutMultiplier;
        public uint ReadTotalTimeoutConstant;
        public uint WriteTotalTimeoutMultiplier;
        public uint WriteTotalTimeoutConstant;
    }

    public sealed class DEVICE_CONTEXT
    {
        public WDFDEVICE Device;
        public uint BaudRate;
        public readonly LOCAL_BUFFER ModemControlRegister = new(sizeof(uint));
        public readonly LOCAL_BUFFER FifoControlRegister = new(sizeof(uint));
        public readonly LOCAL_BUFFER LineControlRegister = new(sizeof(uint));
        public byte ValidDataMask;
        public SERIAL_TIMEOUTS Timeouts;
        public readonly LOCAL_BUFFER SpecialChars = new(SERIAL_CHARS_SIZE);
    }

    public sealed class RING_BUFFER
    {
        public nuint Size;
        public PVOID Base;
        public nuint Head;
        public nuint Tail;
    }

    public sealed class QUEUE_CONTEXT
    {
        public byte CommandMatchState;
        public bool ConnectCommand;
        public bool IgnoreNextChar;
        public bool ConnectionStateChanged;
        public bool CurrentlyConnected;
        public readonly RING_BUFFER RingBuffer = new();
        public readonly LOCAL_BUFFER Buffer = new(DATA_BUFFER_SIZE);
        public WDFQUEUE Queue;
        public WDFQUEUE ReadQueue;
        public WDFQUEUE WaitMaskQueue;
        public DEVICE_CONTEXT DeviceContext = null!;
    }

    public static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(Object);

    public static QUEUE_CONTEXT GetQueueContext(WDFOBJECT Object) => WdfObjectGetTypedContext<QUEUE_CONTEXT>(Object);

    // ---- driver.c --------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status;
        WDF_DRIVER_CONFIG driverConfig;

        WDF_DRIVER_CONFIG_INIT(out driverConfig, EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, driverConfig, WDF_NO_HANDLE);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    public static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;

        status = DeviceCreate(Driver, DeviceInit, out deviceContext);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = DeviceConfigure(deviceContext);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    // ---- device.c --------------------------------------------------------------------------------------------

    public static NTSTATUS DeviceCreate(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit, out DEVICE_CONTEXT DeviceContext)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES deviceAttributes;
        WDFDEVICE device;
        DEVICE_CONTEXT deviceContext;

        UNREFERENCED_PARAMETER(Driver);
        DeviceContext = null!;

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out deviceAttributes);
        deviceAttributes.SynchronizationScope = WdfSynchronizationScopeDevice;

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        deviceContext = GetDeviceContext(device);
        deviceContext.Device = device;

        // The framework zero-fills a context; its LOCAL_BUFFER fields start uninitialised.
        RtlZeroMemory(deviceContext.ModemControlRegister.Address, deviceContext.ModemControlRegister.Size);
        RtlZeroMemory(deviceContext.FifoControlRegister.Address, deviceContext.FifoControlRegister.Size);
        RtlZeroMemory(deviceContext.LineControlRegister.Address, deviceContext.LineControlRegister.Size);
        RtlZeroMemory(deviceContext.SpecialChars.Address, deviceContext.SpecialChars.Size);

        DeviceContext = deviceContext;
        return status;
    }

    public static NTSTATUS DeviceConfigure(DEVICE_CONTEXT DeviceContext)
    {
        NTSTATUS status;
        WDFDEVICE device = DeviceContext.Device;

        status = WdfDeviceCreateDeviceInterface(device, GUID_DEVINTERFACE_COMPORT, null);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = QueueCreate(DeviceContext);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

    Exit:
        return status;
    }

    public static uint GetBaudRate(DEVICE_CONTEXT DeviceContext) => DeviceContext.BaudRate;

    public static void SetBaudRate(DEVICE_CONTEXT DeviceContext, uint BaudRate) => DeviceContext.BaudRate = BaudRate;

    public static PVOID GetModemControlRegisterPtr(DEVICE_CONTEXT DeviceContext) => DeviceContext.ModemControlRegister.Address;

    public static PVOID GetFifoControlRegisterPtr(DEVICE_CONTEXT DeviceContext) => DeviceContext.FifoControlRegister.Address;

    public static PVOID GetLineControlRegisterPtr(DEVICE_CONTEXT DeviceContext) => DeviceContext.LineControlRegister.Address;

    public static void SetValidDataMask(DEVICE_CONTEXT DeviceContext, byte Mask) => DeviceContext.ValidDataMask = Mask;

    public static void SetTimeouts(DEVICE_CONTEXT DeviceContext, SERIAL_TIMEOUTS Timeouts) => DeviceContext.Timeouts = Timeouts;

    // ---- queue.c ---------------------------------------------------------------------------------------------

    public static NTSTATUS QueueCreate(DEVICE_CONTEXT DeviceContext)
    {
        NTSTATUS status;
        WDFDEVICE device = DeviceContext.Device;
        WDF_IO_QUEUE_CONFIG queueConfig;
        WDF_OBJECT_ATTRIBUTES queueAttributes;
        WDFQUEUE queue;
        QUEUE_CONTEXT queueContext;

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out queueConfig, WdfIoQueueDispatchParallel);

        queueConfig.EvtIoRead = EvtIoRead;
        queueConfig.EvtIoWrite = EvtIoWrite;
        queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<QUEUE_CONTEXT>(out queueAttributes);

        status = WdfIoQueueCreate(device, queueConfig, queueAttributes, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        queueContext = GetQueueContext(queue);
        queueContext.Queue = queue;
        queueContext.DeviceContext = DeviceContext;

        WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchManual);

        status = WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        queueContext.ReadQueue = queue;

        WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchManual);

        status = WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        queueContext.WaitMaskQueue = queue;

        RingBufferInitialize(queueContext.RingBuffer, queueContext.Buffer.Address, queueContext.Buffer.Size);

        return status;
    }

    public static NTSTATUS RequestCopyFromBuffer(WDFREQUEST Request, PVOID SourceBuffer, nuint NumBytesToCopyFrom)
    {
        NTSTATUS status;
        WDFMEMORY memory;

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
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

    public static NTSTATUS RequestCopyToBuffer(WDFREQUEST Request, PVOID DestinationBuffer, nuint NumBytesToCopyTo)
    {
        NTSTATUS status;
        WDFMEMORY memory;

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfMemoryCopyToBuffer(memory, 0, DestinationBuffer, NumBytesToCopyTo); // BUG DRV021: a too-short input fails the copy, and the caller is told it succeeded

        return status;
    }

    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        QUEUE_CONTEXT queueContext = GetQueueContext(Queue);
        DEVICE_CONTEXT deviceContext = queueContext.DeviceContext;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);

        switch (IoControlCode)
        {
            case IOCTL_SERIAL_SET_BAUD_RATE:
            {
                using var baudRateBuffer = new LOCAL_BUFFER(SERIAL_BAUD_RATE_SIZE);
                RtlZeroMemory(baudRateBuffer.Address, baudRateBuffer.Size);

                status = RequestCopyToBuffer(Request, baudRateBuffer.Address, baudRateBuffer.Size);
                if (NT_SUCCESS(status))
                {
                    SetBaudRate(deviceContext, baudRateBuffer.Address.Read<uint>(0));
                }

                break;
            }

            case IOCTL_SERIAL_GET_BAUD_RATE:
            {
                using var baudRateBuffer = new LOCAL_BUFFER(SERIAL_BAUD_RATE_SIZE);
                RtlZeroMemory(baudRateBuffer.Address, baudRateBuffer.Size);

                baudRateBuffer.Address.Write<uint>(0, GetBaudRate(deviceContext));

                status = RequestCopyFromBuffer(Request, baudRateBuffer.Address, baudRateBuffer.Size);
                break;
            }

            case IOCTL_SERIAL_SET_MODEM_CONTROL:
            {
                PVOID modemControlRegister = GetModemControlRegisterPtr(deviceContext);

                status = RequestCopyToBuffer(Request, modemControlRegister, sizeof(uint));
                break;
            }

            case IOCTL_SERIAL_GET_MODEM_CONTROL:
            {
                PVOID modemControlRegister = GetModemControlRegisterPtr(deviceContext);

                status = RequestCopyFromBuffer(Request, modemControlRegister, sizeof(uint));
                break;
            }

            case IOCTL_SERIAL_SET_FIFO_CONTROL:
            {
                PVOID fifoControlRegister = GetFifoControlRegisterPtr(deviceContext);

                status = RequestCopyToBuffer(Request, fifoControlRegister, sizeof(uint));
                break;
            }

            case IOCTL_SERIAL_GET_LINE_CONTROL:
            {
                status = QueueProcessGetLineControl(queueContext, Request);
                break;
            }

            case IOCTL_SERIAL_SET_LINE_CONTROL:
            {
                status = QueueProcessSetLineControl(queueContext, Request);
                break;
            }

            case IOCTL_SERIAL_GET_TIMEOUTS:
            {
                using var timeoutValues = new LOCAL_BUFFER(SERIAL_TIMEOUTS_SIZE);
                RtlZeroMemory(timeoutValues.Address, timeoutValues.Size);

                status = RequestCopyFromBuffer(Request, timeoutValues.Address, timeoutValues.Size);
                break;
            }

            case IOCTL_SERIAL_SET_TIMEOUTS:
            {
                using var timeoutValues = new LOCAL_BUFFER(SERIAL_TIMEOUTS_SIZE);
                RtlZeroMemory(timeoutValues.Address, timeoutValues.Size);

                status = RequestCopyToBuffer(Request, timeoutValues.Address, timeoutValues.Size);

                if (NT_SUCCESS(status))
                {
                    SERIAL_TIMEOUTS timeouts = timeoutValues.Address.Read<SERIAL_TIMEOUTS>(0);

                    if (timeouts.ReadIntervalTimeout == MAXULONG &&
                        timeouts.ReadTotalTimeoutMultiplier == MAXULONG &&
                        timeouts.ReadTotalTimeoutConstant == MAXULONG)
                    {
                        status = STATUS_INVALID_PARAMETER;
                    }
                }

                if (NT_SUCCESS(status))
                {
                    SetTimeouts(deviceContext, timeoutValues.Address.Read<SERIAL_TIMEOUTS>(0));
                }

                break;
            }

            case IOCTL_SERIAL_WAIT_ON_MASK:
            {
                WDFREQUEST savedRequest;

                status = WdfIoQueueRetrieveNextRequest(queueContext.WaitMaskQueue, out savedRequest);

                if (NT_SUCCESS(status))
                {
                    WdfRequestComplete(savedRequest, STATUS_UNSUCCESSFUL);
                }

                status = WdfRequestForwardToIoQueue(Request, queueContext.WaitMaskQueue);

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    break;
                }

                return;
            }

            case IOCTL_SERIAL_SET_WAIT_MASK:
            {
                WDFREQUEST savedRequest;

                status = WdfIoQueueRetrieveNextRequest(queueContext.WaitMaskQueue, out savedRequest);

                if (NT_SUCCESS(status))
                {
                    using var eventMask = new LOCAL_BUFFER(sizeof(uint));
                    eventMask.Address.Write<uint>(0, 0);

                    status = RequestCopyFromBuffer(savedRequest, eventMask.Address, eventMask.Size);

                    WdfRequestComplete(savedRequest, status);
                }

                status = STATUS_SUCCESS;
                break;
            }

            case IOCTL_SERIAL_SET_CHARS:
            {
                PVOID buffer;
                nuint bufSize;

                status = WdfRequestRetrieveInputBuffer(Request, SERIAL_CHARS_SIZE, out buffer, out bufSize);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                RtlCopyMemory(deviceContext.SpecialChars.Address, buffer, bufSize); // BUG DRV020: the caller's length, bounded below by the retrieve but not above, into the 6-byte SERIAL_CHARS of the device context
                break;
            }

            case IOCTL_SERIAL_GET_CHARS:
            {
                PVOID buffer;
                nuint bufSize;

                status = WdfRequestRetrieveOutputBuffer(Request, SERIAL_CHARS_SIZE, out buffer, out bufSize);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                RtlCopyMemory(buffer, deviceContext.SpecialChars.Address, SERIAL_CHARS_SIZE);
                WdfRequestSetInformation(Request, SERIAL_CHARS_SIZE);
                break;
            }

            case IOCTL_SERIAL_SET_QUEUE_SIZE:
            case IOCTL_SERIAL_SET_DTR:
            case IOCTL_SERIAL_SET_RTS:
            case IOCTL_SERIAL_CLR_RTS:
            case IOCTL_SERIAL_SET_XON:
            case IOCTL_SERIAL_SET_XOFF:
            case IOCTL_SERIAL_GET_HANDFLOW:
            case IOCTL_SERIAL_SET_HANDFLOW:
            case IOCTL_SERIAL_RESET_DEVICE:
                status = STATUS_SUCCESS;
                break;

            default:
                status = STATUS_INVALID_PARAMETER;
                break;
        }

        WdfRequestComplete(Request, status); // BUG DRV002: a WAIT_ON_MASK whose forward failed was completed above and breaks out to here
    }

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) // BUG DRV004: the shipped failure paths below return without completing the request
    {
        NTSTATUS status;
        QUEUE_CONTEXT queueContext = GetQueueContext(Queue);
        WDFMEMORY memory;
        WDFREQUEST savedRequest;
        nuint availableData = 0;

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            return;
        }

        status = QueueProcessWriteBytes(queueContext, WdfMemoryGetBuffer(memory, NULL), Length);
        if (!NT_SUCCESS(status))
        {
            return;
        }

        WdfRequestCompleteWithInformation(Request, status, Length);

        RingBufferGetAvailableData(queueContext.RingBuffer, out availableData);

        if (availableData == 0)
        {
            return;
        }

        for (;;)
        {
            status = WdfIoQueueRetrieveNextRequest(queueContext.ReadQueue, out savedRequest);

            if (!NT_SUCCESS(status))
            {
                break;
            }

            status = WdfRequestForwardToIoQueue(savedRequest, Queue);

            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(savedRequest, status);
            }
        }
    }

    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        QUEUE_CONTEXT queueContext = GetQueueContext(Queue);
        WDFMEMORY memory;
        PVOID buffer;
        nuint bytesCopied = 0;

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        buffer = WdfMemoryGetBuffer(memory, NULL);
        status = RingBufferRead(queueContext.RingBuffer, buffer, Length, out bytesCopied);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        if (bytesCopied > 0)
        {
            WdfRequestCompleteWithInformation(Request, status, bytesCopied);

            // Leave the AT-command state when the application has read the modem's answer.
            if (buffer.Read<byte>(bytesCopied - 1) == '\n') // BUG DRV001: the output buffer belongs to the request completed above
            {
                queueContext.CommandMatchState = COMMAND_MATCH_STATE_IDLE;
            }

            return;
        }
        else
        {
            status = WdfRequestForwardToIoQueue(Request, queueContext.ReadQueue);

            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(Request, status);
            }
        }
    }

    public static NTSTATUS QueueProcessWriteBytes(QUEUE_CONTEXT QueueContext, PVOID Characters, nuint Length)
    {
        NTSTATUS status = STATUS_SUCCESS;

        using var currentCharacter = new LOCAL_BUFFER(1);
        using var connectString = new LOCAL_BUFFER(11);
        using var okString = new LOCAL_BUFFER(6);
        connectString.Address.CopyFrom("\r\nCONNECT\r\n"u8, 0);
        okString.Address.CopyFrom("\r\nOK\r\n"u8, 0);

        for (nuint i = 0; i <= Length; i++)
        {
            byte character = Characters.Read<byte>(i); // BUG DRV024: i reaches Length, one past the write buffer
            currentCharacter.Address.Write<byte>(0, character);

            if (character == '\0')
            {
                continue;
            }

            status = RingBufferWrite(QueueContext.RingBuffer, currentCharacter.Address, sizeof(byte));
            if (!NT_SUCCESS(status))
            {
                return status;
            }

            switch (QueueContext.CommandMatchState)
            {
                case COMMAND_MATCH_STATE_IDLE:
                    if (character == 'a' || character == 'A')
                    {
                        QueueContext.CommandMatchState = COMMAND_MATCH_STATE_GOT_A;
                        QueueContext.ConnectCommand = FALSE;
                        QueueContext.IgnoreNextChar = FALSE;
                    }

                    break;

                case COMMAND_MATCH_STATE_GOT_A:
                    if (character == 't' || character == 'T')
                    {
                        QueueContext.CommandMatchState = COMMAND_MATCH_STATE_GOT_T;
                    }
                    else
                    {
                        QueueContext.CommandMatchState = COMMAND_MATCH_STATE_IDLE;
                    }

                    break;

                case COMMAND_MATCH_STATE_GOT_T:
                    if (!QueueContext.IgnoreNextChar)
                    {
                        if (character == 'A' || character == 'a')
                        {
                            QueueContext.ConnectCommand = TRUE;
                        }

                        if (character == 'D' || character == 'd')
                        {
                            QueueContext.ConnectCommand = TRUE;
                        }
                    }

                    QueueContext.IgnoreNextChar = TRUE;

                    if (character == '\r')
                    {
                        QueueContext.CommandMatchState = COMMAND_MATCH_STATE_IDLE;

                        if (QueueContext.ConnectCommand)
                        {
                            status = RingBufferWrite(QueueContext.RingBuffer, connectString.Address, connectString.Size);
                            if (!NT_SUCCESS(status))
                            {
                                return status;
                            }

                            QueueContext.CurrentlyConnected = TRUE;
                            QueueContext.ConnectionStateChanged = TRUE;
                        }
                        else
                        {
                            status = RingBufferWrite(QueueContext.RingBuffer, okString.Address, okString.Size);
                            if (!NT_SUCCESS(status))
                            {
                                return status;
                            }
                        }
                    }

                    break;

                default:
                    break;
            }
        }

        return status;
    }

    public static NTSTATUS QueueProcessGetLineControl(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;
        uint lineControlSnapshot;
        PVOID lineControlRegister;
        byte wordLength = 0;
        byte parity = 0;
        byte stopBits;

        using var lineControl = new LOCAL_BUFFER(SERIAL_LINE_CONTROL_SIZE);
        RtlZeroMemory(lineControl.Address, lineControl.Size);

        deviceContext = QueueContext.DeviceContext;
        lineControlRegister = GetLineControlRegisterPtr(deviceContext);

        lineControlSnapshot = lineControlRegister.Read<uint>(0);

        if ((lineControlSnapshot & SERIAL_DATA_MASK) == SERIAL_5_DATA)
        {
            wordLength = 5;
        }
        else if ((lineControlSnapshot & SERIAL_DATA_MASK) == SERIAL_6_DATA)
        {
            wordLength = 6;
        }
        else if ((lineControlSnapshot & SERIAL_DATA_MASK) == SERIAL_7_DATA)
        {
            wordLength = 7;
        }
        else if ((lineControlSnapshot & SERIAL_DATA_MASK) == SERIAL_8_DATA)
        {
            wordLength = 8;
        }

        if ((lineControlSnapshot & SERIAL_PARITY_MASK) == SERIAL_NONE_PARITY)
        {
            parity = NO_PARITY;
        }
        else if ((lineControlSnapshot & SERIAL_PARITY_MASK) == SERIAL_ODD_PARITY)
        {
            parity = ODD_PARITY;
        }
        else if ((lineControlSnapshot & SERIAL_PARITY_MASK) == SERIAL_EVEN_PARITY)
        {
            parity = EVEN_PARITY;
        }
        else if ((lineControlSnapshot & SERIAL_PARITY_MASK) == SERIAL_MARK_PARITY)
        {
            parity = MARK_PARITY;
        }
        else if ((lineControlSnapshot & SERIAL_PARITY_MASK) == SERIAL_SPACE_PARITY)
        {
            parity = SPACE_PARITY;
        }

        if ((lineControlSnapshot & SERIAL_2_STOP) != 0)
        {
            stopBits = wordLength == 5 ? STOP_BITS_1_5 : STOP_BITS_2;
        }
        else
        {
            stopBits = STOP_BIT_1;
        }

        // SERIAL_LINE_CONTROL { UCHAR StopBits; UCHAR Parity; UCHAR WordLength; }
        lineControl.Address.Write<byte>(0, stopBits);
        lineControl.Address.Write<byte>(1, parity);
        lineControl.Address.Write<byte>(2, wordLength);

        status = RequestCopyFromBuffer(Request, lineControl.Address, lineControl.Size);

        return status;
    }

    public static NTSTATUS QueueProcessSetLineControl(QUEUE_CONTEXT QueueContext, WDFREQUEST Request)
    {
        NTSTATUS status;
        DEVICE_CONTEXT deviceContext;
        PVOID lineControlRegister;
        byte lineControlData = 0;
        byte lineControlStop = 0;
        byte lineControlParity = 0;
        uint lineControlSnapshot;
        uint lineControlNew;

        using var lineControl = new LOCAL_BUFFER(SERIAL_LINE_CONTROL_SIZE);
        RtlZeroMemory(lineControl.Address, lineControl.Size);

        deviceContext = QueueContext.DeviceContext;
        lineControlRegister = GetLineControlRegisterPtr(deviceContext);

        status = RequestCopyToBuffer(Request, lineControl.Address, lineControl.Size);

        if (NT_SUCCESS(status))
        {
            switch (lineControl.Address.Read<byte>(2))
            {
                case 5:
                    lineControlData = SERIAL_5_DATA;
                    SetValidDataMask(deviceContext, 0x1f);
                    break;
                case 6:
                    lineControlData = SERIAL_6_DATA;
                    SetValidDataMask(deviceContext, 0x3f);
                    break;
                case 7:
                    lineControlData = SERIAL_7_DATA;
                    SetValidDataMask(deviceContext, 0x7f);
                    break;
                case 8:
                    lineControlData = SERIAL_8_DATA;
                    SetValidDataMask(deviceContext, 0xff);
                    break;
                default:
                    status = STATUS_INVALID_PARAMETER;
                    break;
            }
        }

        if (NT_SUCCESS(status))
        {
            switch (lineControl.Address.Read<byte>(0))
            {
                case STOP_BIT_1:
                    lineControlStop = SERIAL_1_STOP;
                    break;
                case STOP_BITS_1_5:
                    if (lineControlData != SERIAL_5_DATA)
                    {
                        status = STATUS_INVALID_PARAMETER;
                        break;
                    }

                    lineControlStop = SERIAL_1_5_STOP;
                    break;
                case STOP_BITS_2:
                    if (lineControlData == SERIAL_5_DATA)
                    {
                        status = STATUS_INVALID_PARAMETER;
                        break;
                    }

                    lineControlStop = SERIAL_2_STOP;
                    break;
                default:
                    status = STATUS_INVALID_PARAMETER;
                    break;
            }
        }

        if (NT_SUCCESS(status))
        {
            switch (lineControl.Address.Read<byte>(1))
            {
                case NO_PARITY:
                    lineControlParity = SERIAL_NONE_PARITY;
                    break;
                case EVEN_PARITY:
                    lineControlParity = SERIAL_EVEN_PARITY;
                    break;
                case ODD_PARITY:
                    lineControlParity = SERIAL_ODD_PARITY;
                    break;
                case SPACE_PARITY:
                    lineControlParity = SERIAL_SPACE_PARITY;
                    break;
                case MARK_PARITY:
                    lineControlParity = SERIAL_MARK_PARITY;
                    break;
                default:
                    status = STATUS_INVALID_PARAMETER;
                    break;
            }
        }

        lineControlSnapshot = lineControlRegister.Read<uint>(0);
        lineControlNew = (lineControlSnapshot & SERIAL_LCR_BREAK) | (uint)(lineControlData | lineControlParity | lineControlStop);
        lineControlRegister.Write<uint>(0, lineControlNew);

        return status;
    }

    // ---- ringbuffer.c ----------------------------------------------------------------------------------------

    public static void RingBufferInitialize(RING_BUFFER Self, PVOID Buffer, nuint BufferSize)
    {
        Self.Size = BufferSize;
        Self.Base = Buffer;
        Self.Head = 0;
        Self.Tail = 0;
    }

    public static void RingBufferGetAvailableSpace(RING_BUFFER Self, out nuint AvailableSpace)
    {
        nuint headSnapshot = Self.Head;
        nuint tailSnapshot = Self.Tail;
        nuint tailPlusOne = tailSnapshot + 1 == Self.Size ? 0 : tailSnapshot + 1;

        if (tailPlusOne == headSnapshot)
        {
            AvailableSpace = 0;
        }
        else if (tailSnapshot == headSnapshot)
        {
            AvailableSpace = Self.Size - 1;
        }
        else if (tailSnapshot > headSnapshot)
        {
            AvailableSpace = Self.Size - (tailSnapshot - headSnapshot) - 1;
        }
        else
        {
            AvailableSpace = headSnapshot - tailSnapshot - 1;
        }
    }

    public static void RingBufferGetAvailableData(RING_BUFFER Self, out nuint AvailableData)
    {
        nuint availableSpace;

        RingBufferGetAvailableSpace(Self, out availableSpace);
        AvailableData = Self.Size - availableSpace - 1;
    }

    public static NTSTATUS RingBufferWrite(RING_BUFFER Self, PVOID Data, nuint DataSize)
    {
        nuint availableSpace;
        nuint bytesToCopy;
        nuint spaceFromCurrToEnd;

        if (Self.Tail >= Self.Size)
        {
            return STATUS_INTERNAL_ERROR;
        }

        RingBufferGetAvailableSpace(Self, out availableSpace);

        if (availableSpace < DataSize)
        {
            bytesToCopy = availableSpace;
        }
        else
        {
            bytesToCopy = DataSize;
        }

        if (bytesToCopy != 0)
        {
            if (Self.Tail + bytesToCopy > Self.Size)
            {
                spaceFromCurrToEnd = Self.Size - Self.Tail;
                RtlCopyMemory(Self.Base + Self.Tail, Data, spaceFromCurrToEnd);
                Data = Data + spaceFromCurrToEnd;
                bytesToCopy -= spaceFromCurrToEnd;
                RtlCopyMemory(Self.Base, Data, bytesToCopy);
                Self.Tail = bytesToCopy;
            }
            else
            {
                RtlCopyMemory(Self.Base + Self.Tail, Data, bytesToCopy);
                Self.Tail += bytesToCopy;
                if (Self.Tail == Self.Size)
                {
                    Self.Tail = 0;
                }
            }
        }

        return STATUS_SUCCESS;
    }

    public static NTSTATUS RingBufferRead(RING_BUFFER Self, PVOID Data, nuint DataSize, out nuint BytesCopied)
    {
        nuint availableData;
        nuint dataFromCurrToEnd;

        BytesCopied = 0;

        if (Self.Head >= Self.Size)
        {
            return STATUS_INTERNAL_ERROR;
        }

        RingBufferGetAvailableData(Self, out availableData);

        if (availableData == 0)
        {
            BytesCopied = 0;
            return STATUS_SUCCESS;
        }

        if (DataSize > availableData)
        {
            DataSize = availableData;
        }

        BytesCopied = DataSize;

        if (Self.Head + DataSize > Self.Size)
        {
            dataFromCurrToEnd = Self.Size - Self.Head;
            RtlCopyMemory(Data, Self.Base + Self.Head, dataFromCurrToEnd);
            Data = Data + dataFromCurrToEnd;
            DataSize -= dataFromCurrToEnd;
            RtlCopyMemory(Data, Self.Base, DataSize);
            Self.Head = DataSize;
        }
        else
        {
            RtlCopyMemory(Data, Self.Base + Self.Head, DataSize);
            Self.Head += DataSize;
            if (Self.Head == Self.Size)
            {
                Self.Head = 0;
            }
        }

        return STATUS_SUCCESS;
    }
}
