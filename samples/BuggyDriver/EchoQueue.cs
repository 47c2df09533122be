using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace BuggyDriver;

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
            if (WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS)) // BUG DRV012: WdfRequestReuse cleared the completion routine; this send has none
            {
                return;
            }
        }

        WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information); // BUG DRV010: our request still references the original's memory; reuse (or delete) it first
        WdfObjectDelete(Request);
    }

    /// <summary>EvtIoWrite: the write arrives by direct I/O; the driver reads the user's bytes through the MDL.</summary>
    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) // BUG DRV004: the zero-length path returns without completing the request
    {
        if (Length == 0)
        {
            return;
        }

        var status = WdfRequestRetrieveInputWdmMdl(Request, out var mdl);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        var data = MmGetSystemAddressForMdl(mdl); // BUG DRV032: obsolete, bug-checks instead of failing; use MmGetSystemAddressForMdlSafe
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

                RtlCopyMemory(output, input, inputLength); // BUG DRV020: copies the input's length into an output buffer that may be shorter
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, inputLength); // BUG DRV023: reports the input's length, more than the output buffer may hold
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

                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
                output.Write<uint>(0, EchoDevice.RequestCount); // BUG DRV001: the output buffer died with the request completed on the line above
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

                WdfMemoryCopyFromBuffer(memory, 0, EchoDevice.Statistics, EchoDevice.StatisticsSize); // BUG DRV021: the copy's status is dropped: had it failed, the request would still report success
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, EchoDevice.StatisticsSize);
                return;
            }

            case IOCTL_ECHO_RESET:
            {
                if (InputBufferLength != 0)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                }

                EchoDevice.RequestCount = 0;
                WdfRequestComplete(Request, STATUS_SUCCESS); // BUG DRV002: the invalid-parameter path above already completed the request (no return)
                return;
            }

            case IOCTL_ECHO_GET_FIRST_WORD:
            {
                status = WdfRequestRetrieveInputBuffer(Request, sizeof(uint), out var input, out _);
                var word = input.Read<uint>(0); // BUG DRV022: the retrieve above may have failed; its status is never checked
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out var output, out _);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                output.Write<uint>(0, word);
                // The answer may wait for the device: cancelable meanwhile.
                WdfRequestMarkCancelable(Request, EvtRequestCancel);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint)); // BUG DRV005: completed while still marked cancelable; the cancel routine may complete it too
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
                status = RawAccess.RetargetScratch(EchoDevice.Table);
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
                for (nuint i = 0; i < OutputBufferLength; i++)
                {
                    sum += input.Read<byte>(i); // BUG DRV024: the loop runs to the output's length, past the end of a shorter input
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
                WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
                lastInformation = WdfRequestGetInformation(Request); // BUG DRV003: the request was completed on the line above
                return;
            }
        }
    }

    private static nuint lastInformation;

    /// <summary>The cancel routine of a cancelable IOCTL: completes it as canceled.</summary>
    private static void EvtRequestCancel(WDFREQUEST Request) => WdfRequestComplete(Request, STATUS_CANCELLED);
}
