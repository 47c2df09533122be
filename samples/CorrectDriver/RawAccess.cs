using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace CorrectDriver;

/// <summary>
/// The raw-access side of samples/BuggyDriver, written correctly (reference 001 and reference 000, scenario 4): a
/// WDM control device for diagnostic tools that uses neither I/O, a WDM transfer device that uses direct I/O, and a
/// scratch pattern written to the lower driver from a driver-owned buffer.
/// </summary>
public static class RawAccess
{
    /// <summary>The pool tag of the scratch buffers, 'Scra'.</summary>
    public const uint ScratchTag = 0x61726353;

    public const nuint ScratchSize = 32;

    /// <summary>AddDevice of the control device: neither DO_BUFFERED_IO nor DO_DIRECT_IO.</summary>
    public static void AddControlDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    /// <summary>IRP_MJ_WRITE of the control device: the tool writes one command word.</summary>
    public static NTSTATUS DispatchControlWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
        if (length < sizeof(uint))
        {
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        }

        uint command;
        try
        {
            // The raw user address: probe it, and touch it only inside the try.
            ProbeForRead(Irp.UserBuffer, sizeof(uint), 1);
            command = Irp.UserBuffer.Read<uint>(0);
        }
        catch (NtStatusException e)
        {
            return Complete(Irp, e.Status, 0);
        }

        EchoDevice.RequestCount = command == 0 ? 0 : EchoDevice.RequestCount;
        return Complete(Irp, STATUS_SUCCESS, sizeof(uint));
    }

    // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x810, METHOD_NEITHER, FILE_ANY_ACCESS): a tool sets how many blocks a transfer
    // is split into.
    public const uint IOCTL_RAW_SET_BLOCK_COUNT = 0x222043;

    /// <summary>The block count a diagnostic tool last set (never zero).</summary>
    internal static uint BlockCount = 1;

    /// <summary>IRP_MJ_DEVICE_CONTROL of the control device: the tool sets the block count (neither I/O: a raw user address).</summary>
    public static NTSTATUS DispatchControlIoctl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.DeviceIoControl.IoControlCode != IOCTL_RAW_SET_BLOCK_COUNT)
        {
            return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
        }

        if (stack.Parameters.DeviceIoControl.InputBufferLength < sizeof(uint))
        {
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        }

        PVOID user = stack.Parameters.DeviceIoControl.Type3InputBuffer;
        uint count;
        try
        {
            // The raw user address: probe it, and touch it only inside the try; read the value once, check and use the local.
            ProbeForRead(user, sizeof(uint), 1);
            count = user.Read<uint>(0);
        }
        catch (NtStatusException e)
        {
            return Complete(Irp, e.Status, 0);
        }

        if (count == 0)
        {
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        }

        BlockCount = count;

        return Complete(Irp, STATUS_SUCCESS, 0);
    }

    /// <summary>AddDevice of the transfer device: direct I/O, chosen here and nowhere else.</summary>
    public static void AddTransferDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    /// <summary>IRP_MJ_READ of the transfer device: fills the caller's pages with a pattern.</summary>
    public static NTSTATUS DispatchTransferRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.Read.Length == 0)
        {
            return Complete(Irp, STATUS_SUCCESS, 0); // a zero-length direct-I/O read comes without an MDL
        }

        uint length = MmGetMdlByteCount(Irp.MdlAddress);
        PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
        if (buffer == NULL)
        {
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        }

        RtlFillMemory(buffer, length, 0xEC);
        return Complete(Irp, STATUS_SUCCESS, length);
    }

    /// <summary>IRP_MJ_WRITE of the transfer device: takes the caller's data; the buffering mode stays as AddDevice chose it.</summary>
    public static NTSTATUS DispatchTransferWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        return Complete(Irp, STATUS_SUCCESS, 0);
    }

    /// <summary>Writes a scratch pattern to the lower driver from a buffer the driver allocates itself.</summary>
    public static void SendScratch(WDFDEVICE Device)
    {
        var target = WdfDeviceGetIoTarget(Device);
        PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, ScratchSize, ScratchTag);
        if (buffer == NULL)
        {
            return;
        }

        RtlFillMemory(buffer, ScratchSize, 0x5A);
        var status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, ScratchSize, out var memory);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(buffer, ScratchTag);
            return;
        }

        status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
        if (NT_SUCCESS(status))
        {
            status = WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
            if (NT_SUCCESS(status))
            {
                // The memory object does not own the buffer: free it only when the lower driver is done with it.
                WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
                {
                    WdfObjectDelete(r);
                    WdfObjectDelete(memory);
                    ExFreePoolWithTag(buffer, ScratchTag);
                }, WDF_NO_CONTEXT);
                if (WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS))
                {
                    return;
                }
            }

            WdfObjectDelete(request);
        }

        WdfObjectDelete(memory);
        ExFreePoolWithTag(buffer, ScratchTag);
    }

    /// <summary>Points a scratch memory object at another driver-owned buffer.</summary>
    public static NTSTATUS RetargetScratch(PVOID first, PVOID other)
    {
        var status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, first, ScratchSize, out var memory);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfMemoryAssignBuffer(memory, other, ScratchSize);
        WdfObjectDelete(memory);
        return status;
    }

    private static NTSTATUS Complete(IRP Irp, NTSTATUS status, nuint information)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
