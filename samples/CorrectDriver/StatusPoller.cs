using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace CorrectDriver;

/// <summary>Reads the lower device's status with a request of the driver's own, synchronously, retrying once.</summary>
public static class StatusPoller
{
    public const nuint StatusSize = 16;

    public static NTSTATUS PollDeviceStatus(WDFDEVICE Device)
    {
        var target = WdfDeviceGetIoTarget(Device);
        var status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var poll);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, EchoDevice.PoolTag, StatusSize, out var memory, out _);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(poll);
            return status;
        }

        WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS | WDF_REQUEST_SEND_OPTION_TIMEOUT);
        WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(options, WDF_REL_TIMEOUT_IN_SEC(1));
        WdfIoTargetFormatRequestForRead(target, poll, memory, null, null);
        if (!WdfRequestSend(poll, target, options) || !NT_SUCCESS(WdfRequestGetStatus(poll)))
        {
            // One retry: a driver-created request is reused before it is formatted again.
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(poll, reuse);
            WdfIoTargetFormatRequestForRead(target, poll, memory, null, null);
            WdfRequestSend(poll, target, options);
        }

        status = WdfRequestGetStatus(poll);

        // The driver created this request: it deletes it, never completes it.
        WdfObjectDelete(poll);
        WdfObjectDelete(memory);
        return status;
    }
}
