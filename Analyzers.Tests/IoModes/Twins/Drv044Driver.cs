using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV044 twin (reference 001: the buffering mode is chosen in AddDevice). Compiled and run by
/// <see cref="Drv044TwinTests"/> and analyzed as text by the same tests.
/// </summary>
public static class Drv044Driver
{
    /// <summary>Add-device code: buffered I/O.</summary>
    public static void AddBufferedDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= DO_BUFFERED_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    /// <summary>Add-device code: direct I/O, chosen where it belongs.</summary>
    public static void AddDirectDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    /// <summary>Bug: switches the device to direct I/O while handling a read.</summary>
    public static NTSTATUS DispatchReadSwitchingMode(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        DeviceObject.Flags |= DO_DIRECT_IO;
        return Complete(Irp);
    }

    /// <summary>Correct: the dispatch routine leaves the buffering flags alone.</summary>
    public static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp) => Complete(Irp);

    private static NTSTATUS Complete(IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
