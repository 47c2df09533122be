using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Framework;
using DriverBuffers.Synchronization;
using DriverBuffers.Targets;

namespace DriverBuffers.Hosting;

/// <summary>
/// A lower driver the test scripts: it records what it receives and completes requests with the status,
/// information and data its <see cref="Responder"/> gives, at once, when the test pumps it, or from another
/// thread (<see cref="Mode"/>). The driver reaches it through <c>WdfDeviceGetIoTarget</c> or <see cref="Handle"/>.
/// </summary>
public sealed class SimulatedIoTarget
{
    private readonly object gate = new();
    private readonly Queue<TargetOperation> pending = new();
    private readonly List<TargetIoRequest> received = new();
    private readonly List<Exception> backgroundFailures = new();
    private readonly HashSet<TargetOperation> inFlight = new();
    private int inFlightOnOtherThreads;
    private WdfIoTargetObject? target;

    internal SimulatedIoTarget(DriverRuntime runtime, string name)
    {
        Runtime = runtime;
        Name = name;
    }

    internal DriverRuntime Runtime { get; }

    /// <summary>The first framework target object that sends here (what <see cref="Handle"/> names).</summary>
    internal WdfIoTargetObject? Target
    {
        get { lock (gate) { return target; } }
    }

    internal void Bind(WdfIoTargetObject framework)
    {
        lock (gate) { target ??= framework; }
    }

    /// <summary>A name for messages ("lower").</summary>
    public string Name { get; }

    /// <summary>The handle the driver uses (the null handle for a named target no driver has opened yet).</summary>
    public WDFIOTARGET Handle => new(Target);

    public TargetCompletionMode Mode { get; set; } = TargetCompletionMode.Immediately;

    /// <summary>The status of a failed send in <see cref="TargetCompletionMode.FailSend"/> mode.</summary>
    public NTSTATUS SendFailureStatus { get; set; } = Wdm.STATUS_INVALID_DEVICE_STATE;

    /// <summary>Decides how each request completes. Default: success; reads transfer no data, writes all of it.</summary>
    public Func<TargetIoRequest, TargetIoResponse> Responder { get; set; } = _ => new TargetIoResponse(Wdm.STATUS_SUCCESS);

    /// <summary>
    /// Scripts each request on its own: called once for every send to this target, on the sending thread, before the
    /// target acts on it; the script it returns decides that request's mode and completion (null: the target's
    /// <see cref="Mode"/>, <see cref="Responder"/> and <see cref="SendFailureStatus"/>). Unlike those properties, which
    /// apply to whatever is sent next, it keeps concurrent senders' behaviours apart: <see cref="TargetIoRequest.Origin"/>
    /// names the application request a send serves.
    /// </summary>
    public Func<TargetIoRequest, TargetSendScript?>? ScriptEachSend { get; set; }

    /// <summary>
    /// The script of one send: <see cref="ScriptEachSend"/>'s, else the target's settings: the mode and send-failure
    /// status current at the send, and the <see cref="Responder"/> current when the request completes (a request that
    /// waits to be pumped completes as the responder set before <see cref="CompleteNext"/> says).
    /// </summary>
    internal TargetSendScript ScriptFor(TargetIoRequest request) =>
        ScriptEachSend?.Invoke(request) ?? new TargetSendScript(Mode, sent => Responder(sent)) { SendFailureStatus = SendFailureStatus };

    /// <summary>Completes every request with <paramref name="status"/>, writing <paramref name="data"/> into read/IOCTL output buffers.</summary>
    public void RespondWith(NTSTATUS status, byte[]? data = null, nuint? information = null) =>
        Responder = _ => new TargetIoResponse(status, information, data);

    /// <summary>Everything sent to this target, in order.</summary>
    public IReadOnlyList<TargetIoRequest> Received
    {
        get { lock (gate) { return received.ToArray(); } }
    }

    /// <summary>Requests waiting for <see cref="CompleteNext"/> (mode <see cref="TargetCompletionMode.WhenPumped"/>).</summary>
    public int PendingCount
    {
        get { lock (gate) { return pending.Count; } }
    }

    /// <summary>Requests being completed on other threads right now.</summary>
    public int InFlightOnOtherThreads => Volatile.Read(ref inFlightOnOtherThreads);

    /// <summary>Exceptions thrown by completion work on other threads (violations are also in the host's list).</summary>
    public IReadOnlyList<Exception> BackgroundFailures
    {
        get { lock (gate) { return backgroundFailures.ToArray(); } }
    }

    /// <summary>Completes the oldest pending request on this thread; false if none is pending.</summary>
    public bool CompleteNext()
    {
        TargetOperation? next;
        lock (gate)
        {
            if (!pending.TryDequeue(out next))
            {
                return false;
            }
        }
        Finish(next);
        return true;
    }

    /// <summary>
    /// The sender blocks until the lower driver completes <paramref name="operation"/> (a synchronous wait on a request
    /// that waits to be pumped): it completes now, on this thread, as the responder says. False if it already completed.
    /// </summary>
    internal bool CompleteNow(TargetOperation operation)
    {
        lock (gate)
        {
            if (operation.IsFinished || !pending.Contains(operation))
            {
                return false;
            }
            var kept = pending.Where(o => o != operation).ToArray();
            pending.Clear();
            foreach (var other in kept)
            {
                pending.Enqueue(other);
            }
        }
        Finish(operation);
        return true;
    }

    /// <summary>Completes every pending request (including ones sent while completing); returns how many.</summary>
    public int CompleteAll()
    {
        int count = 0;
        while (CompleteNext())
        {
            count++;
        }
        return count;
    }

    /// <summary>
    /// Lets simulated time pass beyond every timeout: each pending request sent with
    /// <c>WDF_REQUEST_SEND_OPTION_TIMEOUT</c> is cancelled by the framework and completes with
    /// <c>STATUS_IO_TIMEOUT</c> (its completion routine runs on this thread). Returns how many expired.
    /// </summary>
    public int ExpireTimeouts()
    {
        TargetOperation[] expired;
        lock (gate)
        {
            expired = pending.Where(o => o.HasTimeout).ToArray();
            var kept = pending.Where(o => !o.HasTimeout).ToArray();
            pending.Clear();
            foreach (var operation in kept)
            {
                pending.Enqueue(operation);
            }
        }
        foreach (var operation in expired)
        {
            FinishAtDispatchLevel(operation, new TargetIoResponse(Wdm.STATUS_IO_TIMEOUT, 0));
        }
        return expired.Length;
    }

    /// <summary>
    /// Cancels a request sent here: one still waiting to be pumped, or still being worked on by another thread,
    /// completes with STATUS_CANCELLED on this thread (its completion routine runs at DISPATCH_LEVEL). False if
    /// it had already completed.
    /// </summary>
    internal bool Cancel(TargetOperation operation)
    {
        lock (gate)
        {
            if (operation.IsFinished)
            {
                return false;
            }
            if (pending.Contains(operation))
            {
                var kept = pending.Where(o => o != operation).ToArray();
                pending.Clear();
                foreach (var other in kept)
                {
                    pending.Enqueue(other);
                }
            }
        }
        return FinishAtDispatchLevel(operation, new TargetIoResponse(Wdm.STATUS_CANCELLED, 0));
    }

    /// <summary><c>WdfIoTargetClose</c>: the requests sent through that target object and still pending are canceled.</summary>
    internal void CancelPendingOf(WdfIoTargetObject closed)
    {
        TargetOperation[] affected;
        lock (gate)
        {
            affected = inFlight.Where(o => o.SentThrough == closed && !o.IsFinished).ToArray();
        }
        foreach (var operation in affected)
        {
            Cancel(operation);
        }
    }

    /// <summary>An operation of this target came back (its completion was delivered): it is no longer in flight.</summary>
    internal void Finished(TargetOperation operation)
    {
        lock (gate)
        {
            if (inFlight.Remove(operation))
            {
                operation.SentThrough?.SentOperationEnded();
            }
        }
    }

    internal void Record(TargetIoRequest request)
    {
        lock (gate) { received.Add(request); }
    }

    /// <summary>Starts an accepted operation according to its script's mode.</summary>
    internal void Start(TargetOperation operation)
    {
        operation.Target = this;
        lock (gate)
        {
            if (!operation.IsFinished && inFlight.Add(operation))
            {
                operation.SentThrough?.SentOperationStarted();
            }
        }
        switch (operation.Script.Mode)
        {
            case TargetCompletionMode.WhenPumped:
                lock (gate) { pending.Enqueue(operation); }
                break;
            case TargetCompletionMode.OnAnotherThread:
                Interlocked.Increment(ref inFlightOnOtherThreads);
                Runtime.BackgroundWorkStarted();
                ThreadPool.UnsafeQueueUserWorkItem(_ => FinishInBackground(operation), null);
                break;
            default:
                using (AmbientRuntime.Enter(Runtime))
                {
                    operation.TryFinish(operation.Script.Responder(operation.Description));
                }
                break;
        }
    }

    /// <summary>A lower driver completing from its DPC: the completion routine runs at DISPATCH_LEVEL.</summary>
    private void Finish(TargetOperation operation) => FinishAtDispatchLevel(operation, null);

    private bool FinishAtDispatchLevel(TargetOperation operation, TargetIoResponse? response)
    {
        using (AmbientRuntime.Enter(Runtime))
        {
            return ThreadIrql.RunCallback(Runtime, KIRQL.DISPATCH_LEVEL, $"the completion of {operation.Description.Request} by {Name}",
                () => operation.TryFinish(response ?? operation.Script.Responder(operation.Description)));
        }
    }

    private void FinishInBackground(TargetOperation operation)
    {
        try
        {
            Finish(operation);
        }
        catch (Exception exception)
        {
            lock (gate) { backgroundFailures.Add(exception); }
        }
        finally
        {
            Interlocked.Decrement(ref inFlightOnOtherThreads);
            Runtime.BackgroundWorkEnded();
        }
    }

    public override string ToString() => $"{Handle} ({Name}, {Mode})";
}
