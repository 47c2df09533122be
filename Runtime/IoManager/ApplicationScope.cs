using DriverBuffers.Hosting;

namespace DriverBuffers.IoManager;

/// <summary>
/// Which application request driver code on this thread is working for, so that a send to a simulated target can
/// name the request it serves (<see cref="TargetIoRequest.Origin"/>): set while the I/O manager dispatches a new
/// request, while a queue presents one, while a completion or cancel routine runs for one. Also the tag the
/// application attaches to the requests it sends from this thread (<see cref="DriverHostBase.ApplicationTag"/>).
/// </summary>
internal static class ApplicationScope
{
    [System.ThreadStatic] private static IoResult? current;
    [System.ThreadStatic] private static object? tag;

    /// <summary>The application request driver code on this thread works for, or null (a timer, a DPC, a work item).</summary>
    public static IoResult? Current => current;

    /// <summary>The application's tag for requests sent from this thread.</summary>
    public static object? Tag
    {
        get => tag;
        set => tag = value;
    }

    /// <summary>Driver code on this thread works for <paramref name="request"/> until the returned scope is disposed.</summary>
    public static Scope For(IoResult? request)
    {
        var saved = current;
        if (request is not null)
        {
            current = request;
        }
        return new Scope(saved);
    }

    public readonly struct Scope : System.IDisposable
    {
        private readonly IoResult? saved;

        internal Scope(IoResult? saved) => this.saved = saved;

        public void Dispose() => current = saved;
    }
}
