using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>
/// DRV002 twin on a WDM IRP: the helper answers a read it can serve (completing the IRP, returning STATUS_SUCCESS) and
/// returns STATUS_PENDING otherwise; the dispatch routine completes the IRP again whatever the helper returned.
/// </summary>
public sealed class Drv002IrpBuggyDriver
{
    public NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status = Drv002IrpAnswers.TryAnswer(Irp);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}

/// <summary>DRV002 twin on a WDM IRP, corrected: the dispatch routine completes the IRP only when the helper returned STATUS_PENDING.</summary>
public sealed class Drv002IrpCorrectDriver
{
    public NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS status = Drv002IrpAnswers.TryAnswer(Irp);
        if (status == STATUS_PENDING)
        {
            Irp.IoStatus.Information = 0;
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }

        return status;
    }
}

/// <summary>The helper both twins call: it answers a read of at least 4 bytes (completing the IRP), else returns STATUS_PENDING.</summary>
public static class Drv002IrpAnswers
{
    public static NTSTATUS TryAnswer(IRP Irp)
    {
        IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
        if (stack.Parameters.Read.Length < 4)
        {
            return STATUS_PENDING;
        }

        Irp.AssociatedIrp.SystemBuffer.Write<uint>(0, 0x12345678);
        Irp.IoStatus.Information = 4;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
