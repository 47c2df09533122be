// BUGGY variant of Sioctl.cs (same port, same sources and translation notes below) with bugs a WDM driver writer
// plausibly makes, each marked on the line the finding belongs to (the shipped sample's own DRV020s stay marked).
// Port of the shipped WDM IOCTL sample (microsoft/Windows-driver-samples, general/ioctl/wdm/sys): sioctl.c (DriverEntry,
// SioctlCreateClose, SioctlUnloadDriver, SioctlDeviceControl) and sioctl.h. A legacy (non-PnP) WDM driver: one IOCTL per
// transfer method, METHOD_NEITHER buffers probed and locked behind MDLs in the dispatch routine itself.
// Mechanical translation per API.md; where the API differs:
//   * the C string literal `data` ("This String is from Device Driver !!!", 38 bytes with its NUL) lives as long as the
//     call: it is a LOCAL_BUFFER of its length filled with it; RtlCopyBytes is RtlCopyMemory (the same macro);
//   * try/except around ProbeForRead and MmProbeAndLockPages is try/catch (NtStatusException), GetExceptionCode() its Status.
// Left out: PrintIrpInfo and PrintChars (debug output only: SIOCTL_KDPRINT/KdPrint; note that the shipped
// PrintChars(outBuf, datalen) reads 38 bytes of a buffer that may be shorter), IoCreateDevice's FILE_DEVICE_SECURE_OPEN
// security descriptor.
// The shipped sample has a real bug, kept and marked: every method copies outBufLength bytes OUT of `data`
// (RtlCopyBytes(outBuf, data, outBufLength)), which holds 38; an application asking for more gets the bytes that follow
// the literal in the image (the information it reports is min(outBufLength, datalen), so they are even returned).
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class SioctlBuggy
{
    public const string NT_DEVICE_NAME = @"\Device\SIOCTL";
    public const string DOS_DEVICE_NAME = @"\DosDevices\IoctlTest";
    public const uint FILE_DEVICE_SECURE_OPEN = 0x00000100;
    public const uint SIOCTL_TYPE = 40000;
    // CTL_CODE(SIOCTL_TYPE, function, method, FILE_ANY_ACCESS)
    public const uint IOCTL_SIOCTL_METHOD_IN_DIRECT = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x900 << 2) | METHOD_IN_DIRECT;
    public const uint IOCTL_SIOCTL_METHOD_OUT_DIRECT = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x901 << 2) | METHOD_OUT_DIRECT;
    public const uint IOCTL_SIOCTL_METHOD_BUFFERED = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x902 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SIOCTL_METHOD_NEITHER = (SIOCTL_TYPE << 16) | (FILE_ANY_ACCESS << 14) | (0x903 << 2) | METHOD_NEITHER;

    public static readonly byte[] DeviceString = "This String is from Device Driver !!!\0"u8.ToArray();

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS ntStatus;
        UNICODE_STRING ntUnicodeString;
        UNICODE_STRING ntWin32NameString;
        DEVICE_OBJECT deviceObject;

        UNREFERENCED_PARAMETER(RegistryPath);

        RtlInitUnicodeString(out ntUnicodeString, NT_DEVICE_NAME);

        ntStatus = IoCreateDevice(DriverObject, 0, ntUnicodeString, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE,
            out deviceObject);
        if (!NT_SUCCESS(ntStatus))
        {
            return ntStatus;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = SioctlCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = SioctlCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = SioctlDeviceControl;
        DriverObject.DriverUnload = SioctlUnloadDriver;

        RtlInitUnicodeString(out ntWin32NameString, DOS_DEVICE_NAME);

        ntStatus = IoCreateSymbolicLink(ntWin32NameString, ntUnicodeString);
        if (!NT_SUCCESS(ntStatus))
        {
            IoDeleteDevice(deviceObject);
        }

        return ntStatus;
    }

    public static NTSTATUS SioctlCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        PAGED_CODE();

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;

        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static void SioctlUnloadDriver(DRIVER_OBJECT DriverObject)
    {
        DEVICE_OBJECT? deviceObject = DriverObject.DeviceObject;
        UNICODE_STRING uniWin32NameString;

        PAGED_CODE();

        RtlInitUnicodeString(out uniWin32NameString, DOS_DEVICE_NAME);

        IoDeleteSymbolicLink(uniWin32NameString);

        if (deviceObject != null)
        {
            IoDeleteDevice(deviceObject);
        }
    }

    public static NTSTATUS SioctlDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION irpSp;
        NTSTATUS ntStatus = STATUS_SUCCESS;
        uint inBufLength;
        uint outBufLength;
        PVOID inBuf, outBuf;
        using var data = new LOCAL_BUFFER(DeviceString.Length);
        data.Address.CopyFrom(DeviceString, 0);
        nuint datalen = (nuint)DeviceString.Length;
        PMDL mdl = default;
        PVOID buffer = NULL;

        UNREFERENCED_PARAMETER(DeviceObject);

        PAGED_CODE();

        irpSp = IoGetCurrentIrpStackLocation(Irp);
        inBufLength = irpSp.Parameters.DeviceIoControl.InputBufferLength;
        outBufLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;

        if (inBufLength == 0 || outBufLength == 0)
        {
            ntStatus = STATUS_INVALID_PARAMETER;
            goto End;
        }

        switch (irpSp.Parameters.DeviceIoControl.IoControlCode)
        {
            case IOCTL_SIOCTL_METHOD_BUFFERED:
            {
                inBuf = Irp.AssociatedIrp.SystemBuffer;
                outBuf = Irp.AssociatedIrp.SystemBuffer;

                RtlCopyMemory(outBuf, data.Address, outBufLength); // BUG DRV020 (the shipped sample: outBufLength bytes out of the 38 of data)

                Irp.IoStatus.Information = outBufLength < datalen ? outBufLength : datalen;
                break;
            }
            case IOCTL_SIOCTL_METHOD_NEITHER:
            {
                inBuf = irpSp.Parameters.DeviceIoControl.Type3InputBuffer;
                outBuf = Irp.UserBuffer;

                if (inBuf.Read<byte>(0) == 0) // BUG DRV042: the user's first byte read before ProbeForRead
                {
                    ntStatus = STATUS_INVALID_PARAMETER;
                    break;
                }

                try
                {
                    ProbeForRead(inBuf, inBufLength, 1);
                }
                catch (NtStatusException e)
                {
                    ntStatus = e.Status;
                    break;
                }

                mdl = IoAllocateMdl(inBuf, inBufLength, FALSE, TRUE, null);
                if (mdl == default)
                {
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                try
                {
                    MmProbeAndLockPages(mdl, UserMode, IoReadAccess);
                }
                catch (NtStatusException e)
                {
                    ntStatus = e.Status;
                    IoFreeMdl(mdl);
                    break;
                }

                buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    MmUnlockPages(mdl);
                    IoFreeMdl(mdl);
                    break;
                }

                MmUnlockPages(mdl);
                IoFreeMdl(mdl);

                byte command = buffer.Read<byte>(0); // BUG DRV036: the input MDL's system address read after IoFreeMdl

                mdl = IoAllocateMdl(outBuf, outBufLength, FALSE, TRUE, null);
                if (mdl == default)
                {
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                try
                {
                    MmProbeAndLockPages(mdl, UserMode, IoWriteAccess);
                }
                catch (NtStatusException e)
                {
                    ntStatus = e.Status;
                    IoFreeMdl(mdl);
                    break;
                }

                buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    MmUnlockPages(mdl);
                    IoFreeMdl(mdl);
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                RtlCopyMemory(buffer, data.Address, outBufLength); // BUG DRV020 (the shipped sample)

                MmUnlockPages(mdl);
                IoFreeMdl(mdl);

                Irp.IoStatus.Information = outBufLength < datalen ? outBufLength : datalen;
                break;
            }
            case IOCTL_SIOCTL_METHOD_IN_DIRECT:
            {
                inBuf = Irp.AssociatedIrp.SystemBuffer;

                buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                Irp.IoStatus.Information = MmGetMdlByteCount(Irp.MdlAddress);
                break;
            }
            case IOCTL_SIOCTL_METHOD_OUT_DIRECT:
            {
                inBuf = Irp.AssociatedIrp.SystemBuffer;

                buffer = MmGetSystemAddressForMdl(Irp.MdlAddress); // BUG DRV032
                if (buffer == NULL)
                {
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                RtlCopyMemory(buffer, data.Address, outBufLength); // BUG DRV020 (the shipped sample)

                Irp.IoStatus.Information = outBufLength < datalen ? outBufLength : datalen;
                break;
            }
            default:
                ntStatus = STATUS_INVALID_DEVICE_REQUEST;
                Irp.IoStatus.Status = ntStatus;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                break;
        }

    End:
        Irp.IoStatus.Status = ntStatus;

        IoCompleteRequest(Irp, IO_NO_INCREMENT); // BUG DRV002: the default case completed the IRP already

        return ntStatus;
    }
}
