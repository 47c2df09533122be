// A WDM driver ported from the "three ways to access user buffers" article: a direct-I/O
// device (read/write through Irp->MdlAddress, length from the MDL), a buffered-I/O control
// path (Irp->AssociatedIrp.SystemBuffer) and a neither-I/O device that probes Irp->UserBuffer.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class WdmRamDisk
{
    public const uint RamTag = 0x6D615244; // 'DRam'
    public const uint RAMDISK_SIZE = 512;
    public const uint IOCTL_RAMDISK_GET_SIZE = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x820 << 2) | METHOD_BUFFERED;

    public PVOID Storage;

    public static void RamDiskAddDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    public NTSTATUS RamDiskInitialize()
    {
        Storage = ExAllocatePool2(POOL_FLAG_NON_PAGED, RAMDISK_SIZE, RamTag);
        return Storage == NULL ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
    }

    public void RamDiskUnload()
    {
        if (Storage != NULL)
        {
            ExFreePoolWithTag(Storage, RamTag);
            Storage = NULL;
        }
    }

    public NTSTATUS RamDiskDispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status = STATUS_SUCCESS;
        nuint information = 0;
        PVOID buffer;
        uint length;

        if (Irp.MdlAddress == NULL)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        length = MmGetMdlByteCount(Irp.MdlAddress);
        buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
        if (buffer == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto Exit;
        }

        if (length > RAMDISK_SIZE)
        {
            length = RAMDISK_SIZE;
        }

        RtlCopyMemory(buffer, Storage, length);
        information = length;

    Exit:
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    public NTSTATUS RamDiskDispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status = STATUS_SUCCESS;
        PVOID buffer;
        uint length = 0;

        if (Irp.MdlAddress != NULL)
        {
            length = MmGetMdlByteCount(Irp.MdlAddress);
            buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
            if (buffer == NULL)
            {
                status = STATUS_INSUFFICIENT_RESOURCES;
                length = 0;
            }
            else if (length > RAMDISK_SIZE)
            {
                status = STATUS_INVALID_BUFFER_SIZE;
                length = 0;
            }
            else
            {
                RtlCopyMemory(Storage, buffer, length);
            }
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    public NTSTATUS RamDiskDispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
        NTSTATUS status;
        nuint information = 0;

        switch (stack.Parameters.DeviceIoControl.IoControlCode)
        {
            case IOCTL_RAMDISK_GET_SIZE:
                if (stack.Parameters.DeviceIoControl.OutputBufferLength < sizeof(uint))
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    break;
                }

                Irp.AssociatedIrp.SystemBuffer.Write<uint>(0, RAMDISK_SIZE);
                information = sizeof(uint);
                status = STATUS_SUCCESS;
                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}

public sealed class WdmNeitherMailbox
{
    public const uint MailTag = 0x6C69614D; // 'Mail'
    public const uint MAILBOX_SIZE = 128;

    public PVOID Mailbox;

    public NTSTATUS MailboxInitialize()
    {
        Mailbox = ExAllocatePool2(POOL_FLAG_NON_PAGED, MAILBOX_SIZE, MailTag);
        return Mailbox == NULL ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
    }

    public void MailboxUnload()
    {
        if (Mailbox != NULL)
        {
            ExFreePoolWithTag(Mailbox, MailTag);
            Mailbox = NULL;
        }
    }

    public NTSTATUS MailboxDispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
        NTSTATUS status = STATUS_SUCCESS;
        uint length = stack.Parameters.Write.Length;

        if (length > MAILBOX_SIZE)
        {
            length = MAILBOX_SIZE;
        }

        try
        {
            ProbeForRead(Irp.UserBuffer, length, 1);
            RtlCopyMemory(Mailbox, Irp.UserBuffer, length);
        }
        catch (NtStatusException e)
        {
            status = e.Status;
            length = 0;
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}

public sealed class WdmRamDiskBuggy
{
    public const uint RAMDISK_SIZE = 512;

    public PVOID Storage;

    public NTSTATUS RamDiskDispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
        NTSTATUS status = STATUS_SUCCESS;
        nuint information = 0;
        PVOID buffer;
        uint length;

        length = stack.Parameters.Read.Length; // BUG DRV043
        buffer = MmGetSystemAddressForMdl(Irp.MdlAddress); // BUG DRV032
        if (length > RAMDISK_SIZE)
        {
            length = RAMDISK_SIZE;
        }

        RtlCopyMemory(buffer, Storage, length);
        information = length;

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    public NTSTATUS RamDiskDispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        DeviceObject.Flags |= DO_BUFFERED_IO; // BUG DRV044
        Irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}

public sealed class WdmNeitherMailboxBuggy
{
    public const uint MAILBOX_SIZE = 128;

    public PVOID Mailbox;

    public NTSTATUS MailboxDispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
        uint length = stack.Parameters.Write.Length;

        if (length > MAILBOX_SIZE)
        {
            length = MAILBOX_SIZE;
        }

        RtlCopyMemory(Mailbox, Irp.UserBuffer, length); // BUG DRV042

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
