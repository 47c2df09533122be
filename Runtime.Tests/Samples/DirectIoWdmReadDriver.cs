using DriverBuffers;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

/// <summary>
/// A WDM direct-I/O read dispatch routine as reference 001 recommends: the length comes from the MDL,
/// the data goes through MmGetSystemAddressForMdlSafe, a failed mapping is handled.
/// </summary>
internal static class DirectIoWdmReadDriver
{
    public static void AddDevice(DEVICE_OBJECT fdo)
    {
        fdo.Flags |= DO_DIRECT_IO;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
    }

    public static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status = STATUS_SUCCESS;
        uint length = 0;
        PVOID va;

        UNREFERENCED_PARAMETER(DeviceObject);

        if (Irp.MdlAddress == NULL)
        {
            goto Done;
        }
        length = MmGetMdlByteCount(Irp.MdlAddress);
        va = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
        if (va == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            length = 0;
            goto Done;
        }
        RtlFillMemory(va, length, 0xAB);

    Done:
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
