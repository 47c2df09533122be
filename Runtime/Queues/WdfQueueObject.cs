using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Requests;
using DriverBuffers.Synchronization;

namespace DriverBuffers.Queues;

/// <summary>
/// The I/O queue behind a <c>WDFQUEUE</c>: requests wait in it until it presents them to the driver
/// (sequential: one driver-owned request at a time; parallel: as they arrive, each on the thread that delivers
/// it, up to <see cref="ParallelLimit"/>) or the driver retrieves them (manual). A power-managed queue presents
/// only while its device is in D0. A request type without a callback (and no <c>EvtIoDefault</c>) is completed
/// with STATUS_INVALID_DEVICE_REQUEST, a zero-length read or write with STATUS_SUCCESS unless
/// <see cref="AllowZeroLength"/>, as KMDF does. State is guarded by <see cref="DriverRuntime.Sync"/>.
/// </summary>
internal sealed class WdfQueueObject : WdfObject
{
    [ThreadStatic] private static HashSet<WdfQueueObject>? presentingOnThisThread;

    private readonly LinkedList<WdfRequestObject> waiting = new();
    private readonly HashSet<WdfRequestObject> driverOwned = new();
    private readonly List<(EVT_WDF_IO_QUEUE_STATE Callback, object? Context)> idleWaiters = new();
    private bool started = true;
    private bool accepting = true;

    /// <summary>A queue configured by <c>WdfIoQueueCreate</c>.</summary>
    public WdfQueueObject(DriverRuntime runtime, WdfDeviceObject device, WDF_IO_QUEUE_CONFIG config)
        : base(runtime, "WDFQUEUE", device)
    {
        Device = device;
        DispatchType = config.DispatchType;
        IsDefault = config.DefaultQueue;
        PowerManaged = config.PowerManaged == WDF_TRI_STATE.WdfTrue
            || (config.PowerManaged == WDF_TRI_STATE.WdfUseDefault && !device.IsFilter);
        AllowZeroLength = config.AllowZeroLengthRequests;
        ParallelLimit = config.Settings.Parallel.NumberOfPresentedRequests == 0 ? uint.MaxValue : config.Settings.Parallel.NumberOfPresentedRequests;
        EvtIoDefault = config.EvtIoDefault;
        EvtIoRead = config.EvtIoRead;
        EvtIoWrite = config.EvtIoWrite;
        EvtIoDeviceControl = config.EvtIoDeviceControl;
        EvtIoInternalDeviceControl = config.EvtIoInternalDeviceControl;
        EvtIoStop = config.EvtIoStop;
        EvtIoResume = config.EvtIoResume;
        EvtIoCanceledOnQueue = config.EvtIoCanceledOnQueue;
    }

    /// <summary>A queue of a hand-wired test host (<see cref="Hosting.DriverHost"/>): parallel (or manual), zero-length requests presented, not power-managed.</summary>
    public WdfQueueObject(DriverRuntime runtime, WdfDeviceObject device, bool manual, bool isDefault)
        : base(runtime, "WDFQUEUE", device)
    {
        Device = device;
        DispatchType = manual ? WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchManual : WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchParallel;
        IsDefault = isDefault;
        AllowZeroLength = true;
        ParallelLimit = uint.MaxValue;
    }

    public WdfDeviceObject Device { get; }

    public WDF_IO_QUEUE_DISPATCH_TYPE DispatchType { get; }

    public bool IsManual => DispatchType == WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchManual;

    public bool IsSequential => DispatchType == WDF_IO_QUEUE_DISPATCH_TYPE.WdfIoQueueDispatchSequential;

    public bool IsDefault { get; }

    public bool PowerManaged { get; }

    public bool AllowZeroLength { get; }

    public uint ParallelLimit { get; }

    public EVT_WDF_IO_QUEUE_IO_DEFAULT? EvtIoDefault { get; set; }

    public EVT_WDF_IO_QUEUE_IO_READ? EvtIoRead { get; set; }

    public EVT_WDF_IO_QUEUE_IO_WRITE? EvtIoWrite { get; set; }

    public EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL? EvtIoDeviceControl { get; set; }

    public EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL? EvtIoInternalDeviceControl { get; set; }

    public EVT_WDF_IO_QUEUE_IO_STOP? EvtIoStop { get; set; }

    public EVT_WDF_IO_QUEUE_IO_RESUME? EvtIoResume { get; set; }

    public EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE? EvtIoCanceledOnQueue { get; set; }

    public override string? WhyDriverMayNotDelete => IsDefault ? "the framework deletes the default queue with its device" : null;

    /// <summary>The callback lock of its synchronization scope, or null (no scope, the default).</summary>
    public CallbackLock? SyncLock { get; private set; }

    /// <summary>
    /// Takes the synchronization scope and execution level the queue's attributes give, else its device's, else its
    /// driver's (KMDF's defaults: no scope, dispatch level): device scope shares the device's callback lock, queue scope
    /// gives the queue its own.
    /// </summary>
    public void ResolveSynchronization()
    {
        var driver = Runtime.Driver;
        SyncLock = CallbackLock.EffectiveScope(SynchronizationScope, Device.SynchronizationScope, driver.SynchronizationScope) switch
        {
            WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeDevice => Device.DeviceCallbackLock,
            WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeQueue =>
                new CallbackLock(HandleName, CallbackLock.IsPassive(ExecutionLevel, Device.ExecutionLevel, driver.ExecutionLevel)),
            _ => null,
        };
    }

    /// <summary>Requests waiting to be presented or retrieved.</summary>
    public IReadOnlyList<WdfRequestObject> Waiting
    {
        get { lock (Runtime.Sync) { return waiting.ToArray(); } }
    }

    /// <summary>Requests the queue gave the driver that it has not completed, forwarded or requeued.</summary>
    public IReadOnlyList<WdfRequestObject> DriverOwned
    {
        get { lock (Runtime.Sync) { return driverOwned.ToArray(); } }
    }

    /// <summary>Nothing waits and the driver owns nothing.</summary>
    public bool IsIdle
    {
        get { lock (Runtime.Sync) { return waiting.Count == 0 && driverOwned.Count == 0; } }
    }

    /// <summary>True when the driver owns no request of this queue that is not acknowledged (a stop may finish).</summary>
    public bool AllDriverOwnedStopped
    {
        get { lock (Runtime.Sync) { return driverOwned.All(r => r.StopState == StopState.Acknowledged); } }
    }

    private bool MayPresent => started && !IsManual && (!PowerManaged || Device.InWorkingState);

    /// <summary>
    /// Takes a request: it waits, and is presented at once if the queue may present it. A request whose IRP
    /// was already canceled is canceled at once; a queue that no longer accepts requests completes it with
    /// STATUS_CANCELLED.
    /// </summary>
    public void Enqueue(WdfRequestObject request, bool atHead = false)
    {
        bool rejected;
        lock (Runtime.Sync)
        {
            rejected = !accepting;
            request.Queue = this;
            if (!rejected)
            {
                request.Position = QueuePosition.Waiting;
                if (atHead)
                {
                    waiting.AddFirst(request);
                }
                else
                {
                    waiting.AddLast(request);
                }
            }
        }
        if (rejected)
        {
            RequestCompleter.Complete(request, Wdm.STATUS_CANCELLED, 0, "the framework (the queue no longer accepts requests)");
            return;
        }
        if (request.IsCanceled)
        {
            CancelWaiting(request);
            return;
        }
        Dispatch();
    }

    /// <summary>
    /// Presents waiting requests while the queue may. Never recurses on one thread: a request completed inside its
    /// own callback makes the outer loop present the next one.
    /// </summary>
    public void Dispatch()
    {
        var mine = presentingOnThisThread ??= new HashSet<WdfQueueObject>();
        if (!mine.Add(this))
        {
            return;
        }
        try
        {
            while (TakeNextToPresent() is { } request)
            {
                Present(request);
            }
        }
        finally
        {
            mine.Remove(this);
        }
    }

    private WdfRequestObject? TakeNextToPresent()
    {
        lock (Runtime.Sync)
        {
            if (!MayPresent || waiting.Count == 0)
            {
                return null;
            }
            if (IsSequential ? driverOwned.Count > 0 : (uint)driverOwned.Count >= ParallelLimit)
            {
                return null;
            }
            return TakeHeadLocked();
        }
    }

    /// <summary>The oldest waiting request, now owned by the driver (caller holds the lock; the queue is not empty).</summary>
    private WdfRequestObject TakeHeadLocked()
    {
        var request = waiting.First!.Value;
        waiting.RemoveFirst();
        driverOwned.Add(request);
        request.Position = QueuePosition.DriverOwned;
        return request;
    }

    /// <summary>Hands a request to the callback for its type (or completes it as KMDF does without one).</summary>
    private void Present(WdfRequestObject request)
    {
        var queue = new WDFQUEUE(this);
        var handle = new WDFREQUEST(request);
        var irp = request.Irp!;
        var type = request.Type;
        using var scope = IoManager.ApplicationScope.For(irp.Result);
        if (!AllowZeroLength && type is WDF_REQUEST_TYPE.WdfRequestTypeRead or WDF_REQUEST_TYPE.WdfRequestTypeWrite
            && (type == WDF_REQUEST_TYPE.WdfRequestTypeRead ? irp.OutputLength : irp.InputLength) == 0)
        {
            RequestCompleter.Complete(request, Wdm.STATUS_SUCCESS, 0, "the framework (a zero-length request; the queue does not allow them)");
            return;
        }
        var irql = ThreadIrql.Current;
        switch (type)
        {
            case WDF_REQUEST_TYPE.WdfRequestTypeRead when EvtIoRead is { } read:
                request.PresentedTo(read);
                CallbackLock.Run(SyncLock, Runtime, irql, "EvtIoRead", () => read(queue, handle, irp.OutputLength));
                break;
            case WDF_REQUEST_TYPE.WdfRequestTypeWrite when EvtIoWrite is { } write:
                request.PresentedTo(write);
                CallbackLock.Run(SyncLock, Runtime, irql, "EvtIoWrite", () => write(queue, handle, irp.InputLength));
                break;
            case WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl when EvtIoDeviceControl is { } control:
                request.PresentedTo(control);
                CallbackLock.Run(SyncLock, Runtime, irql, "EvtIoDeviceControl",
                    () => control(queue, handle, irp.OutputLength, irp.InputLength, irp.Submission.IoControlCode));
                break;
            case WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal when EvtIoInternalDeviceControl is { } control:
                request.PresentedTo(control);
                CallbackLock.Run(SyncLock, Runtime, irql, "EvtIoInternalDeviceControl",
                    () => control(queue, handle, irp.OutputLength, irp.InputLength, irp.Submission.IoControlCode));
                break;
            default:
                if (EvtIoDefault is { } fallback)
                {
                    request.PresentedTo(fallback);
                    CallbackLock.Run(SyncLock, Runtime, irql, "EvtIoDefault", () => fallback(queue, handle));
                    break;
                }
                RequestCompleter.Complete(request, Wdm.STATUS_INVALID_DEVICE_REQUEST, 0, "the framework (no queue callback for this request type)");
                break;
        }
    }

    /// <summary><c>WdfIoQueueRetrieveNextRequest</c>: the oldest waiting request, now owned by the driver, or null.</summary>
    public WdfRequestObject? RetrieveNext()
    {
        lock (Runtime.Sync)
        {
            return waiting.Count == 0 || (PowerManaged && !Device.InWorkingState) ? null : TakeHeadLocked();
        }
    }

    /// <summary>
    /// A request left the driver's hands through this queue (completed, forwarded elsewhere, requeued): the next
    /// one may be presented, and a stop or purge waiting for the queue to go idle may finish.
    /// </summary>
    public void OnRequestLeft(WdfRequestObject request)
    {
        lock (Runtime.Sync)
        {
            if (!driverOwned.Remove(request) && !waiting.Remove(request))
            {
                return;
            }
            request.Position = QueuePosition.None;
            request.StopState = StopState.None;
        }
        NotifyIdleWaiters();
        Dispatch();
    }

    /// <summary>The application canceled a request: if it still waits here it is completed with STATUS_CANCELLED or given to <c>EvtIoCanceledOnQueue</c>.</summary>
    public void CancelWaiting(WdfRequestObject request)
    {
        lock (Runtime.Sync)
        {
            if (request.Position != QueuePosition.Waiting || !waiting.Remove(request))
            {
                return;
            }
            if (EvtIoCanceledOnQueue is not null)
            {
                driverOwned.Add(request);
                request.Position = QueuePosition.DriverOwned;
            }
            else
            {
                request.Position = QueuePosition.None;
            }
        }
        if (EvtIoCanceledOnQueue is { } canceled)
        {
            request.PresentedTo(canceled);
            CallbackLock.Run(SyncLock, Runtime, ThreadIrql.Current, "EvtIoCanceledOnQueue", () => canceled(new WDFQUEUE(this), new WDFREQUEST(request)));
            return;
        }
        RequestCompleter.Complete(request, Wdm.STATUS_CANCELLED, 0, "the framework (the request was canceled while it waited in its queue)");
        NotifyIdleWaiters();
    }

    /// <summary><c>WdfIoQueueStart</c>: accept and present requests again.</summary>
    public void Start()
    {
        lock (Runtime.Sync)
        {
            started = true;
            accepting = true;
        }
        Dispatch();
    }

    /// <summary><c>WdfIoQueueStop</c>: stop presenting (requests still queue up); <paramref name="idle"/> runs once the driver owns none.</summary>
    public void Stop(EVT_WDF_IO_QUEUE_STATE? idle, object? context)
    {
        lock (Runtime.Sync) { started = false; }
        WhenIdle(idle, context, ownedOnly: true);
    }

    /// <summary><c>WdfIoQueuePurge</c>: stop accepting, cancel what waits and what the driver marked cancelable; <paramref name="idle"/> runs when nothing is left.</summary>
    public void Purge(EVT_WDF_IO_QUEUE_STATE? idle, object? context)
    {
        WdfRequestObject[] queued;
        WdfRequestObject[] owned;
        lock (Runtime.Sync)
        {
            accepting = false;
            queued = waiting.ToArray();
            owned = driverOwned.ToArray();
        }
        foreach (var request in queued)
        {
            CancelWaiting(request);
        }
        foreach (var request in owned)
        {
            RequestCancellation.CancelIfCancelable(request);
        }
        WhenIdle(idle, context, ownedOnly: false);
    }

    /// <summary><c>WdfIoQueueDrain</c>: stop accepting, keep presenting until nothing is left.</summary>
    public void Drain(EVT_WDF_IO_QUEUE_STATE? idle, object? context)
    {
        lock (Runtime.Sync) { accepting = false; }
        WhenIdle(idle, context, ownedOnly: false);
        Dispatch();
    }

    private void WhenIdle(EVT_WDF_IO_QUEUE_STATE? callback, object? context, bool ownedOnly)
    {
        if (callback is null)
        {
            return;
        }
        lock (Runtime.Sync)
        {
            if (driverOwned.Count > 0 || (!ownedOnly && waiting.Count > 0))
            {
                idleWaiters.Add((callback, context));
                return;
            }
        }
        ThreadIrql.RunCallback(Runtime, ThreadIrql.Current, "EvtIoQueueState", () => callback(new WDFQUEUE(this), context));
    }

    private void NotifyIdleWaiters()
    {
        (EVT_WDF_IO_QUEUE_STATE Callback, object? Context)[] ready;
        lock (Runtime.Sync)
        {
            if (driverOwned.Count > 0 || idleWaiters.Count == 0)
            {
                return;
            }
            ready = idleWaiters.ToArray();
            idleWaiters.Clear();
        }
        foreach (var (callback, context) in ready)
        {
            ThreadIrql.RunCallback(Runtime, ThreadIrql.Current, "EvtIoQueueState", () => callback(new WDFQUEUE(this), context));
        }
    }

    /// <summary>
    /// The device leaves D0 (<paramref name="purge"/>: for good): every driver-owned request goes to
    /// <c>EvtIoStop</c>, if the queue has one.
    /// </summary>
    public void StopDriverOwnedRequests(bool purge)
    {
        if (EvtIoStop is not { } stop)
        {
            return;
        }
        WdfRequestObject[] owned;
        lock (Runtime.Sync)
        {
            owned = driverOwned.Where(r => r.StopState == StopState.None).ToArray();
            foreach (var request in owned)
            {
                request.StopState = StopState.StopRequested;
            }
        }
        foreach (var request in owned)
        {
            uint flags = purge ? Wdf.WdfRequestStopActionPurge : Wdf.WdfRequestStopActionSuspend;
            if (request.CancelState == CancelState.Cancelable)
            {
                flags |= Wdf.WdfRequestStopRequestCancelable;
            }
            CallbackLock.Run(SyncLock, Runtime, KIRQL.PASSIVE_LEVEL, "EvtIoStop", () => stop(new WDFQUEUE(this), new WDFREQUEST(request), flags));
        }
    }

    /// <summary>The device is back in D0: acknowledged requests go to <c>EvtIoResume</c>, waiting ones are presented.</summary>
    public void ResumeDriverOwnedRequests()
    {
        WdfRequestObject[] acknowledged;
        lock (Runtime.Sync)
        {
            acknowledged = driverOwned.Where(r => r.StopState == StopState.Acknowledged).ToArray();
            foreach (var request in acknowledged)
            {
                request.StopState = StopState.None;
            }
        }
        if (EvtIoResume is { } resume)
        {
            foreach (var request in acknowledged)
            {
                CallbackLock.Run(SyncLock, Runtime, KIRQL.PASSIVE_LEVEL, "EvtIoResume", () => resume(new WDFQUEUE(this), new WDFREQUEST(request)));
            }
        }
        Dispatch();
    }

    /// <summary><c>WdfRequestStopAcknowledge</c> with requeue, or <c>WdfRequestRequeue</c>: the request waits at the head again.</summary>
    public void Requeue(WdfRequestObject request)
    {
        lock (Runtime.Sync)
        {
            driverOwned.Remove(request);
            request.StopState = StopState.None;
            request.Position = QueuePosition.Waiting;
            waiting.AddFirst(request);
        }
        NotifyIdleWaiters();
        Dispatch();
    }
}
