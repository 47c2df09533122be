using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.IoManager;
using DriverBuffers.Verifier;

namespace DriverBuffers.Hosting;

/// <summary>
/// Hosts a WDM driver: a device object whose <c>DO_BUFFERED_IO</c>/<c>DO_DIRECT_IO</c> flags (set by the
/// add-device code) decide how the I/O manager builds each IRP, and dispatch routines in
/// <see cref="MajorFunction"/> as in <c>DriverObject-&gt;MajorFunction</c>.
/// </summary>
public sealed class WdmDriverHost : DriverHostBase
{
    private readonly object gate = new();
    private readonly List<IrpTracker> irps = new();

    /// <param name="addDevice">Set-up code run on the new device object (flags, extension). The host clears
    /// <c>DO_DEVICE_INITIALIZING</c> afterwards if the code did not.</param>
    /// <param name="verifierEnabled">Whether violations throw.</param>
    public WdmDriverHost(Action<DEVICE_OBJECT>? addDevice = null, bool verifierEnabled = true)
        : base(verifierEnabled)
    {
        DeviceObject = new DEVICE_OBJECT(Runtime, Runtime.DriverObject);
        Run(() => addDevice?.Invoke(DeviceObject));
        DeviceObject.Flags &= ~Wdm.DO_DEVICE_INITIALIZING;
    }

    public DEVICE_OBJECT DeviceObject { get; }

    /// <summary>C's <c>DriverObject-&gt;MajorFunction</c>, indexed by <c>IRP_MJ_*</c>.</summary>
    public DRIVER_DISPATCH?[] MajorFunction => Runtime.DriverObject.MajorFunction;

    /// <summary>IRPs the driver has not completed yet.</summary>
    public int OutstandingIrps
    {
        get { lock (gate) { return irps.Count(i => !i.IsCompleted); } }
    }

    private protected override TransferMethod ReadWriteMethod => IoSubmission.FromDeviceFlags(DeviceObject.Flags);

    private protected override IoResult Submit(IoSubmission submission)
    {
        var irp = IrpBuilder.Build(Runtime, submission, DeviceObject.StackSize);
        lock (gate) { irps.Add(irp); }
        using (ApplicationScope.For(irp.Result))
        {
            IrpDispatch.Call(DeviceObject, irp.Irp, "the I/O manager");
        }
        return irp.Result;
    }

    private protected override IEnumerable<WdfViolationException> FindUnfinishedWork()
    {
        IrpTracker[] open;
        lock (gate) { open = irps.Where(i => !i.IsCompleted).ToArray(); }
        return open.Select(irp => UnfinishedWork.NeverCompleted(Runtime, irp));
    }
}
