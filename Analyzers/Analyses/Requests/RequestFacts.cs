using Microsoft.CodeAnalysis;

using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>Whether the driver has completed a request on the paths that reach a point.</summary>
internal enum CompletionState : byte
{
    /// <summary>Not completed on any path: the request and everything retrieved from it are valid.</summary>
    Live,

    /// <summary>Completed on some paths but not on others.</summary>
    MaybeCompleted,

    /// <summary>Completed on every path.</summary>
    Completed,
}

/// <summary>Whether the driver has let go of a request (completed, forwarded, sent or kept it) on the paths to a point.</summary>
internal enum OwnershipState : byte
{
    /// <summary>The driver still owns the request on every path and must still complete, forward, send or keep it.</summary>
    Owned,

    /// <summary>Let go of on some paths only.</summary>
    MaybeReleased,

    /// <summary>Completed, forwarded, sent or kept on every path.</summary>
    Released,
}

/// <summary>Where a request was completed: the call the user wrote and the DDI or helper that completed it.</summary>
internal sealed class CompletionSite
{
    public CompletionSite(SyntaxNode syntax, string completedBy)
    {
        Syntax = syntax;
        CompletedBy = completedBy;
    }

    /// <summary>The completing call (the DDI, or the call of a helper that completes).</summary>
    public SyntaxNode Syntax { get; }

    /// <summary>The DDI or the helper method, as the message names it.</summary>
    public string CompletedBy { get; }

    /// <summary>The 1-based line of the completing call.</summary>
    public int Line => SourceLines.LineOf(Syntax);

    /// <summary>The earlier of two sites, so joins are deterministic.</summary>
    public static CompletionSite? Earlier(CompletionSite? left, CompletionSite? right)
    {
        if (left is null)
        {
            return right;
        }

        if (right is null || ReferenceEquals(left.Syntax, right.Syntax))
        {
            return left;
        }

        return right.Syntax.SpanStart < left.Syntax.SpanStart ? right : left;
    }
}

/// <summary>
/// The lifetime facts of one request at a point: completed or not, let go of or not, and where it was completed.
/// A request absent from <see cref="RequestState.Lifetime"/> has <see cref="Initial"/> facts.
/// </summary>
internal readonly struct RequestFacts
{
    public static readonly RequestFacts Initial = default;

    public RequestFacts(CompletionState completion, OwnershipState ownership, CompletionSite? site)
    {
        Completion = completion;
        Ownership = ownership;
        Site = site;
    }

    public CompletionState Completion { get; }

    public OwnershipState Ownership { get; }

    /// <summary>The completing call when <see cref="Completion"/> is not <see cref="CompletionState.Live"/>.</summary>
    public CompletionSite? Site { get; }

    public bool IsInitial => Completion == CompletionState.Live && Ownership == OwnershipState.Owned && Site is null;

    public RequestFacts Complete(CompletionSite site, bool onAllPaths)
    {
        if (onAllPaths)
        {
            return new RequestFacts(CompletionState.Completed, OwnershipState.Released, site);
        }

        var completion = Completion == CompletionState.Completed ? CompletionState.Completed : CompletionState.MaybeCompleted;
        var ownership = Ownership == OwnershipState.Released ? OwnershipState.Released : OwnershipState.MaybeReleased;
        return new RequestFacts(completion, ownership, CompletionSite.Earlier(Site, site));
    }

    public RequestFacts Release(bool onAllPaths) =>
        new(Completion, onAllPaths || Ownership == OwnershipState.Released ? OwnershipState.Released : OwnershipState.MaybeReleased, Site);

    public static RequestFacts Join(RequestFacts left, RequestFacts right)
    {
        var completion = left.Completion == right.Completion ? left.Completion : CompletionState.MaybeCompleted;
        var ownership = left.Ownership == right.Ownership ? left.Ownership : OwnershipState.MaybeReleased;
        return new RequestFacts(completion, ownership, CompletionSite.Earlier(left.Site, right.Site));
    }

    public bool SameAs(RequestFacts other) =>
        Completion == other.Completion && Ownership == other.Ownership &&
        ReferenceEquals(Site?.Syntax, other.Site?.Syntax) && Site?.CompletedBy == other.Site?.CompletedBy;
}

/// <summary>The lattice of <see cref="RequestFacts"/>: a request without an entry is live and owned.</summary>
internal sealed class RequestFactsLattice : FactLattice<RequestFacts>
{
    public static readonly RequestFactsLattice Instance = new();

    public override bool AreEqual(RequestFacts left, RequestFacts right) => left.SameAs(right);

    public override RequestFacts Join(RequestFacts left, RequestFacts right) => RequestFacts.Join(left, right);

    public override bool JoinWithAbsent(RequestFacts fact, out RequestFacts joined)
    {
        joined = RequestFacts.Join(fact, RequestFacts.Initial);
        return true;
    }

    public override bool AbsentKeepsFacts => false;

    public override bool IsAbsent(RequestFacts fact) => fact.IsInitial;
}
