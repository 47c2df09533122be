using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// The immutable state of <see cref="RequestOwnershipDomain"/> at one point. Every part is a <see cref="FactMap{TFact}"/>
/// over <see cref="TrackedLocation"/>s, so an operation that changes nothing returns this very instance and the solver
/// skips it:
/// <list type="bullet">
/// <item><see cref="Owners"/>: for each followed value, who owns it (the requests a memory object, buffer or MDL
/// belongs to, or <see cref="TrackedLocation.Driver"/> for memory the driver created); for a <c>WDFREQUEST</c> value,
/// the requests it may be (an alias). A request-typed location without an entry is itself a root request.</item>
/// <item><see cref="Lifetime"/>: each root request's completion and ownership (DRV001–DRV004).</item>
/// <item><see cref="Created"/>: each driver-created root request's format/send/reuse/routine facts (DRV010–DRV013).</item>
/// <item><see cref="Outcomes"/>, <see cref="Branches"/>: pending send/forward results and tested locals.</item>
/// <item><see cref="SynchronousOptions"/>: send-options locals set up for a synchronous or send-and-forget send.</item>
/// <item><see cref="Paths"/>: the paths of the last join kept apart for later tests, while their facts are unchanged.</item>
/// </list>
/// </summary>
internal sealed class RequestState
{
    public static readonly ImmutableHashSet<TrackedLocation> NoOwners = ImmutableHashSet<TrackedLocation>.Empty;

    public static readonly RequestState Unreached = Nothing();

    public static readonly RequestState Empty = Nothing();

    private RequestState(
        FactMap<ImmutableHashSet<TrackedLocation>> owners,
        FactMap<RequestFacts> lifetime,
        FactMap<HandOffOutcome?> outcomes,
        FactMap<BranchCorrelation> branches,
        FactMap<CreatedRequestFacts> created,
        FactMap<bool> synchronousOptions,
        FactMap<CancelFacts> cancel,
        JoinedPaths? paths)
    {
        Cancel = cancel;
        Paths = paths;
        Owners = owners;
        Lifetime = lifetime;
        Outcomes = outcomes;
        Branches = branches;
        Created = created;
        SynchronousOptions = synchronousOptions;
    }

    /// <summary>The state of code not reached yet: the one <see cref="Unreached"/> instance (no flag is kept per state).</summary>
    public bool IsUnreached => ReferenceEquals(this, Unreached);

    private static RequestState Nothing() => new(
        FactMap<ImmutableHashSet<TrackedLocation>>.Empty,
        FactMap<RequestFacts>.Empty,
        FactMap<HandOffOutcome?>.Empty,
        FactMap<BranchCorrelation>.Empty,
        FactMap<CreatedRequestFacts>.Empty,
        FactMap<bool>.Empty,
        FactMap<CancelFacts>.Empty,
        null);

    public FactMap<ImmutableHashSet<TrackedLocation>> Owners { get; }

    public FactMap<RequestFacts> Lifetime { get; }

    public FactMap<HandOffOutcome?> Outcomes { get; }

    public FactMap<BranchCorrelation> Branches { get; }

    public FactMap<CreatedRequestFacts> Created { get; }

    public FactMap<bool> SynchronousOptions { get; }

    /// <summary>Each request's cancelability (DRV005): marked cancelable, unmarked with a status not yet tested.</summary>
    public FactMap<CancelFacts> Cancel { get; }

    /// <summary>
    /// The paths joined here kept apart (null: one path, or a split that told nothing); dropped by any operation that
    /// changes request facts, tested locals or outcomes other than in the same way on every path.
    /// </summary>
    public JoinedPaths? Paths { get; }

    public CancelFacts? CancelOf(TrackedLocation request) => Cancel.TryGetValue(request, out var facts) ? facts : null;

    public RequestState WithCancel(TrackedLocation request, CancelFacts? facts) =>
        With(cancel: facts is null || facts.IsEmpty ? Cancel.Remove(request) : Cancel.SetItem(request, facts, CancelFactsLattice.Instance));

    /// <summary>Who owns the value held in <paramref name="location"/> (empty: nobody known).</summary>
    public ImmutableHashSet<TrackedLocation> OwnersOf(TrackedLocation location) =>
        Owners.TryGetValue(location, out var owners) ? owners : NoOwners;

    /// <summary>The lifetime facts of a root request (a request without an entry is live and owned).</summary>
    public RequestFacts FactsOf(TrackedLocation request) =>
        Lifetime.TryGetValue(request, out var facts) ? facts : RequestFacts.Initial;

    public RequestState WithOwners(TrackedLocation location, ImmutableHashSet<TrackedLocation> owners) =>
        With(owners: Owners.SetItem(location, owners, LocationSetLattice.Instance));

    public RequestState WithFacts(TrackedLocation request, RequestFacts facts) =>
        With(lifetime: Lifetime.SetItem(request, facts, RequestFactsLattice.Instance));

    public RequestState WithLifetime(FactMap<RequestFacts> lifetime) => With(lifetime: lifetime);

    public RequestState WithOutcome(TrackedLocation location, HandOffOutcome? outcome) =>
        With(outcomes: outcome is null ? Outcomes.Remove(location) : Outcomes.SetItem(location, outcome, HandOffOutcomeLattice.Instance));

    /// <summary>
    /// What a path knows of a tested local, set on every path (a constant stored, a test's outcome): each kept path takes
    /// it too (the joined knowledge holds on every path).
    /// </summary>
    public RequestState WithBranch(TrackedLocation tested, BranchCorrelation? branch) =>
        With(
            branches: branch is null ? Branches.Remove(tested) : Branches.SetItem(tested, branch, BranchLattice.Instance),
            paths: Paths?.Map(static (path, change) => path.WithBranch(change.tested, change.branch), (tested, branch)),
            pathsChanged: true);

    public RequestState WithCreated(TrackedLocation request, CreatedRequestFacts? facts) =>
        With(created: facts is null ? Created.Remove(request) : Created.SetItem(request, facts, CreatedRequestFactsLattice.Instance));

    public RequestState WithSynchronousOptions(TrackedLocation options) =>
        With(synchronousOptions: SynchronousOptions.SetItem(options, true, MayFlagLattice.Instance));

    /// <summary>The location is written: what was known of its value (send/forward outcome, tested outcome) is gone.</summary>
    public RequestState Forget(TrackedLocation location) =>
        With(
            outcomes: Outcomes.Remove(location),
            branches: Branches.Remove(location),
            paths: Paths?.Map(static (path, location) => path.Forget(location), location),
            pathsChanged: true);

    /// <summary>The location is written: every path that extends it (<c>ctx.f</c> when <c>ctx</c> is assigned) is no longer known.</summary>
    public RequestState KillDependents(TrackedLocation location) =>
        With(
            owners: Owners.KillDependents(location),
            lifetime: Lifetime.KillDependents(location),
            outcomes: Outcomes.KillDependents(location),
            branches: Branches.KillDependents(location),
            created: Created.KillDependents(location),
            synchronousOptions: SynchronousOptions.KillDependents(location),
            cancel: Cancel.KillDependents(location),
            paths: Paths?.Map(static (path, location) => path.KillDependents(location), location),
            pathsChanged: true);

    /// <summary>
    /// The state after a test refined each kept path: the joined facts of the paths on which the test can hold, and
    /// those paths (null when fewer than two).
    /// </summary>
    public RequestState WithTestedPaths(
        FactMap<RequestFacts> lifetime, FactMap<BranchCorrelation> branches, FactMap<HandOffOutcome?> outcomes, JoinedPaths? paths) =>
        With(lifetime: lifetime, branches: branches, outcomes: outcomes, paths: paths, pathsChanged: true);

    private RequestState With(
        FactMap<ImmutableHashSet<TrackedLocation>>? owners = null,
        FactMap<RequestFacts>? lifetime = null,
        FactMap<HandOffOutcome?>? outcomes = null,
        FactMap<BranchCorrelation>? branches = null,
        FactMap<CreatedRequestFacts>? created = null,
        FactMap<bool>? synchronousOptions = null,
        FactMap<CancelFacts>? cancel = null,
        JoinedPaths? paths = null,
        bool pathsChanged = false)
    {
        if (!pathsChanged)
        {
            // The kept paths hold while nothing touches request facts, tested locals or outcomes: an operation that does
            // (even one that leaves the joined facts as they were) may change them on some path only.
            paths = lifetime is null && branches is null && outcomes is null ? Paths : null;
        }

        cancel ??= Cancel;
        owners ??= Owners;
        lifetime ??= Lifetime;
        outcomes ??= Outcomes;
        branches ??= Branches;
        created ??= Created;
        synchronousOptions ??= SynchronousOptions;
        if (!IsUnreached && ReferenceEquals(owners, Owners) && ReferenceEquals(lifetime, Lifetime) &&
            ReferenceEquals(outcomes, Outcomes) && ReferenceEquals(branches, Branches) &&
            ReferenceEquals(created, Created) && ReferenceEquals(synchronousOptions, SynchronousOptions) && ReferenceEquals(cancel, Cancel) &&
            ReferenceEquals(paths, Paths))
        {
            return this;
        }

        return new RequestState(owners, lifetime, outcomes, branches, created, synchronousOptions, cancel, paths);
    }

    public static RequestState Join(RequestState left, RequestState right)
    {
        if (left.IsUnreached)
        {
            return right;
        }

        if (right.IsUnreached || ReferenceEquals(left, right))
        {
            return left;
        }

        var lifetime = FactMap<RequestFacts>.Join(left.Lifetime, right.Lifetime, RequestFactsLattice.Instance);
        return left.With(
            owners: FactMap<ImmutableHashSet<TrackedLocation>>.Join(left.Owners, right.Owners, LocationSetLattice.Instance),
            lifetime: lifetime,
            outcomes: FactMap<HandOffOutcome?>.Join(left.Outcomes, right.Outcomes, HandOffOutcomeLattice.Instance),
            branches: JoinBranches(left, right, lifetime),
            created: FactMap<CreatedRequestFacts>.Join(left.Created, right.Created, CreatedRequestFactsLattice.Instance),
            synchronousOptions: FactMap<bool>.Join(left.SynchronousOptions, right.SynchronousOptions, MayFlagLattice.Instance),
            cancel: FactMap<CancelFacts>.Join(left.Cancel, right.Cancel, CancelFactsLattice.Instance),
            paths: JoinedPaths.Join(left, right),
            pathsChanged: true);
    }

    /// <summary>
    /// The request facts, tested locals and outcomes of kept paths joined (what a test leaves of a split); the other
    /// parts of the result are <paramref name="left"/>'s and mean nothing.
    /// </summary>
    public static RequestState JoinTested(RequestState left, RequestState right)
    {
        if (ReferenceEquals(left, right))
        {
            return left;
        }

        var lifetime = FactMap<RequestFacts>.Join(left.Lifetime, right.Lifetime, RequestFactsLattice.Instance);
        return new RequestState(
            left.Owners,
            lifetime,
            FactMap<HandOffOutcome?>.Join(left.Outcomes, right.Outcomes, HandOffOutcomeLattice.Instance),
            JoinBranches(left, right, lifetime),
            left.Created,
            left.SynchronousOptions,
            left.Cancel,
            null);
    }

    /// <summary>True when both states know the same of every tested local.</summary>
    internal static bool SameBranches(RequestState left, RequestState right) =>
        FactMap<BranchCorrelation>.AreEqual(left.Branches, right.Branches, BranchLattice.Instance);

    /// <summary>
    /// A tested local known on both sides: where its two outcomes meet, each side's facts are remembered (a
    /// correlation); the same knowledge on both sides is kept; anything else is dropped.
    /// </summary>
    /// <summary>
    /// Joins what each side knows about tested locals: a local known on both sides keeps, for each outcome of its test,
    /// the joined facts of the paths with that outcome (a marker stands for its side's facts, a correlation for the
    /// facts it holds, while they are current). So a flag or status set on many paths (<c>fSync = TRUE</c> in three
    /// cases, <c>status = STATUS_INVALID_PARAMETER; goto Exit;</c> from several places) is still correlated where all
    /// those paths meet, whatever order they are joined in.
    /// </summary>
    private static FactMap<BranchCorrelation> JoinBranches(RequestState left, RequestState right, FactMap<RequestFacts> joinedLifetime)
    {
        if (ReferenceEquals(left.Branches, right.Branches) && left.Branches.IsEmpty)
        {
            return left.Branches;
        }

        var result = left.Branches;
        foreach (var pair in left.Branches)
        {
            BranchCorrelation? kept = null;
            if (right.Branches.TryGetValue(pair.Key, out var theirs))
            {
                if (pair.Value.Truth is bool mine && theirs.Truth is bool other && mine == other)
                {
                    kept = pair.Value;
                }
                else if (Sides(pair.Value, left.Lifetime) is var (leftTrue, leftFalse, leftValid) && leftValid &&
                         Sides(theirs, right.Lifetime) is var (rightTrue, rightFalse, rightValid) && rightValid)
                {
                    var whenTrue = JoinSide(leftTrue, rightTrue);
                    var whenFalse = JoinSide(leftFalse, rightFalse);
                    kept = whenTrue is null ? BranchCorrelation.Marker(false)
                        : whenFalse is null ? BranchCorrelation.Marker(true)
                        : BranchCorrelation.Correlation(whenTrue, whenFalse, joinedLifetime);
                }
            }
            else
            {
                kept = OneSided(pair.Value, left.Lifetime, right.Lifetime, joinedLifetime);
            }

            result = kept is null ? result.Remove(pair.Key) : result.SetItem(pair.Key, kept, BranchLattice.Instance);
        }

        foreach (var pair in right.Branches)
        {
            if (!left.Branches.TryGetValue(pair.Key, out _) && OneSided(pair.Value, right.Lifetime, left.Lifetime, joinedLifetime) is { } kept)
            {
                result = result.SetItem(pair.Key, kept, BranchLattice.Instance);
            }
        }

        return result;
    }

    /// <summary>
    /// A tested local known on one side only (the other side assigned it again, or never tested it): the other side's
    /// paths may have either outcome, so its facts join both outcomes' facts. OSR-style shared exits after a hand-off
    /// whose status was overwritten on its success path (serialhcibus: <c>status = WdfRequestForwardToIoQueue(…); if
    /// (NT_SUCCESS(status)) status = ReadRequestComplete(…);</c> … <c>if (!NT_SUCCESS(status)) WdfRequestComplete(…)</c>):
    /// the paths where the local is true are still only the forwarded ones and the other side's. Null when that tells
    /// nothing (both outcomes' facts are the joined facts) or the side's correlation is stale.
    /// </summary>
    private static BranchCorrelation? OneSided(
        BranchCorrelation known, FactMap<RequestFacts> knownLifetime, FactMap<RequestFacts> otherLifetime, FactMap<RequestFacts> joinedLifetime)
    {
        var (knownTrue, knownFalse, valid) = Sides(known, knownLifetime);
        if (!valid)
        {
            return null;
        }

        var whenTrue = JoinSide(knownTrue, otherLifetime)!;
        var whenFalse = JoinSide(knownFalse, otherLifetime)!;
        return FactMap<RequestFacts>.AreEqual(whenTrue, joinedLifetime, RequestFactsLattice.Instance) &&
               FactMap<RequestFacts>.AreEqual(whenFalse, joinedLifetime, RequestFactsLattice.Instance)
            ? null
            : BranchCorrelation.Correlation(whenTrue, whenFalse, joinedLifetime);
    }

    /// <summary>
    /// The request facts of the paths on which the tested local <paramref name="tested"/> is true, and false, when both
    /// are known here (a current correlation); null otherwise.
    /// </summary>
    public (FactMap<RequestFacts> WhenTrue, FactMap<RequestFacts> WhenFalse)? OutcomesOf(TrackedLocation tested)
    {
        if (IsUnreached || !Branches.TryGetValue(tested, out var branch) ||
            Sides(branch, Lifetime) is not ({ } whenTrue, { } whenFalse, true))
        {
            return null;
        }

        return (whenTrue, whenFalse);
    }

    /// <summary>The facts a branch entry holds for each outcome; not valid for a correlation whose facts changed since.</summary>
    private static (FactMap<RequestFacts>? WhenTrue, FactMap<RequestFacts>? WhenFalse, bool Valid) Sides(BranchCorrelation branch, FactMap<RequestFacts> lifetime)
    {
        if (branch.Truth is bool truth)
        {
            return truth ? (lifetime, null, true) : (null, lifetime, true);
        }

        return (branch.WhenTrue, branch.WhenFalse, FactMap<RequestFacts>.AreEqual(branch.Joined!, lifetime, RequestFactsLattice.Instance));
    }

    /// <summary>The facts of two sides' paths joined; a side without paths (null) adds nothing.</summary>
    internal static FactMap<RequestFacts>? JoinSide(FactMap<RequestFacts>? left, FactMap<RequestFacts>? right) =>
        left is null ? right : right is null ? left : FactMap<RequestFacts>.Join(left, right, RequestFactsLattice.Instance);

    public static bool AreEqual(RequestState left, RequestState right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        return left.IsUnreached == right.IsUnreached &&
            FactMap<RequestFacts>.AreEqual(left.Lifetime, right.Lifetime, RequestFactsLattice.Instance) &&
            FactMap<BranchCorrelation>.AreEqual(left.Branches, right.Branches, BranchLattice.Instance) &&
            FactMap<ImmutableHashSet<TrackedLocation>>.AreEqual(left.Owners, right.Owners, LocationSetLattice.Instance) &&
            FactMap<HandOffOutcome?>.AreEqual(left.Outcomes, right.Outcomes, HandOffOutcomeLattice.Instance) &&
            FactMap<CreatedRequestFacts>.AreEqual(left.Created, right.Created, CreatedRequestFactsLattice.Instance) &&
            FactMap<bool>.AreEqual(left.SynchronousOptions, right.SynchronousOptions, MayFlagLattice.Instance) &&
            FactMap<CancelFacts>.AreEqual(left.Cancel, right.Cancel, CancelFactsLattice.Instance) &&
            JoinedPaths.AreEqual(left.Paths, right.Paths);
    }

    /// <summary>Tested locals compare by <see cref="BranchCorrelation.SameAs"/>; their join is <see cref="JoinBranches"/>.</summary>
    private sealed class BranchLattice : FactLattice<BranchCorrelation>
    {
        public static readonly BranchLattice Instance = new();

        public override bool AreEqual(BranchCorrelation left, BranchCorrelation right) => left.SameAs(right);

        public override BranchCorrelation Join(BranchCorrelation left, BranchCorrelation right) => left;
    }
}
