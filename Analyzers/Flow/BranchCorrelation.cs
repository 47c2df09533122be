using System.Collections.Immutable;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// What a path knows about a tested local (a <c>bool</c>, or an <c>NTSTATUS</c> tested with <c>NT_SUCCESS</c>): either
/// the outcome of the test on this path (a marker), or, where the two outcomes met again, the request facts of each
/// side (a correlation). Testing the same local again, with nothing changed in between, takes the facts of the
/// matching side: <c>if (!NT_SUCCESS(status)) Complete(); ... if (NT_SUCCESS(status)) Use();</c> is not a use after
/// completion.
/// </summary>
internal sealed class BranchCorrelation
{
    private BranchCorrelation(
        bool? truth,
        ImmutableDictionary<ValueKey, RequestFacts>? whenTrue,
        ImmutableDictionary<ValueKey, RequestFacts>? whenFalse,
        ImmutableDictionary<ValueKey, RequestFacts>? joined)
    {
        Truth = truth;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
        Joined = joined;
    }

    /// <summary>The test's outcome on this path; null for a correlation.</summary>
    public bool? Truth { get; }

    public ImmutableDictionary<ValueKey, RequestFacts>? WhenTrue { get; }

    public ImmutableDictionary<ValueKey, RequestFacts>? WhenFalse { get; }

    /// <summary>The facts where the two sides met; the correlation holds while they are unchanged.</summary>
    public ImmutableDictionary<ValueKey, RequestFacts>? Joined { get; }

    public static BranchCorrelation Marker(bool truth) => truth ? True : False;

    public static BranchCorrelation Correlation(
        ImmutableDictionary<ValueKey, RequestFacts> whenTrue,
        ImmutableDictionary<ValueKey, RequestFacts> whenFalse,
        ImmutableDictionary<ValueKey, RequestFacts> joined) =>
        new(null, whenTrue, whenFalse, joined);

    private static readonly BranchCorrelation True = new(true, null, null, null);
    private static readonly BranchCorrelation False = new(false, null, null, null);

    public bool SameAs(BranchCorrelation other) =>
        ReferenceEquals(this, other) ||
        (Truth == other.Truth && Same(WhenTrue, other.WhenTrue) && Same(WhenFalse, other.WhenFalse) && Same(Joined, other.Joined));

    private static bool Same(ImmutableDictionary<ValueKey, RequestFacts>? left, ImmutableDictionary<ValueKey, RequestFacts>? right) =>
        left is null ? right is null : right is not null && RequestLifetimeState.FactsEqual(left, right);
}
