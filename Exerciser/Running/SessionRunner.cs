using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Exercising.Generation;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// Runs one driver session: a fresh load of the driver, its requests sent by up to <c>threads</c> application threads,
/// pending work let finish, then remove and unload. Like a bug check, the first violation ends the session: no more
/// requests are sent, and what the unload finds is not reported (it may only be the violation's consequence).
/// </summary>
internal sealed class SessionRunner
{
    private readonly Func<IDriverSession> createSession;
    private readonly RequestGenerator generator;
    private readonly FrameLocator frames;
    private readonly Func<RequestKind, IReadOnlyList<DriverFrame>> callbacks;

    /// <param name="createSession">Starts a fresh session of the driver.</param>
    /// <param name="generator">The requests.</param>
    /// <param name="frames">Source lines of the driver's frames.</param>
    /// <param name="callbacks">The driver's methods that receive each kind of request (where a request never completed is reported).</param>
    public SessionRunner(Func<IDriverSession> createSession, RequestGenerator generator, FrameLocator frames,
        Func<RequestKind, IReadOnlyList<DriverFrame>> callbacks)
    {
        this.createSession = createSession;
        this.generator = generator;
        this.frames = frames;
        this.callbacks = callbacks;
    }

    /// <summary>What one session found.</summary>
    /// <param name="Occurrences">The violations, each once.</param>
    /// <param name="RequestsSent">How many requests were sent before the session ended.</param>
    /// <param name="HarnessErrors">What the simulation could not do.</param>
    /// <param name="StartFailure">Why the driver did not start (no request was sent), or null.</param>
    /// <param name="Crashers">
    /// When a violation ended the session: the requests to leave out when the rest runs again (the ones that raised
    /// it, or the last one sent when it was raised on another thread). Empty when the session ended normally.
    /// </param>
    public sealed record Outcome(IReadOnlyList<Occurrence> Occurrences, int RequestsSent, IReadOnlyList<string> HarnessErrors, string? StartFailure,
        IReadOnlyList<int> Crashers);

    public Outcome Run(IReadOnlyList<int> requestNumbers, int threads)
    {
        using var session = createSession();
        var occurrences = new List<Occurrence>();
        var harness = new ConcurrentQueue<string>();
        var sent = new ConcurrentQueue<int>();
        var thrown = new ConcurrentQueue<(Exception Exception, int? Trigger)>();
        var submitted = new ConcurrentQueue<ISubmittedRequest>();
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var harnessStopped = new ConcurrentQueue<int?>();
        bool Stopped() => !thrown.IsEmpty || !harnessStopped.IsEmpty || session.Violations.Count > 0;

        void Guard(Action action, int? trigger)
        {
            try
            {
                action();
            }
            catch (Exception e) when (IsHarnessLimitation(e))
            {
                // The driver's code stopped half-way, as after a violation: the session ends without its unload report.
                harness.Enqueue(e.Message);
                harnessStopped.Enqueue(trigger);
            }
            catch (Exception e)
            {
                thrown.Enqueue((e is AggregateException { InnerException: { } inner } ? inner : e, trigger));
            }
        }

        string? notStarted = null;
        if (!WithinLimit(() => Guard(() => notStarted = session.Start(), null)))
        {
            occurrences.Add(Hung("DriverEntry or the device's start", Array.Empty<int>(), null, threads));
            return new Outcome(occurrences, 0, harness.ToArray(), "it did not return from its start", Crashers: Array.Empty<int>());
        }
        if (notStarted is not null || !thrown.IsEmpty || session.Violations.Count > 0)
        {
            occurrences.AddRange(Collect(session, thrown, seen, Array.Empty<int>(), threads));
            return new Outcome(occurrences, 0, harness.ToArray(), notStarted ?? "a violation stopped it while it started", Crashers: Array.Empty<int>());
        }

        var requests = requestNumbers.Select(generator.Generate).ToList();
        session.Begin(requests);
        int nextIndex = -1;
        void Worker()
        {
            while (!Stopped())
            {
                int index = Interlocked.Increment(ref nextIndex);
                if (index >= requests.Count)
                {
                    return;
                }
                var request = requests[index];
                sent.Enqueue(request.Number);
                Guard(() =>
                {
                    submitted.Enqueue(session.Submit(request));
                    if (threads == 1)
                    {
                        session.CompletePendingWork();
                    }
                }, request.Number);
            }
        }

        var workers = Enumerable.Range(0, Math.Clamp(threads, 1, requests.Count))
            .Select(_ => Task.Factory.StartNew(Worker, TaskCreationOptions.LongRunning)).ToArray();
        if (!Task.WaitAll(workers, HangLimit))
        {
            // The driver did not return: a hang (or a wait that nothing will end). The stuck thread is abandoned.
            occurrences.Add(Hung("a request", sent.ToArray(), sent.LastOrDefault(), threads));
            return new Outcome(occurrences, sent.Count, harness.ToArray(), StartFailure: null, Crashers: sent.TakeLast(1).ToArray());
        }

        if (!Stopped())
        {
            foreach (var pending in submitted.Where(s => !s.IsCompleted && s.Request.CancelIfPending))
            {
                Guard(() => pending.Cancel(), pending.Request.Number);
            }
            Guard(session.CompletePendingWork, null);
        }

        var order = sent.OrderBy(n => n).ToArray();
        bool crashed = Stopped();
        // A violation raised by a completion on another thread stops the workers at once, while its stack may still be
        // unwinding to the target's catch: it is placed (and told apart from the others) only once that has finished.
        session.WaitForBackgroundWork(HangLimit);
        occurrences.AddRange(Collect(session, thrown, seen, order, threads));
        if (!crashed)
        {
            IReadOnlyList<WdfViolationException> atUnload = Array.Empty<WdfViolationException>();
            if (!WithinLimit(() => Guard(() => atUnload = session.Stop(), null)))
            {
                occurrences.Add(Hung("the device's removal or the driver's unload", order, null, threads));
            }
            foreach (var violation in atUnload)
            {
                seen.Add(violation);
                occurrences.Add(AtUnload(session, violation, submitted, order, threads));
            }
            // Anything thrown or recorded while stopping (a callback of the removal, for example).
            occurrences.AddRange(Collect(session, thrown, seen, order, threads));
        }
        var triggers = thrown.Select(t => t.Trigger).Concat(harnessStopped).OfType<int>().Distinct().ToArray();
        var crashers = !crashed ? Array.Empty<int>() : triggers.Length > 0 ? triggers : sent.TakeLast(1).ToArray();
        return new Outcome(Distinct(occurrences), order.Length, harness.ToArray(), StartFailure: null, crashers);
    }

    /// <summary>Violations thrown at the application or recorded by the verifier during the session, each once.</summary>
    private IEnumerable<Occurrence> Collect(IDriverSession session, ConcurrentQueue<(Exception Exception, int? Trigger)> thrown,
        HashSet<Exception> seen, IReadOnlyList<int> sent, int threads)
    {
        foreach (var (exception, trigger) in thrown)
        {
            if (seen.Add(exception))
            {
                yield return FromException(session, exception, sent, trigger, threads);
            }
        }
        foreach (var failure in session.Violations.Concat(session.BackgroundFailures))
        {
            if (seen.Add(failure) && !IsHarnessLimitation(failure))
            {
                yield return FromException(session, failure, sent, trigger: null, threads);
            }
        }
    }

    private Occurrence FromException(IDriverSession session, Exception exception, IReadOnlyList<int> sent, int? trigger, int threads)
    {
        var driverFrames = frames.DriverFrames(exception, session.DriverAssembly);
        return exception is WdfViolationException violation
            ? new Occurrence(violation.Rule, violation.Ddi, violation.Message, driverFrames, sent, trigger, AtUnload: false, threads)
            : new Occurrence(UnhandledExceptionRule, exception.GetType().Name,
                $"{exception.GetType().Name} escaped the driver: {exception.Message}", driverFrames, sent, trigger, AtUnload: false, threads);
    }

    /// <summary>
    /// A violation found at unload: a request never completed is placed at the driver callback that received it (as the
    /// runtime recorded it, else the callbacks that receive its kind), a leak at the driver's call that allocated it.
    /// </summary>
    private Occurrence AtUnload(IDriverSession session, WdfViolationException violation, IEnumerable<ISubmittedRequest> submitted,
        IReadOnlyList<int> sent, int threads)
    {
        var received = submitted.FirstOrDefault(s => !s.IsCompleted && violation.Handle == s.HandleName);
        IReadOnlyList<DriverFrame> where =
            violation.ReceivingCallback is { } callback && Receiving(callback) is { } receiving ? [receiving]
            : violation.AllocationStack is { } stack && frames.DriverFrames(stack, session.DriverAssembly) is { Count: > 0 } allocating ? allocating
            : received is null ? Array.Empty<DriverFrame>() : callbacks(received.Request.Kind);
        return new Occurrence(violation.Rule, violation.Ddi, violation.Message, where, sent, received?.Request.Number, AtUnload: true, threads);
    }

    /// <summary>The driver callback as a frame: on its name as the sources declare it (where DRV004 is reported), else its first line.</summary>
    private DriverFrame? Receiving(System.Reflection.MethodInfo callback)
    {
        string name = $"{callback.DeclaringType?.Name}.{callback.Name}";
        return Enum.GetValues<RequestKind>().SelectMany(callbacks).FirstOrDefault(frame => frame.Method == name)
            ?? frames.MethodFrame(callback);
    }

    private static IReadOnlyList<Occurrence> Distinct(List<Occurrence> occurrences) =>
        occurrences.GroupBy(o => o.Key).Select(g => g.First()).ToList();

    private static bool WithinLimit(Action action) =>
        Task.Factory.StartNew(action, TaskCreationOptions.LongRunning).Wait(HangLimit);

    private static Occurrence Hung(string what, IReadOnlyList<int> sent, int? trigger, int threads) =>
        new(HangRule, "(driver code)",
            $"{what} did not return within {HangLimit.TotalSeconds:0} s (a deadlock, an endless loop, or a wait nothing ends)",
            Array.Empty<DriverFrame>(), sent, trigger, AtUnload: false, threads);

    /// <summary>How long one session's requests may take before the session is declared hung.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    /// <summary>The rule name of a session whose driver code did not return.</summary>
    public const string HangRule = "Hang";

    /// <summary>The rule name given to a .NET exception that escaped the driver's code (on a real system: a bug check).</summary>
    public const string UnhandledExceptionRule = "UnhandledException";

    /// <summary>What the simulation cannot do (for example a synchronous send to a target that only completes later) is not the driver's bug.</summary>
    private static bool IsHarnessLimitation(Exception exception) =>
        exception is InvalidOperationException && exception.TargetSite?.Module.Assembly == typeof(Wdf).Assembly;
}

