using System;
using System.Linq;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>
/// <c>--profile</c>: runs each set over each shape <c>--repeat N</c> times, each on a fresh compilation, and prints the
/// analyzers' time of each run by family (median and fastest): a steady load to attach a sampling profiler to (<c>dotnet-trace collect --
/// dotnet Benchmarks.dll --profile --shapes ordinary --sets Package --repeat 100</c>), so a family's few milliseconds per
/// run add up to enough samples. The median by family is printed last.
/// </summary>
public static class ProfileMode
{
    public static int Run(Options options)
    {
        WarmUp.Run(options.Shapes, options.Sets, options.Timeout);
        foreach (var shape in options.Shapes)
        {
            var compilation = CorpusCompilation.Create(shape);
            foreach (var set in options.Sets)
            {
                var runs = Enumerable.Range(0, options.Repeat)
                    .Select(_ => AnalyzerRun.Run(set, CorpusCompilation.Fresh(compilation), AnalyzerSets.Get(set), options.Timeout))
                    .ToList();
                var families = runs.SelectMany(r => r.ByFamily().Keys).Distinct().OrderBy(f => f, StringComparer.Ordinal).ToList();
                static double Median(System.Collections.Generic.IEnumerable<double> values)
                {
                    var sorted = values.OrderBy(v => v).ToList();
                    return sorted[sorted.Count / 2];
                }

                double Family(AnalyzerRun run, string family) => run.ByFamily().TryGetValue(family, out var t) ? t.TotalMilliseconds : 0;
                Console.WriteLine($"{shape.Name} {set}, {runs.Count} runs, median: analyzers {Median(runs.Select(r => r.AnalyzerTime.TotalMilliseconds)):0.0} ms, "
                    + $"allocated {Median(runs.Select(r => r.AllocatedBytes / 1e6)):0.0} MB; by family: "
                    + string.Join(", ", families.Select(f => $"{f} {Median(runs.Select(r => Family(r, f))):0.0}")));

                // The fastest run: on a shared machine the median still carries other processes' load, the minimum less so.
                Console.WriteLine($"{shape.Name} {set}, fastest: analyzers {runs.Min(r => r.AnalyzerTime.TotalMilliseconds):0.0} ms; by family: "
                    + string.Join(", ", families.Select(f => $"{f} {runs.Min(r => Family(r, f)):0.0}")));
            }
        }

        return 0;
    }
}
