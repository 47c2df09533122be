using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Hosting;
using DriverBuffers.IoManager;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers.Queues;

/// <summary>
/// The framework device behind a <c>WDFDEVICE</c>: its buffering mode, default queue and default I/O
/// target, and the requests delivered to the driver that are not completed yet (DRV004 at unload).
/// </summary>
internal sealed class WdfDeviceObject : WdfObject
{
    private readonly HashSet<WdfRequestObject> outstanding = new();

    public WdfDeviceObject(DriverRuntime runtime, WDF_DEVICE_IO_TYPE ioType)
        : base(runtime, "WDFDEVICE", runtime.Driver)
    {
        IoType = ioType;
        DefaultQueue = new WdfQueueObject(runtime, this, manual: false);
    }

    public WDF_DEVICE_IO_TYPE IoType { get; }

    public WdfQueueObject DefaultQueue { get; }

    public WdfIoTargetObject? DefaultTarget { get; set; }

    public EVT_WDF_IO_IN_CALLER_CONTEXT? EvtIoInCallerContext { get; set; }

    public override string? WhyDriverMayNotDelete => "the simulated framework deletes the device at unload";

    /// <summary>How reads and writes carry their buffers on this device.</summary>
    public TransferMethod ReadWriteMethod => IoType switch
    {
        WDF_DEVICE_IO_TYPE.WdfDeviceIoNeither => TransferMethod.Neither,
        WDF_DEVICE_IO_TYPE.WdfDeviceIoDirect => TransferMethod.Direct,
        _ => TransferMethod.Buffered,
    };

    /// <summary>Requests delivered to the driver and not completed.</summary>
    public IReadOnlyList<WdfRequestObject> Outstanding
    {
        get { lock (Runtime.Sync) { return outstanding.ToArray(); } }
    }

    /// <summary>
    /// The I/O manager and framework taking an application's request: build the IRP, wrap it in a request,
    /// hand it to <c>EvtIoInCallerContext</c> if the driver has one, else to the default queue.
    /// </summary>
    public IoResult Submit(IoSubmission submission)
    {
        var irp = IrpBuilder.Build(Runtime, submission);
        var request = new WdfRequestObject(Runtime, RequestOrigin.Queue, irp) { Device = this };
        lock (Runtime.Sync) { outstanding.Add(request); }
        if (EvtIoInCallerContext is { } inCallerContext)
        {
            request.InCallerContext = true;
            try
            {
                inCallerContext(new WDFDEVICE(this), new WDFREQUEST(request));
            }
            finally
            {
                request.InCallerContext = false;
            }
        }
        else
        {
            DefaultQueue.Deliver(request);
        }
        return irp.Result;
    }

    /// <summary>A request was completed: it no longer counts as outstanding.</summary>
    public void Forget(WdfRequestObject request)
    {
        lock (Runtime.Sync) { outstanding.Remove(request); }
    }
}
