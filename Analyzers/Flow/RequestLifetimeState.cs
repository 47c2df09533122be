using System.Collections.Generic;
using System.Collections.Immutable;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// The immutable state of <see cref="RequestLifetimeDomain"/> at one point: which requests each followed value
/// belongs to (<see cref="Origins"/>), what is known of each request (<see cref="Requests"/>), and pending
/// send/forward outcomes (<see cref="Outcomes"/>).
/// </summary>
internal sealed class RequestLifetimeState
{
    public static readonly ImmutableHashSet<ValueKey> NoRequests = ImmutableHashSet<ValueKey>.Empty;

    public static readonly RequestLifetimeState Unreached = new(
        true,
        ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>>.Empty,
        ImmutableDictionary<ValueKey, RequestFacts>.Empty,
        ImmutableDictionary<ValueKey, HandOffOutcome>.Empty);

    public static readonly RequestLifetimeState Empty = new(
        false,
        ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>>.Empty,
        ImmutableDictionary<ValueKey, RequestFacts>.Empty,
        ImmutableDictionary<ValueKey, HandOffOutcome>.Empty);

    public RequestLifetimeState(
        bool isUnreached,
        ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>> origins,
        ImmutableDictionary<ValueKey, RequestFacts> requests,
        ImmutableDictionary<ValueKey, HandOffOutcome> outcomes,
        ImmutableDictionary<ValueKey, BranchCorrelation>? branches = null)
    {
        IsUnreached = isUnreached;
        Origins = origins;
        Requests = requests;
        Branches = branches ?? ImmutableDictionary<ValueKey, BranchCorrelation>.Empty;
        Outcomes = outcomes;
    }

    public bool IsUnreached { get; }

    /// <summary>
    /// For each followed value, the requests it belongs to (the root requests: typically the callback's
    /// <c>Request</c> parameter). For a value of type <c>WDFREQUEST</c>, the requests it may be (an alias).
    /// A value absent from the map belongs to no request (a request-typed value is then itself a root).
    /// </summary>
    public ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>> Origins { get; }

    /// <summary>The facts of each root request; a request absent from the map is live and owned.</summary>
    public ImmutableDictionary<ValueKey, RequestFacts> Requests { get; }

    /// <summary>Values (or operations) that hold the outcome of sending or forwarding requests.</summary>
    public ImmutableDictionary<ValueKey, HandOffOutcome> Outcomes { get; }

    /// <summary>Tested locals: the outcome on this path, or the facts of each outcome where they met (see <see cref="BranchCorrelation"/>).</summary>
    public ImmutableDictionary<ValueKey, BranchCorrelation> Branches { get; }

    public RequestLifetimeState WithBranch(ValueKey tested, BranchCorrelation? branch) =>
        new(false, Origins, Requests, Outcomes, branch is null ? Branches.Remove(tested) : Branches.SetItem(tested, branch));

    public RequestLifetimeState WithRequests(ImmutableDictionary<ValueKey, RequestFacts> requests) =>
        new(false, Origins, requests, Outcomes, Branches);

    /// <summary>The location is written: what was known of its value (send/forward outcome, tested outcome) is gone.</summary>
    public RequestLifetimeState Forget(ValueKey value) =>
        Outcomes.ContainsKey(value) || Branches.ContainsKey(value)
            ? new(false, Origins, Requests, Outcomes.Remove(value), Branches.Remove(value))
            : this;

    public RequestFacts FactsOf(ValueKey request) =>
        Requests.TryGetValue(request, out var facts) ? facts : RequestFacts.Initial;

    /// <summary>The root requests a request-typed value may be.</summary>
    public ImmutableHashSet<ValueKey> ResolveRequest(ValueKey requestValue) =>
        Origins.TryGetValue(requestValue, out var roots) ? roots : ValueKeySets.Of(requestValue);

    /// <summary>The requests a followed value belongs to.</summary>
    public ImmutableHashSet<ValueKey> OriginsOf(ValueKey value) =>
        Origins.TryGetValue(value, out var roots) ? roots : NoRequests;

    public RequestLifetimeState WithOrigins(ValueKey value, ImmutableHashSet<ValueKey> roots) =>
        With(origins: roots.IsEmpty ? Origins.Remove(value) : Origins.SetItem(value, roots));

    public RequestLifetimeState WithFacts(ValueKey request, RequestFacts facts) =>
        With(requests: facts.IsInitial ? Requests.Remove(request) : Requests.SetItem(request, facts));

    public RequestLifetimeState WithOutcome(ValueKey value, HandOffOutcome? outcome) =>
        With(outcomes: outcome is null ? Outcomes.Remove(value) : Outcomes.SetItem(value, outcome));

    private RequestLifetimeState With(
        ImmutableDictionary<ValueKey, ImmutableHashSet<ValueKey>>? origins = null,
        ImmutableDictionary<ValueKey, RequestFacts>? requests = null,
        ImmutableDictionary<ValueKey, HandOffOutcome>? outcomes = null) =>
        new(false, origins ?? Origins, requests ?? Requests, outcomes ?? Outcomes, Branches);

    public static RequestLifetimeState Join(RequestLifetimeState left, RequestLifetimeState right)
    {
        if (left.IsUnreached)
        {
            return right;
        }

        if (right.IsUnreached || ReferenceEquals(left, right))
        {
            return left;
        }

        var origins = left.Origins;
        foreach (var pair in right.Origins)
        {
            origins = origins.TryGetValue(pair.Key, out var mine)
                ? (mine.SetEquals(pair.Value) ? origins : origins.SetItem(pair.Key, mine.Union(pair.Value)))
                : origins.SetItem(pair.Key, pair.Value);
        }

        var requests = left.Requests;
        foreach (var pair in right.Requests)
        {
            var joined = RequestFacts.Join(left.FactsOf(pair.Key), pair.Value);
            requests = joined.IsInitial ? requests.Remove(pair.Key) : requests.SetItem(pair.Key, joined);
        }

        foreach (var pair in left.Requests)
        {
            if (!right.Requests.ContainsKey(pair.Key))
            {
                var joined = RequestFacts.Join(pair.Value, RequestFacts.Initial);
                requests = joined.IsInitial ? requests.Remove(pair.Key) : requests.SetItem(pair.Key, joined);
            }
        }

        var outcomes = left.Outcomes;
        foreach (var pair in left.Outcomes)
        {
            if (!right.Outcomes.TryGetValue(pair.Key, out var theirs) || !theirs.SameAs(pair.Value))
            {
                outcomes = outcomes.Remove(pair.Key);
            }
        }

        var branches = ImmutableDictionary<ValueKey, BranchCorrelation>.Empty;
        foreach (var pair in left.Branches)
        {
            if (!right.Branches.TryGetValue(pair.Key, out var theirs))
            {
                continue;
            }

            if (pair.Value.Truth is bool mine && theirs.Truth is bool other && mine != other)
            {
                // The two outcomes of one test meet: remember each side's facts.
                branches = branches.Add(pair.Key, BranchCorrelation.Correlation(
                    mine ? left.Requests : right.Requests, mine ? right.Requests : left.Requests, requests));
            }
            else if (pair.Value.SameAs(theirs) && (pair.Value.Truth is not null || FactsEqual(left.Requests, right.Requests)))
            {
                branches = branches.Add(pair.Key, pair.Value);
            }
        }

        return new RequestLifetimeState(false, origins, requests, outcomes, branches);
    }

    public static bool AreEqual(RequestLifetimeState left, RequestLifetimeState right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.IsUnreached != right.IsUnreached || left.Origins.Count != right.Origins.Count ||
            left.Outcomes.Count != right.Outcomes.Count || left.Branches.Count != right.Branches.Count ||
            !FactsEqual(left.Requests, right.Requests))
        {
            return false;
        }

        foreach (var pair in left.Branches)
        {
            if (!right.Branches.TryGetValue(pair.Key, out var theirs) || !theirs.SameAs(pair.Value))
            {
                return false;
            }
        }

        foreach (var pair in left.Origins)
        {
            if (!right.Origins.TryGetValue(pair.Key, out var theirs) || !theirs.SetEquals(pair.Value))
            {
                return false;
            }
        }

        foreach (var pair in left.Outcomes)
        {
            if (!right.Outcomes.TryGetValue(pair.Key, out var theirs) || !theirs.SameAs(pair.Value))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool FactsEqual(
        IReadOnlyDictionary<ValueKey, RequestFacts> left, IReadOnlyDictionary<ValueKey, RequestFacts> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var pair in left)
        {
            if (!right.TryGetValue(pair.Key, out var theirs) || !theirs.SameAs(pair.Value))
            {
                return false;
            }
        }

        return true;
    }
}
