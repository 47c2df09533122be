using System.Collections.Generic;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>
/// A WDM function driver written as WDK samples are: AddDevice creates and attaches a device with a device
/// extension; PnP start is forwarded synchronously, remove passes down, detaches and deletes; reads go down with
/// a completion routine (which records the IRQL it ran at); writes go down untouched. Each instance is one loaded
/// driver (its "globals").
/// </summary>
internal sealed class WdmFilterDriver
{
    public readonly List<string> Calls = new();
    public readonly List<KIRQL> CompletionIrqls = new();
    public bool DeleteDeviceOnRemove = true;
    public bool HoldReadsForMoreProcessing;
    public bool ForwardReadsSynchronously;
    public IRP? HeldIrp;

    public sealed class DEVICE_EXTENSION
    {
        public DEVICE_OBJECT? LowerDevice;
        public DEVICE_OBJECT? Self;
    }

    private static DEVICE_EXTENSION Extension(DEVICE_OBJECT device) => (DEVICE_EXTENSION)device.DeviceExtension!;

    public NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        Calls.Add("DriverEntry");
        DriverObject.MajorFunction[IRP_MJ_CREATE] = DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = DispatchCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = DispatchRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = DispatchPassThrough;
        DriverObject.MajorFunction[IRP_MJ_PNP] = DispatchPnp;
        DriverObject.DriverExtension.AddDevice = AddDevice;
        DriverObject.DriverUnload = driverObject => Calls.Add("DriverUnload");
        return STATUS_SUCCESS;
    }

    private NTSTATUS AddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        Calls.Add("AddDevice");
        var status = IoCreateDevice(DriverObject, 64, NULL, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE, out var device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        var extension = new DEVICE_EXTENSION { Self = device };
        device.DeviceExtension = extension;
        extension.LowerDevice = IoAttachDeviceToDeviceStack(device, PhysicalDeviceObject);
        if (extension.LowerDevice == null)
        {
            IoDeleteDevice(device);
            return STATUS_NO_SUCH_DEVICE;
        }
        device.Flags |= DO_BUFFERED_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private NTSTATUS DispatchCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private NTSTATUS DispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = Extension(DeviceObject);
        var stack = IoGetCurrentIrpStackLocation(Irp);
        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                Calls.Add("IRP_MN_START_DEVICE");
                IoForwardIrpSynchronously(DeviceObject, Irp);
                var status = Irp.IoStatus.Status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            case IRP_MN_REMOVE_DEVICE:
                Calls.Add("IRP_MN_REMOVE_DEVICE");
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(extension.LowerDevice!, Irp);
                IoDetachDevice(extension.LowerDevice!);
                if (DeleteDeviceOnRemove)
                {
                    IoDeleteDevice(DeviceObject);
                }
                return status;
            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(extension.LowerDevice!, Irp);
        }
    }

    private NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (ForwardReadsSynchronously)
        {
            IoForwardIrpSynchronously(DeviceObject, Irp);
            var status = Irp.IoStatus.Status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return status;
        }
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, ReadCompletion, this, TRUE, TRUE, TRUE);
        return IoCallDriver(Extension(DeviceObject).LowerDevice!, Irp);
    }

    private NTSTATUS ReadCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        CompletionIrqls.Add(KeGetCurrentIrql());
        if (HoldReadsForMoreProcessing)
        {
            HeldIrp = Irp;
            return STATUS_MORE_PROCESSING_REQUIRED;
        }
        if (Irp.PendingReturned)
        {
            IoMarkIrpPending(Irp);
        }
        return STATUS_CONTINUE_COMPLETION;
    }

    private NTSTATUS DispatchPassThrough(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(Extension(DeviceObject).LowerDevice!, Irp);
    }
}
