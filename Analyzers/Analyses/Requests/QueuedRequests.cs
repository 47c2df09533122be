using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// Requests that may wait in one of the driver's own queues, so that a helper which takes "the next request" from that
/// queue may take one of them (the WDK's bluetooth/serialhcibus: <c>FdoIoQuDeviceControl</c> forwards a read to the
/// manual queue and calls <c>ReadRequestComplete</c>, which retrieves the oldest request of that queue, completes it and
/// returns the status it completed it with). Kept as the owners of one derived location per queue,
/// <c>InQueue(queue)</c>: in a function, the requests forwarded to <c>queue</c> (joined by union, forgotten when
/// <c>queue</c> is assigned); in a helper's summary, the request it retrieves from a queue parameter, whose effect the
/// caller applies, on some paths only, to the requests it forwarded to the queue it passes there.
/// </summary>
internal static class QueuedRequests
{
    private const string Kind = "InQueue";

    /// <summary>The location whose owners are the requests that may wait in <paramref name="queue"/>.</summary>
    public static TrackedLocation InQueue(TrackedLocation queue, ITypeSymbol? requestType) =>
        TrackedLocation.Derived(Kind, ImmutableArray.Create(queue), requestType, "a request of " + queue.Name);

    /// <summary>
    /// A retrieved request's effect applied to a request that was only one of those waiting in the queue: it may be
    /// another, so what the helper did to the one it took holds on some paths only.
    /// </summary>
    public static RequestEffect OnSomePaths(RequestEffect effect) =>
        new(
            effect.Completion == CompletionState.Completed ? CompletionState.MaybeCompleted : effect.Completion,
            effect.Ownership == OwnershipState.Released ? OwnershipState.MaybeReleased : effect.Ownership,
            callsRequestDdi: false,
            effect.CompletedBy);
}
