using System;
using System.Threading;
using DriverBuffers.Memory;

namespace DriverBuffers.Hosting;

/// <summary>
/// What the application gets back from a read, write or IOCTL it issued through a host: the final status,
/// the information (bytes transferred) and the bytes of its buffer after the I/O manager is done with it.
/// A request the driver pends completes later; <see cref="IsCompleted"/> and <see cref="Wait"/> tell when.
/// </summary>
public sealed class IoResult
{
    private readonly ManualResetEventSlim done = new(false);
    private NTSTATUS status = Wdm.STATUS_PENDING;
    private nuint information;
    private byte[] userBuffer = Array.Empty<byte>();

    internal IoResult(string request) => Request = request;

    /// <summary>The request's name as the driver saw it (e.g. "WDFREQUEST#12" or "IRP#12").</summary>
    public string Request { get; internal set; }

    public bool IsCompleted => done.IsSet;

    /// <summary>The final status; <c>STATUS_PENDING</c> while the request is not completed.</summary>
    public NTSTATUS Status => IsCompleted ? status : Wdm.STATUS_PENDING;

    /// <summary>The final <c>IoStatus.Information</c> (bytes transferred, for reads and writes).</summary>
    public nuint Information => IsCompleted ? information : 0;

    /// <summary>
    /// The application's buffer after completion: for a read or IOCTL the output buffer, for a write the
    /// data buffer. Empty while the request is pending.
    /// </summary>
    public byte[] UserBuffer => IsCompleted ? (byte[])userBuffer.Clone() : Array.Empty<byte>();

    /// <summary>
    /// The application cancels the request (C's <c>CancelIoEx</c>): <c>Irp.Cancel</c> is set and, as in KMDF, a request
    /// waiting in a queue is completed with STATUS_CANCELLED (or given to <c>EvtIoCanceledOnQueue</c>), a request the
    /// driver marked cancelable has its cancel routine run (on this thread), and a request pending at a simulated
    /// lower target is completed by the target with STATUS_CANCELLED. A request the driver holds without marking it
    /// cancelable only sees <c>WdfRequestIsCanceled</c> become TRUE. False if the request was already completed.
    /// </summary>
    public bool Cancel() => CancelAction?.Invoke() ?? false;

    internal Func<bool>? CancelAction { get; init; }

    /// <summary>
    /// What the application attached to the request when it sent it (<see cref="DriverHostBase.ApplicationTag"/> of the
    /// sending thread); a test finds its own request again through it, for example in a target's
    /// <see cref="SimulatedIoTarget.ScriptEachSend"/> hook (<see cref="TargetIoRequest.Origin"/>).
    /// </summary>
    public object? Tag { get; init; }

    /// <summary>Waits until the request completes; false on timeout.</summary>
    public bool Wait(TimeSpan timeout) => done.Wait(timeout);

    public override string ToString() => IsCompleted ? $"{Request}: {status}, Information={information}" : $"{Request}: pending";

    internal void Finish(NTSTATUS finalStatus, nuint finalInformation, Storage? buffer)
    {
        status = finalStatus;
        information = finalInformation;
        if (buffer is not null)
        {
            lock (buffer.Gate)
            {
                userBuffer = (byte[])buffer.Bytes.Clone();
            }
        }
        done.Set();
    }
}
