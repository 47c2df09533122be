using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers.IoManager;

/// <summary>
/// <c>IoCompleteRequest</c> as the I/O manager does it: walk up the IRP's stack locations, calling each completion
/// routine a driver above set (with that driver's device object); a routine returning
/// STATUS_MORE_PROCESSING_REQUIRED stops the walk (that driver owns the IRP again and completes it later, the walk
/// then continues from its location). Without a routine, a pending mark propagates upwards as
/// <c>IoMarkIrpPending</c> in a completion routine would. At the top the IRP goes back to the application.
/// </summary>
internal static class IrpCompletion
{
    public static void Complete(IRP irp, string ddi)
    {
        var tracker = irp.Tracker;
        if (tracker.IsCompleted)
        {
            tracker.Runtime.Verifier.Report(Rules.DoubleCompletion, ddi, tracker.Name, "the IRP was already completed");
            return;
        }
        while (irp.CurrentLocation <= irp.StackCount)
        {
            var location = irp.LocationAt(irp.CurrentLocation)!;
            irp.PendingReturned = (location.Control & Wdm.SL_PENDING_RETURNED) != 0;
            var routine = location.CompletionRoutine;
            var context = location.Context;
            bool invoke = routine is not null && ShouldInvoke(location.Control, irp);
            location.CompletionRoutine = null;
            location.Context = null;
            irp.CurrentLocation++;
            var upper = irp.LocationAt(irp.CurrentLocation);
            if (invoke)
            {
                var status = ThreadIrql.RunCallback(tracker.Runtime, ThreadIrql.Current, "IoCompletion routine",
                    () => routine!(upper?.DeviceObject!, irp, context));
                if (status == Wdm.STATUS_MORE_PROCESSING_REQUIRED)
                {
                    return;
                }
            }
            else if (irp.PendingReturned && upper is not null)
            {
                upper.Control |= Wdm.SL_PENDING_RETURNED;
            }
        }
        if (!tracker.Complete(irp.IoStatus.Status, irp.IoStatus.Information, ddi))
        {
            tracker.Runtime.Verifier.Report(Rules.DoubleCompletion, ddi, tracker.Name, "the IRP was already completed");
        }
    }

    private static bool ShouldInvoke(byte control, IRP irp) =>
        (Wdm.NT_SUCCESS(irp.IoStatus.Status) && (control & Wdm.SL_INVOKE_ON_SUCCESS) != 0)
        || (!Wdm.NT_SUCCESS(irp.IoStatus.Status) && (control & Wdm.SL_INVOKE_ON_ERROR) != 0)
        || (irp.Cancel && (control & Wdm.SL_INVOKE_ON_CANCEL) != 0);
}
