using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Exercising.StaticAnalysis;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// Runs the generated requests through driver sessions, collects every distinct violation once, finds for each the
/// shortest replay that reproduces it, and pairs it with the static findings.
/// </summary>
internal sealed class ExerciseEngine
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    private readonly ExerciseOptions options;
    private readonly IReadOnlyList<DriverUnderTest> drivers;
    private readonly RequestGenerator generator;
    private readonly FrameLocator frames;
    private readonly Func<RequestKind, IReadOnlyList<DriverFrame>> callbacks;

    public ExerciseEngine(ExerciseOptions options, IReadOnlyList<DriverUnderTest> drivers, IReadOnlyList<uint> ioControlCodes, FrameLocator frames,
        Func<RequestKind, IReadOnlyList<DriverFrame>> callbacks)
    {
        this.options = options;
        this.drivers = drivers;
        this.frames = frames;
        this.callbacks = callbacks;
        generator = new RequestGenerator(options.Seed, ioControlCodes);
    }

    /// <summary>The run's result before it is paired with the static findings.</summary>
    public sealed record Result(IReadOnlyList<(Occurrence First, int Count, Replay Replay)> Violations, int Sent, int Sessions, IReadOnlyList<string> Notes);

    /// <summary>How to replay a violation, and whether a replay was seen to reproduce it.</summary>
    public sealed record Replay(IReadOnlyList<int> Requests, int Threads, bool Verified);

    public Result Run()
    {
        var distinct = new Dictionary<string, (Occurrence First, int Count)>();
        var others = new Dictionary<string, List<Occurrence>>();
        var order = new List<string>();
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        int sent = 0, sessions = 0;
        var failedToStart = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;

        var plan = options.Replay is { } replay ? ReplayPlan(replay) : RunPlan();
        int total = plan.Sum(p => p.Requests.Count), done = 0;
        var work = new Queue<(int Driver, IReadOnlyList<int> Requests, int Threads, bool Rerun)>(plan.Select(p => (p.Driver, p.Requests, p.Threads, false)));
        while (work.TryDequeue(out var session))
        {
            var (driver, requests, threads, rerun) = session;
            if (failedToStart.Contains(driver))
            {
                continue;
            }
            var outcome = Runner(driver).Run(requests, threads);
            sessions++;
            sent += outcome.RequestsSent;
            done += rerun ? 0 : requests.Count;
            foreach (var note in outcome.HarnessErrors)
            {
                notes.Add($"not simulated: {note}");
            }
            if (outcome.StartFailure is { } why)
            {
                failedToStart.Add(driver);
                notes.Add($"{drivers[driver].Name}: {why}; its requests were not sent");
            }
            foreach (var occurrence in outcome.Occurrences)
            {
                if (distinct.TryGetValue(occurrence.Key, out var known))
                {
                    distinct[occurrence.Key] = (known.First, known.Count + 1);
                    var more = others.TryGetValue(occurrence.Key, out var list) ? list : others[occurrence.Key] = new List<Occurrence>();
                    if (more.Count < ReplayCandidates - 1 && occurrence.Trigger != known.First.Trigger && more.All(o => o.Trigger != occurrence.Trigger))
                    {
                        more.Add(occurrence);
                    }
                }
                else
                {
                    distinct[occurrence.Key] = (occurrence, 1);
                    order.Add(occurrence.Key);
                }
            }
            // A violation ends a session like a bug check. The session's other requests run again in a fresh
            // session without the one that raised it, so that what they do (and what the unload finds) is still seen.
            if (options.Replay is null && outcome.Crashers.Count > 0)
            {
                var rest = requests.Except(outcome.Crashers).ToList();
                if (rest.Count > 0 && rest.Count < requests.Count)
                {
                    work.Enqueue((driver, rest, threads, true));
                }
            }
            if (options.Progress is { } progress && clock.Elapsed - lastProgress >= ProgressInterval)
            {
                lastProgress = clock.Elapsed;
                progress.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0}/{1} requests, {2} distinct violation(s)", done, total, distinct.Count));
            }
        }

        var violations = order.Select(key =>
        {
            var (first, count) = distinct[key];
            var candidates = others.TryGetValue(key, out var more) ? more.Prepend(first) : new[] { first };
            return (first, count, options.Replay is null ? Shortest(candidates.ToList()) : new Replay(options.Replay, options.Threads, Verified: true));
        }).ToList();
        return new Result(violations, sent, sessions, notes.ToList());
    }

    /// <summary>The sessions of a normal run: the generator's partition, dealt round-robin to the assembly's drivers.</summary>
    private List<(int Driver, IReadOnlyList<int> Requests, int Threads)> RunPlan() =>
        generator.Sessions(options.Requests).Select((requests, index) => (index % drivers.Count, requests, options.Threads)).ToList();

    /// <summary>A replay: the listed requests, one session per driver they belong to.</summary>
    private List<(int Driver, IReadOnlyList<int> Requests, int Threads)> ReplayPlan(IReadOnlyList<int> requests) =>
        requests.GroupBy(DriverOf).OrderBy(g => g.Key).Select(g => (g.Key, (IReadOnlyList<int>)g.ToList(), options.Threads)).ToList();

    /// <summary>The driver a request number is dealt to (the same in a run and in its replay).</summary>
    public int DriverOf(int request)
    {
        var sessions = generator.Sessions(request + 1);
        return (sessions.Count - 1) % drivers.Count;
    }

    private SessionRunner Runner(int driver) => new(drivers[driver].CreateSession, generator, frames, callbacks);

    /// <summary>How many times a replay that needs requests at once is tried before it is printed unverified.</summary>
    private const int ConcurrentReplayTries = 3;

    /// <summary>How many occurrences of a violation (with different requests that raised it) are kept to find a replay.</summary>
    private const int ReplayCandidates = 4;

    /// <summary>The first replay of any of the occurrences seen to reproduce the violation.</summary>
    private Replay Shortest(IReadOnlyList<Occurrence> occurrences)
    {
        foreach (var occurrence in occurrences)
        {
            if (Shortest(occurrence) is { Verified: true } replay)
            {
                return replay;
            }
        }
        var first = occurrences[0];
        return new Replay(first.SessionRequests, first.Threads, Verified: false);
    }

    /// <summary>
    /// The shortest replay seen to reproduce the violation: the request that raised it alone, else the session's
    /// requests one at a time, else the session's requests at once as they ran (tried a few times: it may take several).
    /// </summary>
    private Replay Shortest(Occurrence occurrence)
    {
        var candidates = new List<(IReadOnlyList<int> Requests, int Threads)>();
        if (occurrence.Trigger is int trigger)
        {
            candidates.Add((new[] { trigger }, 1));
        }
        if (occurrence.SessionRequests.Count > 0 && !(occurrence.SessionRequests is [var only] && only == occurrence.Trigger))
        {
            candidates.Add((occurrence.SessionRequests, 1));
        }
        if (occurrence.Threads > 1 && occurrence.SessionRequests.Count > 1)
        {
            candidates.AddRange(Enumerable.Repeat((occurrence.SessionRequests, occurrence.Threads), ConcurrentReplayTries));
        }
        foreach (var (requests, threads) in candidates)
        {
            if (Runner(DriverOf(requests[0])).Run(requests, threads).Occurrences.Any(o => o.Key == occurrence.Key))
            {
                return new Replay(requests, threads, Verified: true);
            }
        }
        return new Replay(occurrence.SessionRequests, occurrence.Threads, Verified: false);
    }
}
