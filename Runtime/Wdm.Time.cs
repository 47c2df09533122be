using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>Simulated time as the kernel reports it (it moves only when the host lets time pass).</summary>
public static partial class Wdm
{
    /// <summary>The system time, in 100 ns units since 1601 (C's <c>KeQuerySystemTime(&amp;time)</c> with a <c>LARGE_INTEGER</c>).</summary>
    public static void KeQuerySystemTime(out long CurrentTime) => CurrentTime = AmbientRuntime.Current.Clock.SystemTime;

    /// <summary>The time since boot, in 100 ns units.</summary>
    public static ulong KeQueryInterruptTime() => (ulong)AmbientRuntime.Current.Clock.Now;
}
