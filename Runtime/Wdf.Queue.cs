using DriverBuffers.Framework;
using DriverBuffers.Requests;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Queues and devices.</summary>
public static partial class Wdf
{
    /// <summary>The device a queue belongs to.</summary>
    public static WDFDEVICE WdfIoQueueGetDevice(WDFQUEUE Queue) =>
        new(HandleValidation.Use(Queue.Object, nameof(WdfIoQueueGetDevice), Queue.ToString())?.Device);

    /// <summary>
    /// Hands a request from <c>EvtIoInCallerContext</c> to the device's default queue, which dispatches it at
    /// once. The request is no longer in its caller's context afterwards.
    /// </summary>
    public static NTSTATUS WdfDeviceEnqueueRequest(WDFDEVICE Device, WDFREQUEST Request)
    {
        var device = HandleValidation.Use(Device.Object, nameof(WdfDeviceEnqueueRequest), Device.ToString());
        var request = UseRequest(Request, nameof(WdfDeviceEnqueueRequest));
        if (device is null || request is null)
        {
            return device is null ? STATUS_INVALID_HANDLE : FailureFor(Request);
        }
        if (request.Origin != RequestOrigin.Queue)
        {
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        request.InCallerContext = false;
        device.DefaultQueue.Deliver(request);
        return STATUS_SUCCESS;
    }

    /// <summary>Takes the next request from a manual queue; <c>STATUS_NO_MORE_ENTRIES</c> when it is empty.</summary>
    public static NTSTATUS WdfIoQueueRetrieveNextRequest(WDFQUEUE Queue, out WDFREQUEST OutRequest)
    {
        OutRequest = default;
        var queue = HandleValidation.Use(Queue.Object, nameof(WdfIoQueueRetrieveNextRequest), Queue.ToString());
        if (queue is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        var request = queue.RetrieveNext();
        if (request is null)
        {
            return STATUS_NO_MORE_ENTRIES;
        }
        OutRequest = new WDFREQUEST(request);
        return STATUS_SUCCESS;
    }
}
