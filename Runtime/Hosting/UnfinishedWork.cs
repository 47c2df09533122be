using System.Collections.Generic;
using DriverBuffers.Framework;
using DriverBuffers.IoManager;
using DriverBuffers.Requests;
using DriverBuffers.Verifier;

namespace DriverBuffers.Hosting;

/// <summary>
/// What the verifier finds still unfinished when the driver unloads: requests never completed (DRV004, or DRV005
/// when the request's cancel routine returned without completing it) and lookaside buffers never returned
/// (LookasideLeak). Recorded, never thrown.
/// </summary>
internal static class UnfinishedWork
{
    public static WdfViolationException NeverCompleted(DriverRuntime runtime, WdfRequestObject request)
    {
        if (request.CancelRoutineLeftItIncomplete)
        {
            return runtime.Verifier.Record(Rules.CancelableRequestMisuse, "DriverUnload", request.HandleName,
                "the request's cancel routine returned without completing it, and nothing completed it afterwards");
        }
        string where = request.State == SendState.Pending ? $" (still pending at {request.Target?.HandleName})" : "";
        return runtime.Verifier.Record(Rules.RequestNeverCompleted, "DriverUnload", request.HandleName,
            $"the request was delivered to the driver and never completed{where}");
    }

    public static WdfViolationException NeverCompleted(DriverRuntime runtime, IrpTracker irp) =>
        irp.FrameworkRequest is { } request
            ? NeverCompleted(runtime, request)
            : runtime.Verifier.Record(Rules.RequestNeverCompleted, "DriverUnload", irp.Name,
                "the IRP was dispatched to the driver and never completed (IoCompleteRequest)");

    public static IEnumerable<WdfViolationException> LookasideLeaks(DriverRuntime runtime)
    {
        foreach (var lookaside in runtime.Lookasides)
        {
            foreach (var memory in lookaside.Outstanding)
            {
                yield return runtime.Verifier.Record(Rules.LookasideLeak, "DriverUnload", memory.HandleName,
                    $"the buffer from {lookaside.HandleName} was never returned (WdfObjectDelete on the memory object)");
            }
        }
        foreach (var lookaside in runtime.WdmLookasides)
        {
            if (!lookaside.IsDeleted)
            {
                yield return runtime.Verifier.Record(Rules.LookasideLeak, "DriverUnload", lookaside.Name,
                    $"{lookaside.Name} was never deleted (ExDeleteNPagedLookasideList), so its cached entries leak");
            }
            int count = lookaside.OutstandingCount;
            if (count > 0)
            {
                yield return runtime.Verifier.Record(Rules.LookasideLeak, "DriverUnload", lookaside.Name,
                    $"{count} entr{(count == 1 ? "y" : "ies")} of {lookaside.Name} never went back (ExFreeToNPagedLookasideList)");
            }
        }
    }
}
