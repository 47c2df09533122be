using DriverBuffers.Framework;
using DriverBuffers.Queues;
using DriverBuffers.Requests;
using DriverBuffers.Synchronization;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>I/O queues: creation, dispatching, start, stop, purge, drain, and retrieving from manual queues.</summary>
public static partial class Wdf
{
    /// <summary>Initialises a queue configuration (not the default queue; power-managed by default; zero-length requests not presented).</summary>
    public static void WDF_IO_QUEUE_CONFIG_INIT(out WDF_IO_QUEUE_CONFIG Config, WDF_IO_QUEUE_DISPATCH_TYPE DispatchType) =>
        Config = new WDF_IO_QUEUE_CONFIG { Size = 96, DispatchType = DispatchType, PowerManaged = WdfUseDefault };

    /// <summary>Initialises the configuration of the device's default queue.</summary>
    public static void WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out WDF_IO_QUEUE_CONFIG Config, WDF_IO_QUEUE_DISPATCH_TYPE DispatchType)
    {
        WDF_IO_QUEUE_CONFIG_INIT(out Config, DispatchType);
        Config.DefaultQueue = true;
    }

    /// <summary>
    /// Creates a queue of <paramref name="Device"/> (its parent). STATUS_INVALID_PARAMETER for an invalid dispatch
    /// type, STATUS_WDF_NO_CALLBACK for a presenting queue without any request callback, STATUS_INVALID_DEVICE_STATE
    /// for a second default queue.
    /// </summary>
    public static NTSTATUS WdfIoQueueCreate(WDFDEVICE Device, WDF_IO_QUEUE_CONFIG Config, WDF_OBJECT_ATTRIBUTES? QueueAttributes, out WDFQUEUE Queue)
    {
        const string ddi = nameof(WdfIoQueueCreate);
        Queue = default;
        var device = HandleValidation.Use(Device.Object, ddi, Device.ToString());
        if (device is null || !RequiredParameter.Present(Config, ddi, nameof(Config)))
        {
            return device is null ? STATUS_INVALID_HANDLE : STATUS_INVALID_PARAMETER;
        }
        if (Config.DispatchType is not (WdfIoQueueDispatchSequential or WdfIoQueueDispatchParallel or WdfIoQueueDispatchManual))
        {
            return STATUS_INVALID_PARAMETER;
        }
        bool hasHandler = Config.EvtIoDefault is not null || Config.EvtIoRead is not null || Config.EvtIoWrite is not null
            || Config.EvtIoDeviceControl is not null || Config.EvtIoInternalDeviceControl is not null;
        if (Config.DispatchType != WdfIoQueueDispatchManual && !hasHandler)
        {
            return STATUS_WDF_NO_CALLBACK;
        }
        var queue = new WdfQueueObject(device.Runtime, device, Config);
        if (!device.AddQueue(queue))
        {
            queue.EndTree(new Verifier.EndReason(Verifier.Rules.UseAfterDelete, "the queue could not be created"));
            return STATUS_INVALID_DEVICE_STATE;
        }
        queue.ApplyContextAndCallbacks(QueueAttributes);
        queue.ResolveSynchronization();
        Queue = new WDFQUEUE(queue);
        return STATUS_SUCCESS;
    }

    /// <summary><see cref="WdfIoQueueCreate(WDFDEVICE, WDF_IO_QUEUE_CONFIG, WDF_OBJECT_ATTRIBUTES?, out WDFQUEUE)"/> with <c>WDF_NO_HANDLE</c> for the queue handle.</summary>
    public static NTSTATUS WdfIoQueueCreate(WDFDEVICE Device, WDF_IO_QUEUE_CONFIG Config, WDF_OBJECT_ATTRIBUTES? QueueAttributes, WdfNoHandle Queue) =>
        WdfIoQueueCreate(Device, Config, QueueAttributes, out WDFQUEUE _);

    /// <summary>The device a queue belongs to.</summary>
    public static WDFDEVICE WdfIoQueueGetDevice(WDFQUEUE Queue) =>
        new(HandleValidation.Use(Queue.Object, nameof(WdfIoQueueGetDevice), Queue.ToString())?.Device);

    /// <summary>
    /// Hands a request from <c>EvtIoInCallerContext</c> to the queue configured for its type (or the default queue),
    /// which presents it at once if it can. The request is no longer in its caller's context afterwards.
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
        device.Route(request);
        return STATUS_SUCCESS;
    }

    /// <summary>Takes the next request from a manual queue (the driver owns it); <c>STATUS_NO_MORE_ENTRIES</c> when it is empty.</summary>
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
        request.RetrievedByDriver();
        OutRequest = new WDFREQUEST(request);
        return STATUS_SUCCESS;
    }

    /// <summary>Starts (or restarts) a queue: it accepts requests and presents them again.</summary>
    public static void WdfIoQueueStart(WDFQUEUE Queue) =>
        HandleValidation.Use(Queue.Object, nameof(WdfIoQueueStart), Queue.ToString())?.Start();

    /// <summary>
    /// Stops presenting requests (new ones still queue up). <paramref name="StopComplete"/> is called once the driver
    /// owns none of the queue's requests.
    /// </summary>
    public static void WdfIoQueueStop(WDFQUEUE Queue, EVT_WDF_IO_QUEUE_STATE? StopComplete, object? Context) =>
        HandleValidation.Use(Queue.Object, nameof(WdfIoQueueStop), Queue.ToString())?.Stop(StopComplete, Context);

    /// <summary><see cref="WdfIoQueueStop(WDFQUEUE, EVT_WDF_IO_QUEUE_STATE?, object?)"/> with C's <c>NULL</c> callback.</summary>
    public static void WdfIoQueueStop(WDFQUEUE Queue, PVOID StopComplete, object? Context)
    {
        NullOnly.Convert(StopComplete, 0);
        WdfIoQueueStop(Queue, (EVT_WDF_IO_QUEUE_STATE?)null, Context);
    }

    /// <summary>
    /// Stops presenting and waits (PASSIVE_LEVEL; simulated time runs meanwhile) until the driver owns none of the
    /// queue's requests.
    /// </summary>
    public static void WdfIoQueueStopSynchronously(WDFQUEUE Queue) =>
        RunSynchronously(Queue, nameof(WdfIoQueueStopSynchronously), queue => queue.Stop(null, null), queue => queue.DriverOwned.Count == 0);

    /// <summary>
    /// Stops accepting requests, cancels those waiting and those the driver owns and marked cancelable;
    /// <paramref name="PurgeComplete"/> is called when the queue is empty and the driver owns none of its requests.
    /// </summary>
    public static void WdfIoQueuePurge(WDFQUEUE Queue, EVT_WDF_IO_QUEUE_STATE? PurgeComplete, object? Context) =>
        HandleValidation.Use(Queue.Object, nameof(WdfIoQueuePurge), Queue.ToString())?.Purge(PurgeComplete, Context);

    /// <summary><see cref="WdfIoQueuePurge(WDFQUEUE, EVT_WDF_IO_QUEUE_STATE?, object?)"/> with C's <c>NULL</c> callback.</summary>
    public static void WdfIoQueuePurge(WDFQUEUE Queue, PVOID PurgeComplete, object? Context)
    {
        NullOnly.Convert(PurgeComplete, 0);
        WdfIoQueuePurge(Queue, (EVT_WDF_IO_QUEUE_STATE?)null, Context);
    }

    /// <summary>Purges the queue and waits (PASSIVE_LEVEL; simulated time runs meanwhile) until it is empty and the driver owns none of its requests.</summary>
    public static void WdfIoQueuePurgeSynchronously(WDFQUEUE Queue) =>
        RunSynchronously(Queue, nameof(WdfIoQueuePurgeSynchronously), queue => queue.Purge(null, null), queue => queue.IsIdle);

    /// <summary>Stops accepting requests but keeps presenting those queued; <paramref name="DrainComplete"/> is called when none is left.</summary>
    public static void WdfIoQueueDrain(WDFQUEUE Queue, EVT_WDF_IO_QUEUE_STATE? DrainComplete, object? Context) =>
        HandleValidation.Use(Queue.Object, nameof(WdfIoQueueDrain), Queue.ToString())?.Drain(DrainComplete, Context);

    /// <summary>Drains the queue and waits (PASSIVE_LEVEL; simulated time runs meanwhile) until none of its requests is left.</summary>
    public static void WdfIoQueueDrainSynchronously(WDFQUEUE Queue) =>
        RunSynchronously(Queue, nameof(WdfIoQueueDrainSynchronously), queue => queue.Drain(null, null), queue => queue.IsIdle);

    /// <summary>A synchronous queue DDI (PASSIVE_LEVEL only): start the change, then wait on simulated time until it is done.</summary>
    private static void RunSynchronously(WDFQUEUE handle, string ddi, System.Action<WdfQueueObject> start, System.Func<WdfQueueObject, bool> done)
    {
        var queue = HandleValidation.Use(handle.Object, ddi, handle.ToString());
        if (queue is null || !ThreadIrql.Check(KIRQL.PASSIVE_LEVEL, ddi, queue.HandleName))
        {
            return;
        }
        start(queue);
        queue.Runtime.WaitFor(() => done(queue));
    }
}
