using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What a path knows about a tested local (a <c>bool</c>, or an <c>NTSTATUS</c> tested with <c>NT_SUCCESS</c>): either
/// the outcome of the test on this path (a marker), or, where the two outcomes met again, the request facts of each
/// side (a correlation). Testing the same local again, with nothing changed in between, takes the facts of the
/// matching side: <c>if (!NT_SUCCESS(status)) Complete(); ... if (NT_SUCCESS(status)) Use();</c> is not a use after
/// completion. Each local is correlated on its own; a relation between two tested locals (a test that needs both at
/// once) is kept by <see cref="JoinedPaths"/>, which keeps the paths of a join apart.
/// </summary>
internal sealed class BranchCorrelation
{
    private static readonly BranchCorrelation True = new(true, null, null, null);
    private static readonly BranchCorrelation False = new(false, null, null, null);

    private BranchCorrelation(
        bool? truth,
        FactMap<RequestFacts>? whenTrue,
        FactMap<RequestFacts>? whenFalse,
        FactMap<RequestFacts>? joined)
    {
        Truth = truth;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
        Joined = joined;
    }

    /// <summary>The test's outcome on this path; null for a correlation.</summary>
    public bool? Truth { get; }

    public FactMap<RequestFacts>? WhenTrue { get; }

    public FactMap<RequestFacts>? WhenFalse { get; }

    /// <summary>The facts where the two sides met; the correlation holds while they are unchanged.</summary>
    public FactMap<RequestFacts>? Joined { get; }

    public static BranchCorrelation Marker(bool truth) => truth ? True : False;

    public static BranchCorrelation Correlation(
        FactMap<RequestFacts> whenTrue, FactMap<RequestFacts> whenFalse, FactMap<RequestFacts> joined) =>
        new(null, whenTrue, whenFalse, joined);

    public bool SameAs(BranchCorrelation other) =>
        ReferenceEquals(this, other) ||
        (Truth == other.Truth && Same(WhenTrue, other.WhenTrue) && Same(WhenFalse, other.WhenFalse) && Same(Joined, other.Joined));

    private static bool Same(FactMap<RequestFacts>? left, FactMap<RequestFacts>? right) =>
        left is null ? right is null : right is not null && FactMap<RequestFacts>.AreEqual(left, right, RequestFactsLattice.Instance);
}
