using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// What one run of an analyzer set on a fresh compilation measured. <see cref="AnalyzerTime"/> is the analyzers'
/// own time from Roslyn's telemetry (time inside their callbacks, summed; the compiler's binding and operation
/// trees are not in it); <see cref="Wall"/> is the whole run, binding included, and <see cref="Cpu"/> the
/// processor time the process spent in it (all threads: the analysis thread, GC, JIT), which a busy machine
/// inflates less than wall time.
/// </summary>
public sealed record AnalyzerRun(
    string Set,
    TimeSpan AnalyzerTime,
    TimeSpan Wall,
    TimeSpan Cpu,
    long AllocatedBytes,
    ImmutableArray<Diagnostic> Diagnostics,
    IReadOnlyDictionary<DiagnosticAnalyzer, TimeSpan> ByAnalyzer,
    TimeSpan? TimedOutAfter)
{
    public bool TimedOut => TimedOutAfter is not null;

    /// <summary>Analyzer exceptions (AD0001) the run reported: there must be none.</summary>
    public int AnalyzerExceptions => Diagnostics.Count(d => d.Id == "AD0001");

    /// <summary>The analyzers' time grouped by rule family (package analyzers only).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ByFamily() =>
        ByAnalyzer.GroupBy(pair => AnalyzerFamily.Of(pair.Key))
            .ToDictionary(g => g.Key, g => TimeSpan.FromTicks(g.Sum(pair => pair.Value.Ticks)));

    /// <summary>
    /// Runs <paramref name="analyzers"/> over <paramref name="compilation"/> (which must be fresh: nothing bound
    /// yet) on one thread with execution-time telemetry. A run that passes <paramref name="timeout"/> is cancelled
    /// (the analyzers poll the token) and reported as timed out with what telemetry it had; one that ignores the
    /// cancellation for another minute is abandoned.
    /// </summary>
    public static AnalyzerRun Run(string set, Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, TimeSpan timeout)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        Collect();
        using var cancellation = new CancellationTokenSource(timeout);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessorTime();
        var clock = Stopwatch.StartNew();
        var diagnostics = ImmutableArray<Diagnostic>.Empty;
        TimeSpan? timedOut = null;
        var task = Task.Run(() => withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellation.Token));
        try
        {
            if (task.Wait(timeout + TimeSpan.FromMinutes(1)))
            {
                diagnostics = task.Result;
            }
            else
            {
                timedOut = clock.Elapsed;
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            timedOut = clock.Elapsed;
        }

        var wall = clock.Elapsed;
        cpu = ProcessorTime() - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var byAnalyzer = new Dictionary<DiagnosticAnalyzer, TimeSpan>();
        foreach (var analyzer in analyzers)
        {
            byAnalyzer[analyzer] = Telemetry(withAnalyzers, analyzer);
        }

        // A cancelled run's telemetry is lost or partial: its analyzer time is at least the time it ran.
        var analyzerTime = TimeSpan.FromTicks(byAnalyzer.Values.Sum(t => t.Ticks));
        if (timedOut is { } limit && analyzerTime < limit)
        {
            analyzerTime = limit;
        }

        return new AnalyzerRun(set, analyzerTime, wall, cpu, allocated, diagnostics, byAnalyzer, timedOut);
    }

    /// <summary>
    /// The run with the least analyzer time of up to five, as many as fit in three seconds: small shapes are noisy on
    /// a shared machine and the minimum is the least disturbed; big ones run once.
    /// </summary>
    public static AnalyzerRun Best(string set, Func<Compilation> fresh, ImmutableArray<DiagnosticAnalyzer> analyzers, TimeSpan timeout)
    {
        var best = Run(set, fresh(), analyzers, timeout);
        var spent = best.Wall;
        for (var i = 1; i < 5 && !best.TimedOut && spent < TimeSpan.FromSeconds(3); i++)
        {
            var next = Run(set, fresh(), analyzers, timeout);
            spent += next.Wall;
            if (next.AnalyzerTime < best.AnalyzerTime)
            {
                best = next;
            }
        }

        return best;
    }

    /// <summary>The processor time this process has used so far, all threads.</summary>
    public static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Collects garbage so one run does not pay for the previous one's.</summary>
    public static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static TimeSpan Telemetry(CompilationWithAnalyzers withAnalyzers, DiagnosticAnalyzer analyzer)
    {
        try
        {
            return withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime;
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
