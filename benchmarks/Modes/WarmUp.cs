using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>
/// Runs the compiler and every analyzer set once over every shape at a small size, together, so the measured
/// shapes do not pay for JIT compilation of the code paths they reach (the peers' as well as the package's).
/// </summary>
public static class WarmUp
{
    public static void Run(IReadOnlyList<CorpusShape> shapes, IReadOnlyList<string> sets, TimeSpan timeout)
    {
        var files = shapes.SelectMany(s => s.Generator.Generate(SmokeMode.SmallSize(s), "WarmUp" + s.NameSpace));
        var compilation = CorpusCompilation.Create("WarmUp", files);
        CompileRun.Run(CorpusCompilation.Fresh(compilation));
        foreach (var set in sets)
        {
            AnalyzerRun.Run(set, CorpusCompilation.Fresh(compilation), AnalyzerSets.Get(set), timeout);
        }
    }
}
