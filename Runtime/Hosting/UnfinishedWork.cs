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
            var leftIncomplete = runtime.Verifier.Record(Rules.CancelableRequestMisuse, "DriverUnload", request.HandleName,
                "the request's cancel routine returned without completing it, and nothing completed it afterwards");
            leftIncomplete.ReceivingCallback = request.CancelRoutineThatRan ?? request.ReceivedBy;
            return leftIncomplete;
        }
        string where = request.State == SendState.Pending ? $" (still pending at {request.Target?.HandleName})" : "";
        var violation = runtime.Verifier.Record(Rules.RequestNeverCompleted, "DriverUnload", request.HandleName,
            $"the request was delivered to the driver and never completed{where}");
        violation.ReceivingCallback = request.ReceivedBy;
        return violation;
    }

    public static WdfViolationException NeverCompleted(DriverRuntime runtime, IrpTracker irp)
    {
        if (irp.FrameworkRequest is { } request)
        {
            return NeverCompleted(runtime, request);
        }
        var violation = runtime.Verifier.Record(Rules.RequestNeverCompleted, "DriverUnload", irp.Name,
            "the IRP was dispatched to the driver and never completed (IoCompleteRequest)");
        violation.ReceivingCallback = irp.ReceivedBy;
        return violation;
    }

    public static IEnumerable<WdfViolationException> LookasideLeaks(DriverRuntime runtime)
    {
        foreach (var lookaside in runtime.Lookasides)
        {
            foreach (var memory in lookaside.Outstanding)
            {
                var leak = runtime.Verifier.Record(Rules.LookasideLeak, "DriverUnload", memory.HandleName,
                    $"the buffer from {lookaside.HandleName} was never returned (WdfObjectDelete on the memory object)");
                leak.AllocationStack = memory.Buffer.Allocation?.AllocatedAt;
                yield return leak;
            }
        }
        foreach (var lookaside in runtime.WdmLookasides)
        {
            if (!lookaside.IsDeleted)
            {
                var leak = runtime.Verifier.Record(Rules.LookasideLeak, "DriverUnload", lookaside.Name,
                    $"{lookaside.Name} was never deleted (ExDeleteNPagedLookasideList), so its cached entries leak");
                leak.AllocationStack = lookaside.InitializedAt;
                yield return leak;
            }
            int count = lookaside.OutstandingCount;
            if (count > 0)
            {
                var leak = runtime.Verifier.Record(Rules.LookasideLeak, "DriverUnload", lookaside.Name,
                    $"{count} entr{(count == 1 ? "y" : "ies")} of {lookaside.Name} never went back (ExFreeToNPagedLookasideList)");
                leak.AllocationStack = lookaside.OutstandingEntryAllocatedAt;
                yield return leak;
            }
        }
    }
}
