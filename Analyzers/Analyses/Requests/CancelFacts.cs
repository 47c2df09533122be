using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What may be true, on some path, of a request's cancelability (DRV005): it is marked cancelable and not unmarked since
/// (<see cref="Marked"/>); or it was unmarked and the unmark's status, which is <c>STATUS_CANCELLED</c> when the cancel
/// routine runs or will run, was not found to be another (<see cref="Unmark"/>). <see cref="LastMark"/> names the cancel
/// routine the request was last marked with in this function, if any. Witnesses are chosen deterministically where
/// paths meet (the earlier in the source), so the lattice stays finite.
/// </summary>
internal sealed class CancelFacts
{
    private CancelFacts(IInvocationOperation? marked, IInvocationOperation? unmark, IInvocationOperation? lastMark)
    {
        Marked = marked;
        Unmark = unmark;
        LastMark = lastMark;
    }

    /// <summary>The mark that may still hold here (null: unmarked, or never marked, on every path).</summary>
    public IInvocationOperation? Marked { get; }

    /// <summary>The unmark whose status may be <c>STATUS_CANCELLED</c> here.</summary>
    public IInvocationOperation? Unmark { get; }

    /// <summary>The last mark of the request in this function (its cancel routine), kept after the unmark.</summary>
    public IInvocationOperation? LastMark { get; }

    public static readonly CancelFacts None = new(null, null, null);

    public bool IsEmpty => Marked is null && Unmark is null && LastMark is null;

    public static CancelFacts AfterMark(IInvocationOperation mark) => new(mark, null, mark);

    public CancelFacts AfterUnmark(IInvocationOperation unmark) => new(null, unmark, LastMark);

    /// <summary>Where the mark's status is a failure: the request was not marked.</summary>
    public CancelFacts NotMarked() => new(null, Unmark, LastMark);

    /// <summary>Where the unmark's status is known not to be <c>STATUS_CANCELLED</c>: the driver may complete the request.</summary>
    public CancelFacts NotCancelled() => new(Marked, null, LastMark);

    public CancelFacts Join(CancelFacts other)
    {
        if (SameAs(other))
        {
            return this;
        }

        return new CancelFacts(Earlier(Marked, other.Marked), Earlier(Unmark, other.Unmark), Earlier(LastMark, other.LastMark));
    }

    public bool SameAs(CancelFacts other) =>
        ReferenceEquals(this, other) ||
        (ReferenceEquals(Marked, other.Marked) && ReferenceEquals(Unmark, other.Unmark) && ReferenceEquals(LastMark, other.LastMark));

    private static IInvocationOperation? Earlier(IInvocationOperation? left, IInvocationOperation? right)
    {
        if (left is null)
        {
            return right;
        }

        return right is null || left.Syntax.SpanStart <= right.Syntax.SpanStart ? left : right;
    }
}

/// <summary>The lattice of <see cref="CancelFacts"/>: "may" facts; a request without an entry was never marked here.</summary>
internal sealed class CancelFactsLattice : FactLattice<CancelFacts>
{
    public static readonly CancelFactsLattice Instance = new();

    public override bool AreEqual(CancelFacts left, CancelFacts right) => left.SameAs(right);

    public override CancelFacts Join(CancelFacts left, CancelFacts right) => left.Join(right);

    public override bool IsAbsent(CancelFacts fact) => fact.IsEmpty;
}
