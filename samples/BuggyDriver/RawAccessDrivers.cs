using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace BuggyDriver;

/// <summary>
/// A legacy WDM driver for diagnostic tools: DriverEntry creates the control device (neither I/O) and takes its writes and IOCTLs.
/// </summary>
public static class RawControlDriver
{
    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        RtlInitUnicodeString(out var name, "\\Device\\EchoRawControl");
        var status = IoCreateDevice(DriverObject, 0, name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, out var control);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        RawAccess.AddControlDevice(control);
        DriverObject.MajorFunction[IRP_MJ_WRITE] = RawAccess.DispatchControlWrite;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = RawAccess.DispatchControlIoctl;
        DriverObject.DriverUnload = DriverUnload;
        return STATUS_SUCCESS;
    }

    private static void DriverUnload(DRIVER_OBJECT DriverObject)
    {
        if (DriverObject.DeviceObject is { } control)
        {
            IoDeleteDevice(control);
        }
    }
}

/// <summary>
/// A Plug and Play WDM driver: AddDevice creates the transfer device (direct I/O) on the device stack; reads and writes
/// go to its dispatch routines, Plug and Play requests down the stack, and the removal deletes the device.
/// </summary>
public static class RawTransferDriver
{
    /// <summary>The transfer device's extension: the device below it.</summary>
    private sealed class TransferExtension
    {
        public DEVICE_OBJECT? LowerDevice;
    }

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_READ] = RawAccess.DispatchTransferRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = RawAccess.DispatchTransferWrite;
        DriverObject.MajorFunction[IRP_MJ_PNP] = DispatchPnp;
        DriverObject.DriverExtension.AddDevice = AddDevice;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS AddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var status = IoCreateDevice(DriverObject, 0, null, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, out var fdo);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        fdo.DeviceExtension = new TransferExtension { LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject) };
        RawAccess.AddTransferDevice(fdo);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS DispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var lower = ((TransferExtension)DeviceObject.DeviceExtension!).LowerDevice!;
        bool removing = IoGetCurrentIrpStackLocation(Irp).MinorFunction == IRP_MN_REMOVE_DEVICE;

        IoSkipCurrentIrpStackLocation(Irp);
        var status = IoCallDriver(lower, Irp);
        if (removing)
        {
            IoDetachDevice(lower);
            IoDeleteDevice(DeviceObject);
        }

        return status;
    }
}
