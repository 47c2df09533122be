using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using DriverBuffers.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// The IDE path: one document's analyzer diagnostics after an edit. A 2,000-line driver document sits in a
/// 100k-line project; each measurement makes a small edit (a literal in a method body, incrementally re-parsed),
/// builds the new compilation with that one tree replaced, and times
/// <c>CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync</c> on the edited tree's semantic model, for
/// each analyzer set on its own new compilation. The compiler's own semantic diagnostics of the document
/// (<c>SemanticModel.GetDiagnostics()</c>) are measured the same way for reference. Median of the repetitions.
/// </summary>
public sealed class IdeEditMeasurement
{
    private IdeEditMeasurement(
        IdeProject project,
        TimeSpan compiler,
        IReadOnlyDictionary<string, TimeSpan> sets,
        IReadOnlyDictionary<string, TimeSpan> setsCpu,
        IReadOnlyDictionary<string, long> setsAllocated,
        IReadOnlyDictionary<string, int> diagnostics)
    {
        Project = project;
        Compiler = compiler;
        Sets = sets;
        SetsCpu = setsCpu;
        SetsAllocated = setsAllocated;
        Diagnostics = diagnostics;
    }

    public IdeProject Project { get; }

    /// <summary>The compiler's semantic diagnostics of the edited document (median).</summary>
    public TimeSpan Compiler { get; }

    /// <summary>The analyzer sets' time for the edited document's diagnostics (median), by set name.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Sets { get; }

    /// <summary>The processor time of the same requests (median), by set name: less disturbed by a busy machine.</summary>
    public IReadOnlyDictionary<string, TimeSpan> SetsCpu { get; }

    /// <summary>
    /// The bytes the process allocated during the same requests (median), by set name: nearly deterministic, and what the
    /// IDE path pays for in garbage collections (a gen0 collection in a process holding a 100k-line compilation is
    /// expensive). The floor's figure is the edited document's binding; the package's beyond it is the analyses'.
    /// </summary>
    public IReadOnlyDictionary<string, long> SetsAllocated { get; }

    /// <summary>The diagnostics each set reported on the document (last repetition).</summary>
    public IReadOnlyDictionary<string, int> Diagnostics { get; }

    public double Ratio(string set) => Sets[set].TotalMilliseconds / Sets[AnalyzerSets.Floor].TotalMilliseconds;

    public double CpuRatio(string set) => SetsCpu[set].TotalMilliseconds / SetsCpu[AnalyzerSets.Floor].TotalMilliseconds;

    public static IdeEditMeasurement Measure(IdeProject project, IEnumerable<string> sets, int repetitions, TimeSpan timeout, Action<string>? progress = null)
    {
        var setList = sets.ToList();
        var times = setList.ToDictionary(s => s, _ => new List<TimeSpan>());
        var cpuTimes = setList.ToDictionary(s => s, _ => new List<TimeSpan>());
        var allocations = setList.ToDictionary(s => s, _ => new List<long>());
        var compiler = new List<TimeSpan>();
        var diagnostics = new Dictionary<string, int>();
        var edit = 0;

        // The first round warms the code paths up and is not counted.
        for (var round = 0; round <= repetitions; round++)
        {
            var (compilation, tree) = project.Edited(++edit);
            var model = compilation.GetSemanticModel(tree);
            AnalyzerRun.Collect();
            var clock = Stopwatch.StartNew();
            model.GetDiagnostics();
            if (round > 0)
            {
                compiler.Add(clock.Elapsed);
            }

            foreach (var set in setList)
            {
                var (elapsed, cpu, allocated, count) = Measured(project, ++edit, AnalyzerSets.Get(set), timeout);
                if (round > 0)
                {
                    times[set].Add(elapsed);
                    cpuTimes[set].Add(cpu);
                    allocations[set].Add(allocated);
                    diagnostics[set] = count;
                }
            }

            if (round > 0)
            {
                progress?.Invoke($"IDE edit {round}/{repetitions}: compiler {compiler[^1].TotalMilliseconds:0} ms, "
                    + string.Join(", ", setList.Select(s => $"{s} {times[s][^1].TotalMilliseconds:0} ms {allocations[s][^1] / 1e6:0.0} MB")));
            }
        }

        return new IdeEditMeasurement(
            project,
            Median(compiler),
            times.ToDictionary(p => p.Key, p => Median(p.Value)),
            cpuTimes.ToDictionary(p => p.Key, p => Median(p.Value)),
            allocations.ToDictionary(p => p.Key, p => Median(p.Value)),
            diagnostics);
    }

    /// <summary>One edit's document diagnostics with <paramref name="analyzers"/> on a new compilation: wall and processor time.</summary>
    public static (TimeSpan Elapsed, TimeSpan Cpu, int Diagnostics) Document(IdeProject project, int edit, ImmutableArray<DiagnosticAnalyzer> analyzers, TimeSpan timeout)
    {
        var (elapsed, cpu, _, count) = Measured(project, edit, analyzers, timeout);
        return (elapsed, cpu, count);
    }

    /// <summary><see cref="Document"/> with the bytes the process allocated during the request.</summary>
    private static (TimeSpan Elapsed, TimeSpan Cpu, long Allocated, int Diagnostics) Measured(
        IdeProject project, int edit, ImmutableArray<DiagnosticAnalyzer> analyzers, TimeSpan timeout)
    {
        var request = Prepare(project, edit, analyzers);
        AnalyzerRun.Collect();
        using var cancellation = new CancellationTokenSource(timeout);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = AnalyzerRun.ProcessorTime();
        var clock = Stopwatch.StartNew();
        var count = request(cancellation.Token);
        var elapsed = clock.Elapsed;
        cpu = AnalyzerRun.ProcessorTime() - cpu;
        return (elapsed, cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated, count);
    }

    /// <summary>
    /// The request of one edit, ready to run: the edited compilation with <paramref name="analyzers"/>; running it
    /// computes the edited document's analyzer diagnostics and returns their count.
    /// </summary>
    public static Func<CancellationToken, int> Prepare(IdeProject project, int edit, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var (compilation, tree) = project.Edited(edit);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var model = withAnalyzers.Compilation.GetSemanticModel(tree);
        return token => withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, token).GetAwaiter().GetResult().Length;
    }

    private static long Median(List<long> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[sorted.Count / 2];
    }
}
