using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>IRPs and the I/O manager's DDIs.</summary>
public static partial class Wdm
{
    /// <summary>The driver's stack location: <c>Parameters.Read.Length</c>, <c>Parameters.Write.Length</c>, <c>Parameters.DeviceIoControl.*</c>.</summary>
    public static IO_STACK_LOCATION IoGetCurrentIrpStackLocation(IRP Irp) => Irp.CurrentStackLocation;

    /// <summary>
    /// Completes an IRP with <c>Irp-&gt;IoStatus</c>: a buffered read's <c>Information</c> bytes are copied back
    /// to the user buffer, and the system buffer, MDL and every address mapped from them end (DRV001 after).
    /// Completing twice is DRV002.
    /// </summary>
    public static void IoCompleteRequest(IRP Irp, sbyte PriorityBoost)
    {
        var tracker = Irp.Tracker;
        if (!tracker.Complete(Irp.IoStatus.Status, Irp.IoStatus.Information, nameof(IoCompleteRequest)))
        {
            tracker.Runtime.Verifier.Report(Rules.DoubleCompletion, nameof(IoCompleteRequest), tracker.Name,
                "the IRP was already completed");
        }
    }

    /// <summary>Marks an IRP the dispatch routine will complete later (return STATUS_PENDING).</summary>
    public static void IoMarkIrpPending(IRP Irp) => Irp.PendingReturned = true;
}
