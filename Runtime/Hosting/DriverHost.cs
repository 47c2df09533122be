using System.Collections.Generic;
using System.Linq;
using DriverBuffers.IoManager;
using DriverBuffers.Queues;
using DriverBuffers.Targets;
using DriverBuffers.Verifier;

namespace DriverBuffers.Hosting;

/// <summary>
/// Hosts a KMDF-style driver: one device with a buffering mode, its default queue (whose callbacks the
/// test sets to the driver's), a default lower I/O target the test scripts, and the application side
/// inherited from <see cref="DriverHostBase"/>.
/// </summary>
/// <example>
/// <code>
/// using var host = new DriverHost(WdfDeviceIoBuffered);
/// host.EvtIoRead = MyDriver.EvtIoRead;
/// host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3 });
/// var result = host.Read(16);
/// Assert.Equal(STATUS_SUCCESS, result.Status);
/// </code>
/// </example>
public sealed class DriverHost : DriverHostBase
{
    private readonly WdfDeviceObject device;
    private readonly SimulatedIoTarget lowerTarget;

    public DriverHost(WDF_DEVICE_IO_TYPE ioType = WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered, bool verifierEnabled = true)
        : base(verifierEnabled)
    {
        device = new WdfDeviceObject(Runtime, ioType);
        lowerTarget = new SimulatedIoTarget(Runtime, "lower");
        device.DefaultTarget = new WdfIoTargetObject(Runtime, device, lowerTarget);
    }

    public WDFDEVICE Device => new(device);

    /// <summary>The default queue; the callbacks below are its.</summary>
    public WDFQUEUE Queue => new(DefaultQueue);

    private WdfQueueObject DefaultQueue => device.DefaultQueue!;

    /// <summary>The device's default I/O target (<c>WdfDeviceGetIoTarget</c>).</summary>
    public SimulatedIoTarget LowerTarget => lowerTarget;

    public EVT_WDF_IO_QUEUE_IO_READ? EvtIoRead
    {
        get => DefaultQueue.EvtIoRead;
        set => DefaultQueue.EvtIoRead = value;
    }

    public EVT_WDF_IO_QUEUE_IO_WRITE? EvtIoWrite
    {
        get => DefaultQueue.EvtIoWrite;
        set => DefaultQueue.EvtIoWrite = value;
    }

    public EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL? EvtIoDeviceControl
    {
        get => DefaultQueue.EvtIoDeviceControl;
        set => DefaultQueue.EvtIoDeviceControl = value;
    }

    /// <summary>Called for each request before it is queued; the driver calls <c>WdfDeviceEnqueueRequest</c> (or completes it).</summary>
    public EVT_WDF_IO_IN_CALLER_CONTEXT? EvtIoInCallerContext
    {
        get => device.EvtIoInCallerContext;
        set => device.EvtIoInCallerContext = value;
    }

    /// <summary>Another I/O target the driver can send to (its <see cref="SimulatedIoTarget.Handle"/>).</summary>
    public SimulatedIoTarget AddIoTarget(string name) => new WdfIoTargetObject(Runtime, device, name).Simulation!;

    /// <summary>Another queue of the device; without callbacks it is a manual queue.</summary>
    public WDFQUEUE AddQueue(EVT_WDF_IO_QUEUE_IO_READ? evtIoRead = null, EVT_WDF_IO_QUEUE_IO_WRITE? evtIoWrite = null,
        EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL? evtIoDeviceControl = null)
    {
        var queue = device.AddTestQueue(manual: evtIoRead is null && evtIoWrite is null && evtIoDeviceControl is null);
        queue.EvtIoRead = evtIoRead;
        queue.EvtIoWrite = evtIoWrite;
        queue.EvtIoDeviceControl = evtIoDeviceControl;
        return new WDFQUEUE(queue);
    }

    /// <summary>Requests delivered to the driver and not completed yet.</summary>
    public IReadOnlyList<WDFREQUEST> OutstandingRequests => device.Outstanding.Select(r => new WDFREQUEST(r)).ToArray();

    private protected override TransferMethod ReadWriteMethod => device.ReadWriteMethod;

    private protected override IoResult Submit(IoSubmission submission) => device.Submit(submission);

    private protected override IEnumerable<WdfViolationException> FindUnfinishedWork()
    {
        foreach (var request in device.Outstanding)
        {
            yield return UnfinishedWork.NeverCompleted(Runtime, request);
        }
        foreach (var leak in UnfinishedWork.LookasideLeaks(Runtime))
        {
            yield return leak;
        }
    }
}
