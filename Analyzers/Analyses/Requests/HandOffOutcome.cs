using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// A pending outcome: a <c>bool</c> or <c>NTSTATUS</c> that holds the result of sending or forwarding requests.
/// When a branch learns that the send or forward failed, the driver still owns the requests (their ownership goes
/// back to what it was before the call); where it succeeded, the target or queue has them.
/// </summary>
internal sealed class HandOffOutcome
{
    public HandOffOutcome(FactMap<RequestFacts> factsBefore, bool isStatus)
    {
        FactsBefore = factsBefore;
        IsStatus = isStatus;
    }

    /// <summary>The facts of each request before it was handed off.</summary>
    public FactMap<RequestFacts> FactsBefore { get; }

    /// <summary>True when the outcome is an <c>NTSTATUS</c> (tested with <c>NT_SUCCESS</c>), false for a <c>bool</c>.</summary>
    public bool IsStatus { get; }

    public bool SameAs(HandOffOutcome other) =>
        ReferenceEquals(this, other) ||
        (IsStatus == other.IsStatus && FactMap<RequestFacts>.AreEqual(FactsBefore, other.FactsBefore, RequestFactsLattice.Instance));
}

/// <summary>Outcomes hold only where both paths agree on them.</summary>
internal sealed class HandOffOutcomeLattice : FactLattice<HandOffOutcome?>
{
    public static readonly HandOffOutcomeLattice Instance = new();

    public override bool AreEqual(HandOffOutcome? left, HandOffOutcome? right) =>
        left is null ? right is null : right is not null && left.SameAs(right);

    public override HandOffOutcome? Join(HandOffOutcome? left, HandOffOutcome? right) => AreEqual(left, right) ? left : null;

    public override bool JoinWithAbsent(HandOffOutcome? fact, out HandOffOutcome? joined)
    {
        joined = null;
        return false;
    }

    public override bool AbsentKeepsFacts => false;

    public override bool IsAbsent(HandOffOutcome? fact) => fact is null;
}
