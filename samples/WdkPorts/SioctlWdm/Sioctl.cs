// Port of Windows-driver-samples general/ioctl/wdm/sys/sioctl.c and sioctl.h (MS-PL), whole from DriverEntry down,
// translated mechanically to the DriverBuffers API (API.md's translation rules): a legacy WDM driver that creates its
// device in DriverEntry and shows the four IOCTL transfer methods.
// Left out: the symbolic link (IoCreateSymbolicLink/IoDeleteSymbolicLink: not in the API; the host opens the device by
// its NT name), the debug prints (SIOCTL_KDPRINT, KdPrint in PrintChars and PrintIrpInfo: PrintChars still reads
// every byte it would print), and the alloc_text pragmas.
using System;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace SioctlWdm;

public static class Sioctl
{
    // sioctl.h: device type in the "User Defined" range; function codes 0x800-0xFFF are for customer use.
    public const uint SIOCTL_TYPE = 40000;
    // CTL_CODE(SIOCTL_TYPE, function, method, FILE_ANY_ACCESS), spelled out so that the codes are constants as in C.
    public const uint IOCTL_SIOCTL_METHOD_IN_DIRECT = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x900 << 2) | METHOD_IN_DIRECT;
    public const uint IOCTL_SIOCTL_METHOD_OUT_DIRECT = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x901 << 2) | METHOD_OUT_DIRECT;
    public const uint IOCTL_SIOCTL_METHOD_BUFFERED = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x902 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SIOCTL_METHOD_NEITHER = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x903 << 2) | METHOD_NEITHER;

    private const string NT_DEVICE_NAME = "\\Device\\SIOCTL";

    // const CHAR DeviceDriverMessage[] = "This String is from Device Driver !!!"; (with its terminating NUL)
    private static readonly byte[] DeviceDriverMessage = System.Text.Encoding.ASCII.GetBytes("This String is from Device Driver !!!\0");
    private static readonly uint DeviceDriverMessageLength = (uint)DeviceDriverMessage.Length - 1;

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS ntStatus;
        DEVICE_OBJECT? deviceObject;

        UNREFERENCED_PARAMETER(RegistryPath);

        RtlInitUnicodeString(out var ntUnicodeString, NT_DEVICE_NAME);

        ntStatus = IoCreateDevice(
            DriverObject,                   // Our Driver Object
            0,                              // We don't use a device extension
            ntUnicodeString,                // Device name "\Device\SIOCTL"
            FILE_DEVICE_UNKNOWN,            // Device type
            FILE_DEVICE_SECURE_OPEN,        // Device characteristics
            false,                          // Not an exclusive device
            out deviceObject);              // Returned Device Object

        if (!NT_SUCCESS(ntStatus))
        {
            return ntStatus;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = SioctlCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = SioctlCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = SioctlDeviceControl;
        DriverObject.DriverUnload = SioctlUnloadDriver;

        return ntStatus;
    }

    private static NTSTATUS SioctlCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        PAGED_CODE();

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;

        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    private static void SioctlUnloadDriver(DRIVER_OBJECT DriverObject)
    {
        var deviceObject = DriverObject.DeviceObject;

        PAGED_CODE();

        if (deviceObject != null)
        {
            IoDeleteDevice(deviceObject);
        }
    }

    private static NTSTATUS SioctlDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION irpSp;
        NTSTATUS ntStatus = STATUS_SUCCESS;
        uint inBufLength;
        uint outBufLength;

        UNREFERENCED_PARAMETER(DeviceObject);

        PAGED_CODE();

        irpSp = IoGetCurrentIrpStackLocation(Irp);
        inBufLength = irpSp.Parameters.DeviceIoControl.InputBufferLength;
        outBufLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;

        if (!(inBufLength != 0 && outBufLength > DeviceDriverMessageLength))
        {
            ntStatus = STATUS_INVALID_PARAMETER;
            goto End;
        }

        switch (irpSp.Parameters.DeviceIoControl.IoControlCode)
        {
            case IOCTL_SIOCTL_METHOD_BUFFERED:
                ntStatus = SioctlMethodBuffered(Irp, inBufLength);
                break;

            case IOCTL_SIOCTL_METHOD_NEITHER:
                ntStatus = SioctlMethodNeither(Irp, irpSp, inBufLength);
                break;

            case IOCTL_SIOCTL_METHOD_IN_DIRECT:
                ntStatus = SioctlMethodInDirect(Irp, inBufLength);
                break;

            case IOCTL_SIOCTL_METHOD_OUT_DIRECT:
                ntStatus = SioctlMethodOutDirect(Irp, inBufLength);
                break;

            default:
                // The specified I/O control code is unrecognized by this driver.
                ntStatus = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

    End:
        Irp.IoStatus.Status = ntStatus;

        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return ntStatus;
    }

    private static NTSTATUS SioctlMethodBuffered(IRP Irp, uint inputBufferLength)
    {
        PAGED_CODE();

        PrintIrpInfo(Irp);

        // Input buffer and output buffer are the same here: read the content before writing to it.
        PVOID inBuf = Irp.AssociatedIrp.SystemBuffer;
        PVOID outBuf = Irp.AssociatedIrp.SystemBuffer;

        PrintChars(inBuf, inputBufferLength);

        // RtlCopyBytes(outBuf, DeviceDriverMessage, DeviceDriverMessageLength + 1): overwrites the input.
        outBuf.CopyFrom(DeviceDriverMessage.AsSpan(0, (int)DeviceDriverMessageLength + 1), 0);

        PrintChars(outBuf, DeviceDriverMessageLength);

        Irp.IoStatus.Information = DeviceDriverMessageLength + 1;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS CheckBufferAccess(PVOID Buffer, uint Length)
    {
        PAGED_CODE();

        try
        {
            ProbeForRead(Buffer, Length, sizeof(byte));

            // The buffer can change or go away at any time: touch it only inside the exception handler.
            PrintChars(Buffer, Length);
        }
        catch (NtStatusException e)
        {
            return e.Status;
        }

        return STATUS_SUCCESS;
    }

    private static NTSTATUS MapUserModeAddress(PVOID Buffer, uint Length, LOCK_OPERATION Operation, out PMDL OutputMdl, out PVOID MappedBuffer)
    {
        PAGED_CODE();

        OutputMdl = default;
        MappedBuffer = NULL;

        PMDL mdl = IoAllocateMdl(Buffer, Length, false, true, null);

        if (mdl == default)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        try
        {
            MmProbeAndLockPages(mdl, UserMode, Operation);
        }
        catch (NtStatusException e)
        {
            IoFreeMdl(mdl);
            return e.Status;
        }

        PVOID buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);

        if (buffer == NULL)
        {
            MmUnlockPages(mdl);
            IoFreeMdl(mdl);
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        OutputMdl = mdl;
        MappedBuffer = buffer;

        return STATUS_SUCCESS;
    }

    private static void FreeAndUnlockMdl(PMDL mdl)
    {
        PAGED_CODE();

        MmUnlockPages(mdl);
        IoFreeMdl(mdl);
    }

    private static NTSTATUS SioctlMethodNeither(IRP Irp, IO_STACK_LOCATION IrpSp, uint inputBufferLength)
    {
        PAGED_CODE();

        PrintIrpInfo(Irp);

        PVOID inBuf = IrpSp.Parameters.DeviceIoControl.Type3InputBuffer;
        PVOID outBuf = Irp.UserBuffer;

        NTSTATUS ntStatus = CheckBufferAccess(inBuf, inputBufferLength);

        if (ntStatus != STATUS_SUCCESS)
        {
            return ntStatus;
        }

        ntStatus = MapUserModeAddress(inBuf, inputBufferLength, IoReadAccess, out var inputMdl, out var mappedInputBuffer);

        if (ntStatus != STATUS_SUCCESS)
        {
            return ntStatus;
        }

        PrintChars(mappedInputBuffer, inputBufferLength);

        FreeAndUnlockMdl(inputMdl);

        ntStatus = MapUserModeAddress(outBuf, DeviceDriverMessageLength + 1, IoWriteAccess, out var outputMdl, out var mappedOutputBuffer);

        if (ntStatus != STATUS_SUCCESS)
        {
            return ntStatus;
        }

        mappedOutputBuffer.CopyFrom(DeviceDriverMessage.AsSpan(0, (int)DeviceDriverMessageLength + 1), 0);

        PrintChars(mappedOutputBuffer, DeviceDriverMessageLength);

        FreeAndUnlockMdl(outputMdl);

        Irp.IoStatus.Information = DeviceDriverMessageLength + 1;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS SioctlMethodInDirect(IRP Irp, uint inputBufferLength)
    {
        PAGED_CODE();

        PrintIrpInfo(Irp);

        PVOID inBuf = Irp.AssociatedIrp.SystemBuffer;

        PrintChars(inBuf, inputBufferLength);

        // The output buffer carries data from the application to the driver in this method.
        PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);

        if (buffer == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        PrintChars(buffer, MmGetMdlByteCount(Irp.MdlAddress) - 1);

        Irp.IoStatus.Information = MmGetMdlByteCount(Irp.MdlAddress);

        return STATUS_SUCCESS;
    }

    private static NTSTATUS SioctlMethodOutDirect(IRP Irp, uint inputBufferLength)
    {
        PAGED_CODE();

        PrintIrpInfo(Irp);

        PVOID inBuf = Irp.AssociatedIrp.SystemBuffer;

        PrintChars(inBuf, inputBufferLength);

        PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);

        if (buffer == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        buffer.CopyFrom(DeviceDriverMessage.AsSpan(0, (int)DeviceDriverMessageLength + 1), 0);

        PrintChars(buffer, DeviceDriverMessageLength);

        Irp.IoStatus.Information = DeviceDriverMessageLength + 1;

        return STATUS_SUCCESS;
    }

    private static void PrintIrpInfo(IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);

        PAGED_CODE();

        UNREFERENCED_PARAMETER(irpSp);
    }

    /// <summary>Reads every character it would print (the prints themselves are left out).</summary>
    private static void PrintChars(PVOID BufferAddress, nuint CountChars)
    {
        PAGED_CODE();

        nuint printable = 0;
        nuint offset = 0;
        while (CountChars-- > 0)
        {
            byte c = BufferAddress.Read<byte>(offset);
            if (c > 31 && c != 127)
            {
                printable++;
            }
            offset++;
        }
        UNREFERENCED_PARAMETER(printable);
    }
}
