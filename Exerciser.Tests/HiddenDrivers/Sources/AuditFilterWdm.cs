// A WDM upper filter written for the exerciser's tests in the style of a WDK sample, which the exerciser's authors
// never saw: it audits device-control requests on their way down (a record per request, freed by its completion
// routine) and counts the successful ones. It has three real bugs, each marked "BUG": the exerciser must find and
// confirm them.
using DriverBuffers;
using static DriverBuffers.Wdm;

namespace HiddenDrivers.Audit;

public sealed class AUDIT_EXTENSION
{
    public DEVICE_OBJECT? LowerDevice;
    public PVOID Counters;
}

public static class AuditFilter
{
    private const uint AUDIT_TAG = 0x74696441; // 'Adit'

    private static AUDIT_EXTENSION Extension(DEVICE_OBJECT device) => (AUDIT_EXTENSION)device.DeviceExtension!;

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        {
            DriverObject.MajorFunction[i] = AuditDispatchPassThrough;
        }
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = AuditDispatchDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = AuditDispatchPnp;
        DriverObject.DriverExtension.AddDevice = AuditAddDevice;
        DriverObject.DriverUnload = AuditUnload;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS AuditAddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE, out var device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        var extension = new AUDIT_EXTENSION();
        device.DeviceExtension = extension;

        // The counters are only touched at PASSIVE_LEVEL, or so the author thought.
        extension.Counters = ExAllocatePool2(POOL_FLAG_PAGED, 16, AUDIT_TAG);
        if (extension.Counters == NULL)
        {
            IoDeleteDevice(device);
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        extension.LowerDevice = IoAttachDeviceToDeviceStack(device, PhysicalDeviceObject);
        if (extension.LowerDevice == null)
        {
            ExFreePoolWithTag(extension.Counters, AUDIT_TAG);
            IoDeleteDevice(device);
            return STATUS_NO_SUCH_DEVICE;
        }

        device.Flags |= extension.LowerDevice.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS AuditDispatchPassThrough(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(Extension(DeviceObject).LowerDevice!, Irp);
    }

    private static NTSTATUS AuditDispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = Extension(DeviceObject);
        var stack = IoGetCurrentIrpStackLocation(Irp);
        uint code = stack.Parameters.DeviceIoControl.IoControlCode;
        uint caller = 0;

        if ((code & 3) == METHOD_NEITHER && stack.Parameters.DeviceIoControl.InputBufferLength >= sizeof(uint))
        {
            caller = stack.Parameters.DeviceIoControl.Type3InputBuffer.Read<uint>(0); // BUG DRV042: a user address read without ProbeForRead
        }

        var record = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, AUDIT_TAG); // BUG PoolLeak: the completion routine frees it only when the lower driver succeeds
        if (record == NULL)
        {
            return AuditDispatchPassThrough(DeviceObject, Irp);
        }
        record.Write<uint>(0, code);
        record.Write<uint>(4, caller);

        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, AuditCompletion, record, TRUE, TRUE, TRUE);
        return IoCallDriver(extension.LowerDevice!, Irp);
    }

    private static NTSTATUS AuditCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        var extension = Extension(DeviceObject);

        if (Irp.PendingReturned)
        {
            IoMarkIrpPending(Irp);
        }

        if (NT_SUCCESS(Irp.IoStatus.Status))
        {
            uint succeeded = extension.Counters.Read<uint>(0); // BUG DRV037: paged pool read in a completion routine, which may run at DISPATCH_LEVEL
            extension.Counters.Write<uint>(0, succeeded + 1);
            ExFreePoolWithTag((PVOID)Context!, AUDIT_TAG);
        }

        return STATUS_CONTINUE_COMPLETION;
    }

    private static NTSTATUS AuditDispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = Extension(DeviceObject);
        var stack = IoGetCurrentIrpStackLocation(Irp);

        if (stack.MinorFunction != IRP_MN_REMOVE_DEVICE)
        {
            return AuditDispatchPassThrough(DeviceObject, Irp);
        }

        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        var status = IoCallDriver(extension.LowerDevice!, Irp);
        IoDetachDevice(extension.LowerDevice!);
        ExFreePoolWithTag(extension.Counters, AUDIT_TAG);
        IoDeleteDevice(DeviceObject);
        return status;
    }

    private static void AuditUnload(DRIVER_OBJECT DriverObject)
    {
    }
}
