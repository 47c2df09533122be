using DriverBuffers.Framework;
using DriverBuffers.IoManager;
using DriverBuffers.Requests;
using DriverBuffers.Targets;

namespace DriverBuffers.Hosting;

/// <summary>
/// The physical device object a whole-driver host puts under the driver's device: the bus driver's end of the
/// stack. PnP, power, create and close IRPs succeed at once; reads, writes and IOCTLs the driver passes down go to
/// the host's <see cref="SimulatedIoTarget"/> (the test's <c>LowerTarget</c>), which completes them as scripted:
/// at once, when pumped, on another thread (completion routines then run at DISPATCH_LEVEL), or failing. Canceling
/// such an IRP makes the target complete it with STATUS_CANCELLED.
/// </summary>
internal static class PhysicalDevice
{
    public static DEVICE_OBJECT Create(DriverRuntime runtime, SimulatedIoTarget target)
    {
        var busDriver = new DRIVER_OBJECT(runtime, @"\Driver\SimulatedBus");
        var device = new DEVICE_OBJECT(runtime, busDriver, @"\Device\SimulatedPdo", Wdm.FILE_DEVICE_BUS_EXTENDER)
        {
            LowerTargetSimulation = target,
            HostDispatch = (self, irp) => Dispatch(target, irp),
        };
        device.Flags &= ~Wdm.DO_DEVICE_INITIALIZING;
        return device;
    }

    private static NTSTATUS Dispatch(SimulatedIoTarget target, IRP irp)
    {
        var location = irp.LocationAt(irp.CurrentLocation)!;
        if (FormatOf(irp, location) is not { } format)
        {
            return Complete(irp, Wdm.STATUS_SUCCESS, 0);
        }
        var description = RequestSender.Describe(irp.ToString(), format, irp.Tracker.Result);
        var script = target.ScriptFor(description);
        if (script.Mode == TargetCompletionMode.FailSend)
        {
            return Complete(irp, script.SendFailureStatus, 0);
        }
        var operation = new TargetOperation(null, format, description, synchronous: false,
            (op, response) =>
            {
                var information = op.DeliverResponse(response);
                irp.IoStatus.Status = response.Status;
                irp.IoStatus.Information = information;
                IrpCompletion.Complete(irp, $"the lower device ({target.Name})");
            })
        {
            Script = script,
        };
        target.Record(operation.Description);
        bool completesLater = script.Mode != TargetCompletionMode.Immediately;
        if (completesLater)
        {
            location.Control |= Wdm.SL_PENDING_RETURNED;
            irp.Tracker.SetCancelHandler(() => operation.Cancel());
            irp.Tracker.PendingAtTarget = operation;
        }
        target.Start(operation);
        if (!completesLater)
        {
            return irp.IoStatus.Status;
        }
        if (irp.Cancel)
        {
            operation.Cancel();
        }
        return Wdm.STATUS_PENDING;
    }

    private static NTSTATUS Complete(IRP irp, NTSTATUS status, nuint information)
    {
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = information;
        IrpCompletion.Complete(irp, "the lower device");
        return status;
    }

    /// <summary>The buffers and lengths of a read, write or IOCTL as this stack location describes them; null for other IRPs.</summary>
    private static TargetFormat? FormatOf(IRP irp, IO_STACK_LOCATION location)
    {
        var p = location.Parameters;
        switch (location.MajorFunction)
        {
            case Wdm.IRP_MJ_READ:
                return new TargetFormat(WDF_REQUEST_TYPE.WdfRequestTypeRead, null,
                    Region(TransferBuffer(irp, input: false), p.Read.Length), 0, p.Read.ByteOffset);
            case Wdm.IRP_MJ_WRITE:
                return new TargetFormat(WDF_REQUEST_TYPE.WdfRequestTypeWrite,
                    Region(TransferBuffer(irp, input: true), p.Write.Length), null, 0, p.Write.ByteOffset);
            case Wdm.IRP_MJ_DEVICE_CONTROL:
            case Wdm.IRP_MJ_INTERNAL_DEVICE_CONTROL:
                var control = p.DeviceIoControl;
                var (input, output) = (control.IoControlCode & 3) switch
                {
                    Wdm.METHOD_BUFFERED => (irp.AssociatedIrp.SystemBuffer, irp.AssociatedIrp.SystemBuffer),
                    Wdm.METHOD_IN_DIRECT or Wdm.METHOD_OUT_DIRECT => (irp.AssociatedIrp.SystemBuffer, MdlBuffer(irp)),
                    _ => (control.Type3InputBuffer, irp.UserBuffer),
                };
                var type = location.MajorFunction == Wdm.IRP_MJ_DEVICE_CONTROL
                    ? WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl : WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal;
                return new TargetFormat(type, Region(input, control.InputBufferLength), Region(output, control.OutputBufferLength),
                    control.IoControlCode, 0);
            default:
                return null;
        }
    }

    /// <summary>Where a read's or write's bytes are: the system buffer, else the MDL's pages, else the user address.</summary>
    private static PVOID TransferBuffer(IRP irp, bool input) =>
        irp.AssociatedIrp.SystemBuffer != default ? irp.AssociatedIrp.SystemBuffer
        : irp.MdlAddress != default ? MdlBuffer(irp)
        : irp.UserBuffer;

    /// <summary>The pages an MDL describes, as the device reaches them (DMA needs no system mapping).</summary>
    private static PVOID MdlBuffer(IRP irp) => irp.MdlAddress.Object?.VirtualAddress ?? default;

    private static TransferRegion? Region(PVOID buffer, uint length) => length == 0 ? null : new TransferRegion(buffer, length, null);
}
