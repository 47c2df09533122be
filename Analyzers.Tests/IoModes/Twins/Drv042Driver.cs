using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV042 twin (reference 001, neither I/O): a WDM read dispatch routine that fills the application's buffer.
/// Compiled and run by <see cref="Drv042TwinTests"/> and analyzed as text by the same tests.
/// </summary>
public static class Drv042Driver
{
    /// <summary>Add-device code: neither DO_BUFFERED_IO nor DO_DIRECT_IO, so reads carry the raw user address.</summary>
    public static void AddDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= 0;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    /// <summary>Bug: writes through Irp.UserBuffer without probing it.</summary>
    public static NTSTATUS DispatchReadUnprobed(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        PVOID user = Irp.UserBuffer;
        RtlFillMemory(user, length, 0x5A);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    /// <summary>Correct: probes the user address inside try/catch and touches it only there.</summary>
    public static NTSTATUS DispatchReadProbed(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
        NTSTATUS status = STATUS_SUCCESS;
        try
        {
            PVOID user = Irp.UserBuffer;
            ProbeForWrite(user, length, 1);
            RtlFillMemory(user, length, 0x5A);
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

    /// <summary>The last command word the KMDF variant received.</summary>
    public static uint LastCommand;

    /// <summary>Bug (KMDF, neither I/O): reads the unsafe user buffer in EvtIoInCallerContext without probing it.</summary>
    public static void InCallerContextUnprobed(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, sizeof(uint), out PVOID input, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        LastCommand = input.Read<uint>(0);
        WdfRequestComplete(Request, STATUS_SUCCESS);
    }

    /// <summary>Correct (KMDF, neither I/O): probes and locks the user buffer and reads the locked memory object.</summary>
    public static void InCallerContextLocked(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, sizeof(uint), out PVOID input, out nuint length);
        if (NT_SUCCESS(status))
        {
            status = WdfRequestProbeAndLockUserBufferForRead(Request, input, length, out WDFMEMORY locked);
            if (NT_SUCCESS(status))
            {
                LastCommand = WdfMemoryGetBuffer(locked, out nuint size).Read<uint>(0);
            }
        }

        WdfRequestComplete(Request, status);
    }
}
