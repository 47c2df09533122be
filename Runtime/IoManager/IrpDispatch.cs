using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers.IoManager;

/// <summary>
/// <c>IoCallDriver</c>: moves the IRP to the next stack location and calls the dispatch routine of the device's
/// driver for its major function (the framework's for a KMDF device, the host's for its own devices). A driver
/// without a routine for the function fails the IRP with STATUS_INVALID_DEVICE_REQUEST, as the I/O manager's
/// default routine does.
/// </summary>
internal static class IrpDispatch
{
    public static NTSTATUS Call(DEVICE_OBJECT device, IRP irp, string ddi)
    {
        if (irp.CurrentLocation - 1 < 1)
        {
            device.Runtime.Verifier.Report(Rules.NoMoreIrpStackLocations, ddi, irp.ToString(),
                $"the IRP has {irp.StackCount} stack location(s) and all are used; {device} needs one more (StackSize)");
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        irp.CurrentLocation--;
        var location = irp.LocationAt(irp.CurrentLocation)!;
        location.DeviceObject = device;
        if (device.HostDispatch is { } host)
        {
            return host(device, irp);
        }
        byte major = location.MajorFunction;
        var dispatch = major < Wdm.IRP_MJ_MAXIMUM_FUNCTION + 1 ? device.DriverObject?.MajorFunction[major] : null;
        if (dispatch is null)
        {
            irp.IoStatus.Status = Wdm.STATUS_INVALID_DEVICE_REQUEST;
            irp.IoStatus.Information = 0;
            IrpCompletion.Complete(irp, "the I/O manager (the driver has no dispatch routine for this major function)");
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        if (Framework.DriverCode.Is(dispatch.Method))
        {
            irp.Tracker.ReceivedBy = dispatch.Method;
        }
        return ThreadIrql.RunCallback(device.Runtime, ThreadIrql.Current, $"MajorFunction[0x{major:X2}]", () => dispatch(device, irp));
    }
}
