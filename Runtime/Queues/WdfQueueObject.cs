using System.Collections.Generic;
using DriverBuffers.Framework;
using DriverBuffers.Requests;

namespace DriverBuffers.Queues;

/// <summary>
/// The I/O queue behind a <c>WDFQUEUE</c>. A dispatching queue hands each request to its callback at once,
/// on the thread that delivers it (parallel dispatch); a manual queue keeps requests until
/// <c>WdfIoQueueRetrieveNextRequest</c>. A request type without a callback is completed with
/// <c>STATUS_INVALID_DEVICE_REQUEST</c>, as KMDF does.
/// </summary>
internal sealed class WdfQueueObject : WdfObject
{
    private readonly Queue<WdfRequestObject> waiting = new();

    public WdfQueueObject(DriverRuntime runtime, WdfDeviceObject device, bool manual)
        : base(runtime, "WDFQUEUE", device)
    {
        Device = device;
        IsManual = manual;
    }

    public WdfDeviceObject Device { get; }

    public EVT_WDF_IO_QUEUE_IO_READ? EvtIoRead { get; set; }

    public EVT_WDF_IO_QUEUE_IO_WRITE? EvtIoWrite { get; set; }

    public EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL? EvtIoDeviceControl { get; set; }

    /// <summary>A manual queue keeps requests for <c>WdfIoQueueRetrieveNextRequest</c> instead of dispatching them.</summary>
    public bool IsManual { get; }

    public override string? WhyDriverMayNotDelete => "the simulated framework deletes queues with their device";

    /// <summary>Requests waiting in a manual queue.</summary>
    public IReadOnlyList<WdfRequestObject> Waiting
    {
        get { lock (Runtime.Sync) { return waiting.ToArray(); } }
    }

    /// <summary>Takes a request: dispatches it to the driver's callback, or keeps it (manual queue).</summary>
    public void Deliver(WdfRequestObject request)
    {
        request.Queue = this;
        if (IsManual)
        {
            lock (Runtime.Sync) { waiting.Enqueue(request); }
            return;
        }
        var queue = new WDFQUEUE(this);
        var handle = new WDFREQUEST(request);
        var irp = request.Irp!;
        switch (request.Type)
        {
            case WDF_REQUEST_TYPE.WdfRequestTypeRead when EvtIoRead is { } read:
                read(queue, handle, irp.OutputLength);
                break;
            case WDF_REQUEST_TYPE.WdfRequestTypeWrite when EvtIoWrite is { } write:
                write(queue, handle, irp.InputLength);
                break;
            case WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl when EvtIoDeviceControl is { } control:
                control(queue, handle, irp.OutputLength, irp.InputLength, irp.Submission.IoControlCode);
                break;
            default:
                RequestCompleter.Complete(request, Wdm.STATUS_INVALID_DEVICE_REQUEST, 0, "the framework (no queue callback for this request type)");
                break;
        }
    }

    /// <summary><c>WdfIoQueueRetrieveNextRequest</c>: the oldest waiting request, or null.</summary>
    public WdfRequestObject? RetrieveNext()
    {
        lock (Runtime.Sync)
        {
            return waiting.TryDequeue(out var request) ? request : null;
        }
    }
}
