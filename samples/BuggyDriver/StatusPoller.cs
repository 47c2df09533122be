using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace BuggyDriver;

/// <summary>Reads the lower device's status with a request of the driver's own, twice, synchronously.</summary>
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

        WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            WdfIoTargetFormatRequestForRead(target, poll, memory, null, null); // BUG DRV011: the second pass formats the request again without WdfRequestReuse
            WdfRequestSend(poll, target, options);
        }

        status = WdfRequestGetStatus(poll);
        WdfRequestComplete(poll, status); // BUG DRV013: the driver created this request; delete it with WdfObjectDelete
        WdfObjectDelete(memory);
        return status;
    }
}
