using System.Collections.Generic;
using DriverBuffers.Framework;
using DriverBuffers.Hosting;
using DriverBuffers.Memory;
using DriverBuffers.Verifier;

namespace DriverBuffers.IoManager;

/// <summary>
/// The I/O manager's bookkeeping for one IRP: the application's buffers, the kernel's views of them
/// (system buffer, MDL, user addresses), everything that must end when the IRP completes, and the
/// application's <see cref="IoResult"/>.
/// </summary>
internal sealed class IrpTracker
{
    private readonly object gate = new();
    private readonly List<Allocation> views = new();
    private readonly List<MemoryDescriptorList> mdls = new();

    public IrpTracker(DriverRuntime runtime, IoSubmission submission)
    {
        Runtime = runtime;
        Submission = submission;
        Name = $"IRP#{ObjectIds.Next()}";
        OwnerName = Name;
        Result = new IoResult(Name) { CancelAction = Cancel, Tag = ApplicationScope.Tag };
    }

    public DriverRuntime Runtime { get; }

    public IoSubmission Submission { get; }

    public string Name { get; }

    /// <summary>Who the buffers belong to in violation messages: the IRP, or the WDFREQUEST wrapping it.</summary>
    public string OwnerName { get; set; }

    /// <summary>The last driver dispatch routine the IRP reached (for the DRV004 report at unload), or null.</summary>
    public System.Reflection.MethodInfo? ReceivedBy { get; set; }

    /// <summary>Where the IRP waits at a simulated lower device that completes it later, or null.</summary>
    public Targets.TargetOperation? PendingAtTarget { get; set; }

    /// <summary>The framework request that wraps this IRP, if a KMDF device received it.</summary>
    public Requests.WdfRequestObject? FrameworkRequest { get; set; }

    /// <summary>The application's input buffer (its own bytes).</summary>
    public Storage? UserInputStorage { get; set; }

    /// <summary>The application's output buffer (its own bytes).</summary>
    public Storage? UserOutputStorage { get; set; }

    public nuint InputLength => (nuint)(Submission.UserInput?.Length ?? 0);

    public nuint OutputLength => (nuint)(Submission.UserOutput?.Length ?? 0);

    /// <summary>The buffered-I/O system buffer (shared by input and output for METHOD_BUFFERED).</summary>
    public Allocation? SystemBuffer { get; set; }

    /// <summary>The direct-I/O MDL (of the output buffer, or of a write's input buffer).</summary>
    public MemoryDescriptorList? Mdl { get; set; }

    /// <summary>The neither-I/O (and Irp->UserBuffer) user address of the input buffer; must be probed.</summary>
    public Allocation? UserInputAddress { get; set; }

    /// <summary>The user address of the output buffer; must be probed.</summary>
    public Allocation? UserOutputAddress { get; set; }

    public IRP Irp { get; set; } = null!;

    public IoResult Result { get; }

    public bool IsCompleted { get { lock (gate) { return completed; } } }

    private bool completed;
    private System.Action? cancelHandler;

    /// <summary>
    /// Sets what canceling the IRP does while its current holder has it (the framework's request, a queue, a
    /// simulated lower driver); null when canceling only sets <c>Irp.Cancel</c>.
    /// </summary>
    public void SetCancelHandler(System.Action? handler)
    {
        lock (gate) { cancelHandler = handler; }
    }

    /// <summary>
    /// The application cancels the IRP (C's <c>CancelIoEx</c>, the I/O manager's <c>IoCancelIrp</c>): sets
    /// <c>Irp.Cancel</c> and runs the holder's cancel handling. False if the IRP was already completed.
    /// </summary>
    public bool Cancel()
    {
        System.Action? handler;
        lock (gate)
        {
            if (completed)
            {
                return false;
            }
            Irp.Cancel = true;
            handler = cancelHandler;
            cancelHandler = null;
        }
        using (AmbientRuntime.Enter(Runtime))
        {
            handler?.Invoke();
        }
        return true;
    }

    /// <summary>Ends <paramref name="view"/> when the IRP completes.</summary>
    public void Track(Allocation view)
    {
        lock (gate) { views.Add(view); }
    }

    /// <summary>Ends <paramref name="mdl"/> when the IRP completes.</summary>
    public void Track(MemoryDescriptorList mdl)
    {
        lock (gate) { mdls.Add(mdl); }
    }

    /// <summary>
    /// Completes the IRP once: copies a buffered read's <paramref name="information"/> bytes back to the user
    /// buffer (never more than it holds), ends every kernel view of the buffers (later use is DRV001), and
    /// finishes the application's result. False if it was already completed.
    /// </summary>
    public bool Complete(NTSTATUS status, nuint information, string completedBy)
    {
        Allocation[] endedViews;
        MemoryDescriptorList[] endedMdls;
        lock (gate)
        {
            if (completed)
            {
                return false;
            }
            completed = true;
            cancelHandler = null;
            endedViews = views.ToArray();
            endedMdls = mdls.ToArray();
        }
        bool isError = (uint)status.Value >> 30 == 3;
        if (Submission.OutputMethod == TransferMethod.Buffered && !isError)
        {
            CopyBack(information);
        }
        var reason = new EndReason(Rules.UseAfterCompletion, $"the memory belongs to {OwnerName}, which was completed by {completedBy}");
        foreach (var view in endedViews)
        {
            view.TryEnd(reason);
        }
        foreach (var mdl in endedMdls)
        {
            mdl.EndLife(reason);
        }
        Result.Finish(status, information,
            Submission.Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite ? UserInputStorage : UserOutputStorage);
        return true;
    }

    private void CopyBack(nuint information)
    {
        if (UserOutputStorage is null || SystemBuffer is null)
        {
            return;
        }
        int count = (int)System.Math.Min(information, (nuint)System.Math.Min(UserOutputStorage.Bytes.Length, SystemBuffer.Length));
        var bytes = new byte[count];
        lock (SystemBuffer.Storage.Gate)
        {
            SystemBuffer.RawBytes[..count].CopyTo(bytes);
        }
        lock (UserOutputStorage.Gate)
        {
            bytes.CopyTo(UserOutputStorage.Bytes, 0);
        }
    }
}
