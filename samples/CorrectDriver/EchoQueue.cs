using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace CorrectDriver;

/// <summary>The default queue's callbacks of the echo device.</summary>
public static class EchoQueue
{
    // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 + n, METHOD_BUFFERED, FILE_ANY_ACCESS)
    public const uint IOCTL_ECHO = 0x222000;
    public const uint IOCTL_ECHO_GET_COUNT = 0x222004;
    public const uint IOCTL_ECHO_GET_STATISTICS = 0x222008;
    public const uint IOCTL_ECHO_RESET = 0x22200C;
    public const uint IOCTL_ECHO_GET_FIRST_WORD = 0x222010;
    public const uint IOCTL_ECHO_RECORD_NAME = 0x222014;
    public const uint IOCTL_ECHO_SEND_SCRATCH = 0x222018;
    public const uint IOCTL_ECHO_POLL_STATUS = 0x22201C;
    public const uint IOCTL_ECHO_RETARGET_SCRATCH = 0x222020;

    // The echo for large transfers: CTL_CODE(FILE_DEVICE_UNKNOWN, 0x809, METHOD_OUT_DIRECT, FILE_ANY_ACCESS), the
    // output buffer locked behind an MDL.
    public const uint IOCTL_ECHO_DIRECT = 0x222026;

    // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x80A, METHOD_BUFFERED, FILE_ANY_ACCESS): stamps the request count.
    public const uint IOCTL_ECHO_STAMP = 0x222028;

    // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x80B, METHOD_OUT_DIRECT, FILE_ANY_ACCESS): the byte sum of the input (in the
    // system buffer), as a ULONG in the output (locked behind an MDL).
    public const uint IOCTL_ECHO_CHECKSUM = 0x22202E;

    // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x80C, METHOD_BUFFERED, FILE_ANY_ACCESS): the length of the driver's service key.
    public const uint IOCTL_ECHO_GET_SERVICE_KEY_LENGTH = 0x222030;

    private static int readRetries = 1;

    /// <summary>EvtIoRead: forwards the read to the lower driver with a request of our own.</summary>
    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var forward);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForRead(target, forward, memory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(forward);
            WdfRequestComplete(Request, status);
            return;
        }

        // The original request travels as the completion context.
        WdfRequestSetCompletionRoutine(forward, OnReadForwarded, Request);
        if (!WdfRequestSend(forward, target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(forward);
            WdfObjectDelete(forward);
            WdfRequestComplete(Request, status);
        }
    }

    /// <summary>The completion routine of the forwarded read: retries once when the device is busy, then completes the original.</summary>
    private static void OnReadForwarded(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        var original = (WDFREQUEST)Context!;
        if (Params.IoStatus.Status == STATUS_DEVICE_BUSY && readRetries-- > 0)
        {
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(Request, reuse);
            WdfIoTargetFormatRequestForRead(Target, Request, Params.Parameters.Read.Buffer, null, null);
            // WdfRequestReuse cleared the completion routine: set it again before sending.
            WdfRequestSetCompletionRoutine(Request, OnReadForwarded, original);
            if (WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
            {
                return;
            }
        }

        var status = Params.IoStatus.Status;
        var information = Params.IoStatus.Information;

        // Our request holds a reference on the original's memory until it is reused or deleted: delete it first.
        WdfObjectDelete(Request);
        WdfRequestCompleteWithInformation(original, status, information);
    }

    /// <summary>EvtIoWrite: the write arrives by direct I/O; the driver reads the user's bytes through the MDL.</summary>
    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        if (Length == 0)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
            return;
        }

        var status = WdfRequestRetrieveInputWdmMdl(Request, out var mdl);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        var data = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
        if (data == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        // Keep the start of the write in the device's history buffer, when it has one.
        if (EchoDevice.History != NULL)
        {
            RtlCopyMemory(EchoDevice.History, data, Length < EchoDevice.HistorySize ? Length : EchoDevice.HistorySize);
        }

        EchoDevice.RequestCount++;
        WriteLog.Record(Length);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
    }

    /// <summary>EvtIoDeviceControl: echo, counters and statistics, and the device's maintenance commands.</summary>
    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        switch (IoControlCode)
        {
            case IOCTL_ECHO:
            case IOCTL_ECHO_DIRECT:
            {
                status = WdfRequestRetrieveInputBuffer(Request, 1, out var input, out var inputLength);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var output, out var outputLength);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                // Echo what fits, and report what was copied.
                var copied = inputLength < outputLength ? inputLength : outputLength;
                RtlCopyMemory(output, input, copied);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, copied);
                return;
            }

            case IOCTL_ECHO_GET_COUNT:
            {
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out var output, out _);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                // Fill the buffer first: completing the request ends it.
                output.Write<uint>(0, EchoDevice.RequestCount);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
                return;
            }

            case IOCTL_ECHO_GET_STATISTICS:
            {
                if (OutputBufferLength < EchoDevice.StatisticsSize)
                {
                    WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL);
                    return;
                }

                status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                status = WdfMemoryCopyFromBuffer(memory, 0, EchoDevice.Statistics, EchoDevice.StatisticsSize);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, EchoDevice.StatisticsSize);
                return;
            }

            case IOCTL_ECHO_RESET:
            {
                if (InputBufferLength != 0)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                    return;
                }

                EchoDevice.RequestCount = 0;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                return;
            }

            case IOCTL_ECHO_GET_FIRST_WORD:
            {
                status = WdfRequestRetrieveInputBuffer(Request, sizeof(uint), out var input, out _);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                var word = input.Read<uint>(0);
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out var output, out _);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                output.Write<uint>(0, word);
                // The answer may wait for the device: cancelable meanwhile, unmarked before it is completed (when the
                // unmark returns STATUS_CANCELLED the cancel routine completes it).
                WdfRequestMarkCancelable(Request, EvtRequestCancel);
                if (WdfRequestUnmarkCancelable(Request) != STATUS_CANCELLED)
                {
                    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
                }

                return;
            }

            case IOCTL_ECHO_RECORD_NAME:
            {
                EchoDevice.RecordName();
                WdfRequestComplete(Request, STATUS_SUCCESS);
                return;
            }

            case IOCTL_ECHO_SEND_SCRATCH:
            {
                RawAccess.SendScratch(WdfIoQueueGetDevice(Queue));
                WdfRequestComplete(Request, STATUS_SUCCESS);
                return;
            }

            case IOCTL_ECHO_POLL_STATUS:
            {
                status = StatusPoller.PollDeviceStatus(WdfIoQueueGetDevice(Queue));
                WdfRequestComplete(Request, status);
                return;
            }

            case IOCTL_ECHO_RETARGET_SCRATCH:
            {
                status = RawAccess.RetargetScratch(EchoDevice.Table, EchoDevice.Statistics);
                WdfRequestComplete(Request, status);
                return;
            }

            case IOCTL_ECHO_STAMP:
            {
                status = EchoDevice.Stamp();
                WdfRequestComplete(Request, status);
                return;
            }

            case IOCTL_ECHO_CHECKSUM:
            {
                status = WdfRequestRetrieveInputBuffer(Request, 1, out var input, out var inputLength);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out var output, out _);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                uint sum = 0;
                // Only the input's own bytes: the output may be longer.
                for (nuint i = 0; i < inputLength; i++)
                {
                    sum += input.Read<byte>(i);
                }

                output.Write<uint>(0, sum);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
                return;
            }

            case IOCTL_ECHO_GET_SERVICE_KEY_LENGTH:
            {
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(ushort), out var output, out _);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                output.Write<ushort>(0, EchoDriver.ServiceKey.Length);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(ushort));
                return;
            }

            default:
            {
                // Read what is needed before completing: the request ends there.
                lastInformation = WdfRequestGetInformation(Request);
                WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
                return;
            }
        }
    }

    private static nuint lastInformation;

    /// <summary>The cancel routine of a cancelable IOCTL: completes it as canceled.</summary>
    private static void EvtRequestCancel(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
}
