using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// Receives what <see cref="RequestLifetimeDomain"/> sees while it replays a solved method, with the state
/// just before each event; rules decide from the state what to report.
/// </summary>
internal interface IRequestLifetimeObserver
{
    /// <summary>
    /// A memory object, buffer or MDL that belongs to <paramref name="requests"/> is used (dereferenced, passed to a
    /// DDI or to a method that uses it) at <paramref name="site"/>.
    /// </summary>
    void OnUse(IOperation site, ValueKey value, ImmutableHashSet<ValueKey> requests, RequestLifetimeState state);

    /// <summary><paramref name="call"/> completes <paramref name="requests"/> (a completion DDI or a helper that completes).</summary>
    void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<ValueKey> requests, RequestLifetimeState state);

    /// <summary>
    /// <paramref name="call"/> calls a request DDI (or a helper that does) named <paramref name="callee"/> on
    /// <paramref name="requests"/>.
    /// </summary>
    void OnRequestCall(IOperation call, string callee, ImmutableHashSet<ValueKey> requests, RequestLifetimeState state);
}
