using System.Threading;

namespace DriverBuffers.Framework;

/// <summary>Hands out the process-wide unique numbers shown in handle names ("WDFMEMORY#12").</summary>
internal static class ObjectIds
{
    private static long last;

    public static long Next() => Interlocked.Increment(ref last);
}
