using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Hosting;
using DriverBuffers.IoManager;
using DriverBuffers.Requests;
using DriverBuffers.Synchronization;
using DriverBuffers.Targets;

namespace DriverBuffers.Queues;

/// <summary>
/// The framework device behind a <c>WDFDEVICE</c>: its WDM device object, buffering mode, queues and which
/// request types each receives, default I/O target, PnP/power callbacks, and the requests delivered to the
/// driver that are not completed yet (DRV004 at unload). It turns each IRP into a request and routes it: to
/// <c>EvtIoInCallerContext</c> if the driver has one, else to the queue configured for its type, else the
/// default queue; without a queue a filter passes it down and any other device fails it, as KMDF does.
/// </summary>
internal sealed class WdfDeviceObject : WdfObject
{
    private readonly HashSet<WdfRequestObject> outstanding = new();
    private readonly List<WdfQueueObject> queues = new();
    private readonly Dictionary<WDF_REQUEST_TYPE, WdfQueueObject> dispatching = new();
    private readonly List<Guid> interfaces = new();
    private bool inWorkingState;

    /// <summary>The device of a hand-wired test host (<see cref="DriverHost"/>): always in D0, with a parallel default queue.</summary>
    public WdfDeviceObject(DriverRuntime runtime, WDF_DEVICE_IO_TYPE ioType)
        : base(runtime, "WDFDEVICE", runtime.Driver)
    {
        IoType = ioType;
        WdmDevice = CreateWdmDevice(runtime, ioType, Wdm.FILE_DEVICE_UNKNOWN, 0, null);
        inWorkingState = true;
        DefaultQueue = new WdfQueueObject(runtime, this, manual: false, isDefault: true);
        queues.Add(DefaultQueue);
    }

    /// <summary><c>WdfDeviceCreate</c>: a device as <paramref name="init"/> describes it, attached above its physical device.</summary>
    public WdfDeviceObject(DriverRuntime runtime, WDFDEVICE_INIT init)
        : base(runtime, "WDFDEVICE", runtime.Driver)
    {
        IoType = init.IoType is WDF_DEVICE_IO_TYPE.WdfDeviceIoUndefined ? WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered : init.IoType;
        IsFilter = init.IsFilter;
        PnpPowerCallbacks = init.PnpPowerCallbacks;
        RequestAttributes = init.RequestAttributes;
        EvtIoInCallerContext = init.IoInCallerContext;
        WdmDevice = CreateWdmDevice(runtime, IoType, init.DeviceType, init.Characteristics, init.DeviceName);
        if (init.PhysicalDevice is { } physical)
        {
            Wdm.AttachToStack(WdmDevice, physical);
            if (physical.LowerTargetSimulation is { } lower)
            {
                DefaultTarget = new WdfIoTargetObject(runtime, this, lower);
            }
        }
        WdmDevice.Flags &= ~Wdm.DO_DEVICE_INITIALIZING;
    }

    private CallbackLock? callbackLock;

    /// <summary>The device-scope callback lock its queues share (made when the first one asks; its kind from the device's execution level).</summary>
    public CallbackLock DeviceCallbackLock
    {
        get
        {
            lock (Runtime.Sync)
            {
                return callbackLock ??= new CallbackLock(HandleName, CallbackLock.IsPassive(ExecutionLevel, Runtime.Driver.ExecutionLevel));
            }
        }
    }

    /// <summary>The device's callback lock when its own scope (or its driver's) is device scope, else null.</summary>
    public CallbackLock? DeviceScopeLock =>
        CallbackLock.EffectiveScope(SynchronizationScope, Runtime.Driver.SynchronizationScope) == WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeDevice
            ? DeviceCallbackLock
            : null;

    private DEVICE_OBJECT CreateWdmDevice(DriverRuntime runtime, WDF_DEVICE_IO_TYPE ioType, uint deviceType, uint characteristics, string? name)
    {
        var device = new DEVICE_OBJECT(runtime, runtime.DriverObject, name, deviceType, characteristics) { Framework = this };
        runtime.DriverObject.AddDevice(device);
        device.Flags |= ioType switch
        {
            WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered => Wdm.DO_BUFFERED_IO,
            WDF_DEVICE_IO_TYPE.WdfDeviceIoDirect => Wdm.DO_DIRECT_IO,
            _ => 0u,
        };
        return device;
    }

    public WDF_DEVICE_IO_TYPE IoType { get; }

    public bool IsFilter { get; }

    /// <summary>The WDM device object the framework created for this device (<c>WdfDeviceWdmGetDeviceObject</c>).</summary>
    public DEVICE_OBJECT WdmDevice { get; }

    public WDF_PNPPOWER_EVENT_CALLBACKS? PnpPowerCallbacks { get; }

    /// <summary>The attributes (context) every request of this device gets (<c>WdfDeviceInitSetRequestAttributes</c>).</summary>
    public WDF_OBJECT_ATTRIBUTES? RequestAttributes { get; }

    public WdfQueueObject? DefaultQueue { get; private set; }

    public WdfIoTargetObject? DefaultTarget { get; set; }

    public EVT_WDF_IO_IN_CALLER_CONTEXT? EvtIoInCallerContext { get; set; }

    /// <summary>True while the device is in D0: power-managed queues present requests only then.</summary>
    public bool InWorkingState
    {
        get { lock (Runtime.Sync) { return inWorkingState; } }
        set { lock (Runtime.Sync) { inWorkingState = value; } }
    }

    /// <summary>The resources given to <c>EvtDevicePrepareHardware</c> of a started device (for <c>EvtDeviceReleaseHardware</c>).</summary>
    public WDFCMRESLIST? ResourcesTranslated { get; set; }

    /// <summary>Whether the device ever started (self-managed I/O init ran).</summary>
    public bool EverStarted { get; set; }

    public override string? WhyDriverMayNotDelete => "the framework deletes a PnP device when it is removed";

    /// <summary>How reads and writes carry their buffers on this device.</summary>
    public TransferMethod ReadWriteMethod => IoType switch
    {
        WDF_DEVICE_IO_TYPE.WdfDeviceIoNeither => TransferMethod.Neither,
        WDF_DEVICE_IO_TYPE.WdfDeviceIoDirect => TransferMethod.Direct,
        _ => TransferMethod.Buffered,
    };

    /// <summary>Every queue of the device.</summary>
    public IReadOnlyList<WdfQueueObject> Queues
    {
        get { lock (Runtime.Sync) { return queues.Where(q => q.IsAlive).ToArray(); } }
    }

    /// <summary>The device interfaces the driver registered.</summary>
    public IReadOnlyList<Guid> Interfaces
    {
        get { lock (Runtime.Sync) { return interfaces.ToArray(); } }
    }

    /// <summary>Requests delivered to the driver and not completed.</summary>
    public IReadOnlyList<WdfRequestObject> Outstanding
    {
        get { lock (Runtime.Sync) { return outstanding.ToArray(); } }
    }

    /// <summary><c>WdfIoQueueCreate</c> added a queue; false if it asked to be the default queue and the device already has one.</summary>
    public bool AddQueue(WdfQueueObject queue)
    {
        lock (Runtime.Sync)
        {
            if (queue.IsDefault)
            {
                if (DefaultQueue is { IsAlive: true })
                {
                    return false;
                }
                DefaultQueue = queue;
            }
            queues.Add(queue);
            return true;
        }
    }

    /// <summary>A queue of a hand-wired test host (<see cref="DriverHost.AddQueue"/>).</summary>
    public WdfQueueObject AddTestQueue(bool manual)
    {
        var queue = new WdfQueueObject(Runtime, this, manual, isDefault: false);
        lock (Runtime.Sync) { queues.Add(queue); }
        return queue;
    }

    /// <summary><c>WdfDeviceConfigureRequestDispatching</c>: false if the type already goes to another queue.</summary>
    public bool ConfigureDispatching(WDF_REQUEST_TYPE type, WdfQueueObject queue)
    {
        lock (Runtime.Sync)
        {
            if (dispatching.TryGetValue(type, out var existing) && existing != queue && existing.IsAlive)
            {
                return false;
            }
            dispatching[type] = queue;
            return true;
        }
    }

    public void AddInterface(Guid interfaceGuid)
    {
        lock (Runtime.Sync)
        {
            if (!interfaces.Contains(interfaceGuid))
            {
                interfaces.Add(interfaceGuid);
            }
        }
    }

    /// <summary>
    /// The I/O manager and framework taking an application's request on a hand-wired host: build the IRP and
    /// dispatch it as the framework's dispatch routine would.
    /// </summary>
    public IoResult Submit(IoSubmission submission)
    {
        var irp = IrpBuilder.Build(Runtime, submission);
        irp.Irp.CurrentLocation = 1;
        irp.Irp.TopLocation.DeviceObject = WdmDevice;
        using (ApplicationScope.For(irp.Result))
        {
            DispatchIrp(irp);
        }
        return irp.Result;
    }

    /// <summary>
    /// The framework's dispatch routine for an I/O IRP: wrap it in a request (with the device's request context),
    /// hand it to <c>EvtIoInCallerContext</c> if the driver has one, else route it.
    /// </summary>
    public void DispatchIrp(IrpTracker irp)
    {
        var request = new WdfRequestObject(Runtime, RequestOrigin.Queue, irp) { Device = this };
        request.ApplyContextAndCallbacks(RequestAttributes);
        irp.SetCancelHandler(() => RequestCancellation.OnIrpCanceled(request));
        lock (Runtime.Sync) { outstanding.Add(request); }
        if (EvtIoInCallerContext is { } inCallerContext && request.Type is not (WDF_REQUEST_TYPE.WdfRequestTypeCreate
            or WDF_REQUEST_TYPE.WdfRequestTypeClose or WDF_REQUEST_TYPE.WdfRequestTypeCleanup))
        {
            request.InCallerContext = true;
            request.PresentedTo(inCallerContext);
            try
            {
                ThreadIrql.RunCallback(Runtime, ThreadIrql.Current, "EvtIoInCallerContext",
                    () => inCallerContext(new WDFDEVICE(this), new WDFREQUEST(request)));
            }
            finally
            {
                request.InCallerContext = false;
            }
            return;
        }
        Route(request);
    }

    /// <summary>
    /// Sends a request to the queue for its type, else the default queue. Without one: create, cleanup and close
    /// succeed, a filter passes other requests to its lower target, and any other device fails them with
    /// STATUS_INVALID_DEVICE_REQUEST.
    /// </summary>
    public void Route(WdfRequestObject request)
    {
        WdfQueueObject? queue;
        lock (Runtime.Sync)
        {
            // Create requests reach a queue only if the driver configured one for them; cleanup and close never do.
            queue = dispatching.TryGetValue(request.Type, out var configured) && configured.IsAlive ? configured
                : request.Type is WDF_REQUEST_TYPE.WdfRequestTypeCreate or WDF_REQUEST_TYPE.WdfRequestTypeClose
                    or WDF_REQUEST_TYPE.WdfRequestTypeCleanup ? null
                : DefaultQueue is { IsAlive: true } fallback ? fallback : null;
        }
        if (queue is not null)
        {
            queue.Enqueue(request);
            return;
        }
        if (IsFilter && DefaultTarget is { } lower)
        {
            Wdf.WDF_REQUEST_SEND_OPTIONS_INIT(out var options, Wdf.WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
            if (RequestSender.Send(request, lower, options, "the framework (a filter passes requests it has no queue for)"))
            {
                return;
            }
        }
        bool fileRequest = request.Type is WDF_REQUEST_TYPE.WdfRequestTypeCreate or WDF_REQUEST_TYPE.WdfRequestTypeClose
            or WDF_REQUEST_TYPE.WdfRequestTypeCleanup;
        RequestCompleter.Complete(request, fileRequest ? Wdm.STATUS_SUCCESS : Wdm.STATUS_INVALID_DEVICE_REQUEST, 0,
            fileRequest ? "the framework (no file-object callbacks)" : "the framework (no queue for this request type)");
    }

    /// <summary>A request was completed: it no longer counts as outstanding.</summary>
    public void Forget(WdfRequestObject request)
    {
        lock (Runtime.Sync) { outstanding.Remove(request); }
    }

    protected override void OnEnded(Verifier.EndReason reason)
    {
        WdmDevice.MarkDeleted(reason);
        Runtime.DriverObject.RemoveDevice(WdmDevice);
        if (WdmDevice.Name is { } name)
        {
            Runtime.Names.RemoveDevice(name);
        }
    }
}
