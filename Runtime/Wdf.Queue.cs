using System;

namespace DriverBuffers;

/// <summary>Queues and devices.</summary>
public static partial class Wdf
{
    public static WDFDEVICE WdfIoQueueGetDevice(WDFQUEUE Queue) => throw new NotImplementedException();

    /// <summary>Hands a request (typically from <c>EvtIoInCallerContext</c>) to the device's queue for dispatch.</summary>
    public static NTSTATUS WdfDeviceEnqueueRequest(WDFDEVICE Device, WDFREQUEST Request) => throw new NotImplementedException();

    /// <summary>Takes the next request from a manual queue; <c>STATUS_NO_MORE_ENTRIES</c> when it is empty.</summary>
    public static NTSTATUS WdfIoQueueRetrieveNextRequest(WDFQUEUE Queue, out WDFREQUEST OutRequest) => throw new NotImplementedException();
}
