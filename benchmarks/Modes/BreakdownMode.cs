using System;
using System.Linq;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>
/// <c>--breakdown</c>: for each shape, the package's time by analyzer (telemetry of one run), with each
/// analyzer's family and rules: where the time goes, through public types only.
/// </summary>
public static class BreakdownMode
{
    public static int Run(Options options)
    {
        WarmUp.Run(options.Shapes, new[] { AnalyzerSets.Package }, options.Timeout);
        foreach (var shape in options.Shapes)
        {
            var measurement = ShapeMeasurement.Measure(shape, new[] { AnalyzerSets.Package }, options.Timeout);
            Console.WriteLine($"{shape.Name}: {shape.Lines:N0} lines, compile {measurement.Compile.TotalMilliseconds:0} ms, "
                + $"package {measurement.Package.AnalyzerTime.TotalMilliseconds:0} ms{(measurement.Package.TimedOut ? " (cancelled)" : "")}; {measurement.DiagnosticSummary()}");
            foreach (var (analyzer, time) in measurement.Package.ByAnalyzer.OrderByDescending(p => p.Value))
            {
                var rules = string.Join(",", analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct());
                Console.WriteLine($"  {time.TotalMilliseconds,10:0.0} ms  {AnalyzerFamily.Of(analyzer),-12} {analyzer.GetType().Name} ({rules})");
            }
        }

        return 0;
    }
}
