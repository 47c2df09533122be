using DriverBuffers.Framework;
using DriverBuffers.IoManager;
using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>IRPs, their stack locations, and passing them down a device stack.</summary>
public static partial class Wdm
{
    /// <summary>C's <c>SL_PENDING_RETURNED</c>: the driver of this stack location marked the IRP pending.</summary>
    public const byte SL_PENDING_RETURNED = 0x01;

    /// <summary>C's <c>SL_INVOKE_ON_CANCEL</c>.</summary>
    public const byte SL_INVOKE_ON_CANCEL = 0x20;

    /// <summary>C's <c>SL_INVOKE_ON_SUCCESS</c>.</summary>
    public const byte SL_INVOKE_ON_SUCCESS = 0x40;

    /// <summary>C's <c>SL_INVOKE_ON_ERROR</c>.</summary>
    public const byte SL_INVOKE_ON_ERROR = 0x80;

    /// <summary>The driver's stack location: <c>MajorFunction</c>, <c>Parameters.Read.Length</c>, <c>Parameters.DeviceIoControl.*</c>.</summary>
    public static IO_STACK_LOCATION IoGetCurrentIrpStackLocation(IRP Irp)
    {
        if (!RequiredParameter.Present(Irp, nameof(IoGetCurrentIrpStackLocation), nameof(Irp)))
        {
            return new IO_STACK_LOCATION();
        }
        return Irp.LocationAt(Irp.CurrentLocation) ?? NoLocation(Irp, nameof(IoGetCurrentIrpStackLocation), "the IRP has not been sent to a driver yet");
    }

    /// <summary>The stack location of the next lower driver, where <c>IoCallDriver</c> takes the IRP.</summary>
    public static IO_STACK_LOCATION IoGetNextIrpStackLocation(IRP Irp)
    {
        if (!RequiredParameter.Present(Irp, nameof(IoGetNextIrpStackLocation), nameof(Irp)))
        {
            return new IO_STACK_LOCATION();
        }
        return NextLocation(Irp, nameof(IoGetNextIrpStackLocation)) ?? new IO_STACK_LOCATION();
    }

    /// <summary>Passes the IRP down with the current stack location unchanged (the lower driver sees the same parameters; no completion routine).</summary>
    public static void IoSkipCurrentIrpStackLocation(IRP Irp)
    {
        if (RequiredParameter.Present(Irp, nameof(IoSkipCurrentIrpStackLocation), nameof(Irp)))
        {
            Irp.CurrentLocation++;
        }
    }

    /// <summary>Copies the current stack location's parameters to the next one (not the completion routine), to pass the IRP down with a completion routine.</summary>
    public static void IoCopyCurrentIrpStackLocationToNext(IRP Irp)
    {
        if (!RequiredParameter.Present(Irp, nameof(IoCopyCurrentIrpStackLocationToNext), nameof(Irp)))
        {
            return;
        }
        var current = Irp.LocationAt(Irp.CurrentLocation);
        var next = NextLocation(Irp, nameof(IoCopyCurrentIrpStackLocationToNext));
        if (current is not null && next is not null)
        {
            next.CopyFrom(current);
        }
    }

    /// <summary>
    /// Sets the routine the I/O manager calls when the next lower driver completes the IRP (possibly at
    /// DISPATCH_LEVEL), for success, error and/or cancel.
    /// </summary>
    public static void IoSetCompletionRoutine(IRP Irp, IO_COMPLETION_ROUTINE? CompletionRoutine, object? Context,
        bool InvokeOnSuccess, bool InvokeOnError, bool InvokeOnCancel)
    {
        if (!RequiredParameter.Present(Irp, nameof(IoSetCompletionRoutine), nameof(Irp))
            || NextLocation(Irp, nameof(IoSetCompletionRoutine)) is not { } next)
        {
            return;
        }
        next.CompletionRoutine = CompletionRoutine;
        next.Context = Context;
        next.Control = (byte)((next.Control & SL_PENDING_RETURNED)
            | (InvokeOnSuccess ? SL_INVOKE_ON_SUCCESS : 0)
            | (InvokeOnError ? SL_INVOKE_ON_ERROR : 0)
            | (InvokeOnCancel ? SL_INVOKE_ON_CANCEL : 0));
    }

    /// <summary>
    /// Sends the IRP to <paramref name="DeviceObject"/>'s driver (the next location becomes current) and returns
    /// what its dispatch routine returns. A deleted device is DRV036; past the last stack location is
    /// NoMoreIrpStackLocations (bug check 0x35).
    /// </summary>
    public static NTSTATUS IoCallDriver(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (!RequiredParameter.Present(DeviceObject, nameof(IoCallDriver), nameof(DeviceObject))
            || !RequiredParameter.Present(Irp, nameof(IoCallDriver), nameof(Irp)))
        {
            return STATUS_INVALID_PARAMETER;
        }
        if (DeviceObject.Deleted is { } deleted)
        {
            DeviceObject.Runtime.Verifier.Report(deleted.Rule, nameof(IoCallDriver), DeviceObject.HandleName, deleted.Detail);
            return STATUS_DELETE_PENDING;
        }
        return IrpDispatch.Call(DeviceObject, Irp, nameof(IoCallDriver));
    }

    /// <summary>
    /// Completes an IRP with <c>Irp-&gt;IoStatus</c>: completion routines of the drivers above run; at the top a
    /// buffered read's <c>Information</c> bytes are copied back to the user buffer and the system buffer, MDL and
    /// every address mapped from them end (DRV001 after). Completing twice is DRV002.
    /// </summary>
    public static void IoCompleteRequest(IRP Irp, sbyte PriorityBoost)
    {
        if (RequiredParameter.Present(Irp, nameof(IoCompleteRequest), nameof(Irp)))
        {
            IrpCompletion.Complete(Irp, nameof(IoCompleteRequest));
        }
    }

    /// <summary>Marks the IRP pending in the current stack location; the dispatch routine then returns STATUS_PENDING and completes it later.</summary>
    public static void IoMarkIrpPending(IRP Irp)
    {
        if (RequiredParameter.Present(Irp, nameof(IoMarkIrpPending), nameof(Irp))
            && Irp.LocationAt(Irp.CurrentLocation) is { } current)
        {
            current.Control |= SL_PENDING_RETURNED;
        }
    }

    /// <summary>
    /// Sends the IRP to the next lower driver and waits until it completes it (PASSIVE_LEVEL only); TRUE when it
    /// was sent. The caller owns the IRP again afterwards and completes it.
    /// </summary>
    public static bool IoForwardIrpSynchronously(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (!RequiredParameter.Present(DeviceObject, nameof(IoForwardIrpSynchronously), nameof(DeviceObject))
            || !RequiredParameter.Present(Irp, nameof(IoForwardIrpSynchronously), nameof(Irp))
            || !ThreadIrql.Check(KIRQL.PASSIVE_LEVEL, nameof(IoForwardIrpSynchronously), Irp.ToString())
            || NextLocation(Irp, nameof(IoForwardIrpSynchronously)) is null)
        {
            return false;
        }
        var lower = DeviceObject.LowerDevice;
        if (lower is null)
        {
            return false;
        }
        bool done = false;
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, (device, irp, context) =>
        {
            done = true;
            return STATUS_MORE_PROCESSING_REQUIRED;
        }, null, TRUE, TRUE, TRUE);
        IrpDispatch.Call(lower, Irp, nameof(IoForwardIrpSynchronously));
        Irp.Tracker.Runtime.WaitFor(() => done);
        if (!done && Irp.Tracker.PendingAtTarget is { Target: { } target } pendingBelow)
        {
            // The caller blocks until the lower driver completes the IRP; a simulated device that completes it only
            // when pumped completes it now, as it would while the caller waits.
            target.CompleteNow(pendingBelow);
        }
        return true;
    }

    private static IO_STACK_LOCATION? NextLocation(IRP irp, string ddi)
    {
        var next = irp.LocationAt(irp.CurrentLocation - 1);
        if (next is null)
        {
            NoLocation(irp, ddi, "the current stack location is the last one (the device's StackSize is too small)");
        }
        return next;
    }

    private static IO_STACK_LOCATION NoLocation(IRP irp, string ddi, string why)
    {
        irp.Tracker.Runtime.Verifier.Report(Rules.NoMoreIrpStackLocations, ddi, irp.ToString(),
            $"{why}: stack location {irp.CurrentLocation} of {irp.StackCount}");
        return new IO_STACK_LOCATION();
    }
}
