using System;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// What a piece of code allocates on the calling thread: the fewest bytes of several runs after a first, uncounted one
/// (which compiles the code). The runtime itself now and then allocates on the thread during a run (tiered compilation
/// promoting a method that just got hot: 208 bytes once in a CI run under load), which is not the code's own; code that
/// allocates does so in every run.
/// </summary>
internal static class AllocatedBytes
{
    public static long Fewest(Action action, int runs = 5)
    {
        action();
        long fewest = long.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
