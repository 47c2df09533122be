using System.Collections.Generic;
using DriverBuffers.Framework;
using DriverBuffers.IoManager;
using DriverBuffers.Memory;
using DriverBuffers.Queues;
using DriverBuffers.Targets;
using DriverBuffers.Verifier;

namespace DriverBuffers.Requests;

/// <summary>
/// The framework request behind a <c>WDFREQUEST</c>: the IRP it wraps (for queue requests), the memory
/// objects retrieved from it, and its trips to I/O targets (format, send, completion routine, reuse).
/// A queue request's children (its memory objects) end with DRV001 when it completes.
/// State is guarded by <see cref="DriverRuntime.Sync"/>.
/// </summary>
internal sealed class WdfRequestObject : WdfObject
{
    private readonly List<WdfMemoryObject> heldMemory = new();
    private readonly List<Allocation> pendingUses = new();

    public WdfRequestObject(DriverRuntime runtime, RequestOrigin origin, IrpTracker? irp)
        : base(runtime, "WDFREQUEST", parent: null)
    {
        Origin = origin;
        Irp = irp;
        if (irp is not null)
        {
            irp.OwnerName = HandleName;
            irp.Result.Request = HandleName;
            irp.FrameworkRequest = this;
        }
    }

    public RequestOrigin Origin { get; }

    /// <summary>The IRP a queue request wraps; null for a driver-created request.</summary>
    public IrpTracker? Irp { get; }

    public WdfDeviceObject? Device { get; set; }

    /// <summary>The queue that last delivered the request (<c>WdfRequestGetIoQueue</c>).</summary>
    public WdfQueueObject? Queue { get; set; }

    /// <summary>Whether the request waits in <see cref="Queue"/> or the driver owns it.</summary>
    public QueuePosition Position { get; set; }

    /// <summary>The routine <c>WdfRequestMarkCancelable</c> set.</summary>
    public EVT_WDF_REQUEST_CANCEL? CancelRoutine { get; set; }

    public CancelState CancelState { get; set; }

    /// <summary>The driver callback the request was last presented to (for the DRV004 report at unload), or null.</summary>
    public System.Reflection.MethodInfo? ReceivedBy { get; private set; }

    /// <summary>Remembers the driver callback receiving the request (the latest owner; framework code is not a driver callback).</summary>
    public void PresentedTo(System.Delegate callback)
    {
        if (Framework.DriverCode.Is(callback.Method))
        {
            ReceivedBy = callback.Method;
        }
    }

    /// <summary>
    /// The driver took the request from a manual queue: the driver method that called <c>WdfIoQueueRetrieveNextRequest</c>
    /// received it (found on the stack, while the verifier is on).
    /// </summary>
    public void RetrievedByDriver()
    {
        if (Runtime.Verifier.Enabled)
        {
            foreach (var frame in new System.Diagnostics.StackTrace(1, false).GetFrames())
            {
                if (frame.GetMethod() is System.Reflection.MethodInfo method && Framework.DriverCode.Is(method))
                {
                    ReceivedBy = method;
                    return;
                }
            }
        }
    }

    /// <summary>The cancel routine that ran for the request (for the DRV005 report at unload), or null.</summary>
    public System.Reflection.MethodInfo? CancelRoutineThatRan { get; set; }

    /// <summary>The cancel routine returned without completing the request (DRV005 if nobody completes it before unload).</summary>
    public bool CancelRoutineLeftItIncomplete { get; set; }

    /// <summary>Canceled by <c>WdfRequestCancelSentRequest</c> (a driver-created request has no IRP to flag).</summary>
    public bool CanceledByDriver { get; set; }

    public StopState StopState { get; set; }

    /// <summary>The request's trip to an I/O target, while it is pending there.</summary>
    public Targets.TargetOperation? PendingOperation { get; set; }

    /// <summary>C's <c>WdfRequestIsCanceled</c>.</summary>
    public bool IsCanceled => (Irp?.Irp.Cancel ?? false) || CanceledByDriver;

    /// <summary>True while <c>EvtIoInCallerContext</c> runs for this request.</summary>
    public bool InCallerContext { get; set; }

    public WdfMemoryObject? InputMemory { get; set; }

    public WdfMemoryObject? OutputMemory { get; set; }

    public MemoryDescriptorList? SystemBufferMdl { get; set; }

    // Trips to I/O targets.
    public SendState State { get; set; }
    public TargetFormat? Format { get; set; }
    public WdfIoTargetObject? Target { get; set; }
    public EVT_WDF_REQUEST_COMPLETION_ROUTINE? CompletionRoutine { get; set; }
    public object? CompletionContext { get; set; }
    public WDF_REQUEST_COMPLETION_PARAMS? CompletionParams { get; set; }
    public bool SendAndForget { get; set; }

    /// <summary>The status <c>WdfRequestGetStatus</c> reports.</summary>
    public NTSTATUS Status { get; set; } = Wdm.STATUS_SUCCESS;

    /// <summary>The information of a driver-created request (a queue request keeps it in its IRP).</summary>
    public nuint DriverCreatedInformation { get; set; }

    public nuint Information
    {
        get => Irp is not null ? Irp.Irp.IoStatus.Information : DriverCreatedInformation;
        set
        {
            if (Irp is not null)
            {
                Irp.Irp.IoStatus.Information = value;
            }
            else
            {
                DriverCreatedInformation = value;
            }
        }
    }

    /// <summary>Set once a queue request is completed: by which DDI.</summary>
    public string? CompletedBy { get; set; }

    public WDF_REQUEST_TYPE Type => Irp?.Submission.Type ?? Format?.Type ?? WDF_REQUEST_TYPE.WdfRequestTypeOther;

    public override string? WhyDriverMayNotDelete =>
        Origin == RequestOrigin.Queue
            ? "a request delivered by a queue must be completed (WdfRequestComplete*), not deleted"
            : State == SendState.Pending ? $"it is still pending at {Target?.HandleName}" : null;

    /// <summary>The memory objects this request holds a target reference on (formatted with them).</summary>
    public IReadOnlyList<WdfMemoryObject> HeldMemory
    {
        get { lock (Runtime.Sync) { return heldMemory.ToArray(); } }
    }

    /// <summary>Takes the I/O target's references on the memory of a new format (caller holds no lock).</summary>
    public void HoldMemoryOf(TargetFormat format)
    {
        foreach (var region in new[] { format.Input, format.Output })
        {
            if (region?.Memory is { } memory)
            {
                memory.AddTargetReference(this);
                lock (Runtime.Sync) { heldMemory.Add(memory); }
            }
        }
    }

    /// <summary>Releases the target's references (re-format, reuse, completion or deletion).</summary>
    public void ReleaseHeldMemory()
    {
        WdfMemoryObject[] released;
        lock (Runtime.Sync)
        {
            released = heldMemory.ToArray();
            heldMemory.Clear();
        }
        foreach (var memory in released)
        {
            memory.RemoveTargetReference(this);
        }
    }

    /// <summary>While the request is pending, memory it uses that no memory object owns may not be freed (DRV040).</summary>
    public void PinBuffersWhilePending(TargetFormat format)
    {
        foreach (var region in new[] { format.Input, format.Output })
        {
            if (region?.Memory is { Origin: MemoryOrigin.Preallocated } && region.Buffer.Allocation is { } allocation)
            {
                allocation.AddPendingRequestUse();
                lock (Runtime.Sync) { pendingUses.Add(allocation); }
            }
        }
    }

    public void UnpinBuffers()
    {
        Allocation[] pinned;
        lock (Runtime.Sync)
        {
            pinned = pendingUses.ToArray();
            pendingUses.Clear();
        }
        foreach (var allocation in pinned)
        {
            allocation.RemovePendingRequestUse();
        }
    }

    /// <summary>Memory of a completed request is DRV001; other children (e.g. parented requests) were deleted with it.</summary>
    protected override EndReason ReasonForChild(WdfObject child, EndReason reason) => CompletedBy switch
    {
        { } by when child is WdfMemoryObject =>
            new EndReason(Rules.UseAfterCompletion, $"the memory belongs to {HandleName}, which was completed by {by}"),
        { } by => new EndReason(Rules.UseAfterDelete, $"its parent {HandleName} was completed by {by}, which deleted it"),
        _ => base.ReasonForChild(child, reason),
    };

    protected override void OnEnded(EndReason reason) => ReleaseHeldMemory();
}
