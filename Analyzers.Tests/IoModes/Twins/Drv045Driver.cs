using DriverBuffers;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV045 twin (double fetch): a neither-I/O write whose first word is a record length. Compiled and run by
/// <see cref="Drv045TwinTests"/> and analyzed as text by the same tests.
/// </summary>
public static class Drv045Driver
{
    private const uint MaxRecord = 64;

    /// <summary>The length the driver acted on.</summary>
    public static uint UsedLength;

    /// <summary>Add-device code: neither DO_BUFFERED_IO nor DO_DIRECT_IO, so writes carry the raw user address.</summary>
    public static void AddDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= 0;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    /// <summary>Bug: checks the length read from user memory, then reads it again for use.</summary>
    public static NTSTATUS DispatchWriteFetchingTwice(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        PVOID user = Irp.UserBuffer;
        NTSTATUS status = STATUS_SUCCESS;
        try
        {
            ProbeForRead(user, 4, 1);
            uint length = user.Read<uint>(0);
            if (length <= MaxRecord)
            {
                UsedLength = user.Read<uint>(0);
            }
            else
            {
                status = STATUS_INVALID_PARAMETER;
            }
        }
        catch (NtStatusException e)
        {
            status = e.Status;
        }

        return Complete(Irp, status);
    }

    /// <summary>The fix: read once into a local, check the local, use the local.</summary>
    public static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        PVOID user = Irp.UserBuffer;
        NTSTATUS status = STATUS_SUCCESS;
        try
        {
            ProbeForRead(user, 4, 1);
            uint length = user.Read<uint>(0);
            if (length <= MaxRecord)
            {
                UsedLength = length;
            }
            else
            {
                status = STATUS_INVALID_PARAMETER;
            }
        }
        catch (NtStatusException e)
        {
            status = e.Status;
        }

        return Complete(Irp, status);
    }

    private static NTSTATUS Complete(IRP Irp, NTSTATUS status)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
