using System.Collections.Immutable;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// A pending outcome: a <c>bool</c> or <c>NTSTATUS</c> that holds the result of sending or forwarding requests.
/// When a branch learns that the send or forward failed, the driver still owns the requests (their ownership goes
/// back to what it was before the call); where it succeeded, the target or queue has them.
/// </summary>
internal sealed class HandOffOutcome
{
    public HandOffOutcome(ImmutableDictionary<ValueKey, RequestFacts> factsBefore, bool isStatus)
    {
        FactsBefore = factsBefore;
        IsStatus = isStatus;
    }

    /// <summary>The facts of each request before it was handed off.</summary>
    public ImmutableDictionary<ValueKey, RequestFacts> FactsBefore { get; }

    /// <summary>True when the outcome is an <c>NTSTATUS</c> (tested with <c>NT_SUCCESS</c>), false for a <c>bool</c>.</summary>
    public bool IsStatus { get; }

    public bool SameAs(HandOffOutcome other) =>
        ReferenceEquals(this, other) ||
        (IsStatus == other.IsStatus && RequestLifetimeState.FactsEqual(FactsBefore, other.FactsBefore));
}
