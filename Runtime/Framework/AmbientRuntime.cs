using System;
using System.Threading;

namespace DriverBuffers.Framework;

/// <summary>
/// Which runtime handle-less DDIs (pool, Rtl, MDL allocation) use: the one of the host that is running
/// driver code on this logical flow, else <see cref="DriverRuntime.ProcessDefault"/>.
/// </summary>
internal static class AmbientRuntime
{
    private static readonly AsyncLocal<DriverRuntime?> current = new();

    public static DriverRuntime Current => current.Value ?? DriverRuntime.ProcessDefault;

    /// <summary>Makes <paramref name="runtime"/> current until the returned scope is disposed.</summary>
    public static IDisposable Enter(DriverRuntime runtime)
    {
        var previous = current.Value;
        current.Value = runtime;
        return new Scope(previous);
    }

    private sealed class Scope : IDisposable
    {
        private readonly DriverRuntime? previous;

        public Scope(DriverRuntime? previous) => this.previous = previous;

        public void Dispose() => current.Value = previous;
    }
}
