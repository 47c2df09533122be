using System;
using System.Linq;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>Sizes a shape by the lines it should have, from the lines a probe size generates.</summary>
public static class ShapeSizes
{
    public static int SizeForLines(this IShapeGenerator generator, int lines, int probeSize = 20)
    {
        var probeLines = generator.Generate(probeSize, "Probe").Sum(f => f.Lines);
        return Math.Max(1, (int)Math.Round(lines * (double)probeSize / probeLines));
    }
}
