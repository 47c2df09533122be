using System;

namespace DriverBuffers;

/// <summary>IRPs and the I/O manager.</summary>
public static partial class Wdm
{
    public static IO_STACK_LOCATION IoGetCurrentIrpStackLocation(IRP Irp) => throw new NotImplementedException();

    public static void IoCompleteRequest(IRP Irp, sbyte PriorityBoost) => throw new NotImplementedException();

    public static void IoMarkIrpPending(IRP Irp) => throw new NotImplementedException();
}
