using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>Completion work the lower targets run on other threads.</summary>
internal static class BackgroundWork
{
    /// <summary>Waits, at most <paramref name="limit"/>, until none of <paramref name="targets"/> completes anything on another thread.</summary>
    public static bool WaitFor(IEnumerable<SimulatedIoTarget> targets, TimeSpan limit)
    {
        var all = targets.ToList();
        var clock = Stopwatch.StartNew();
        while (all.Any(t => t.InFlightOnOtherThreads > 0))
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }
            Thread.Sleep(1);
        }
        return true;
    }
}
