using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// A helper's request facts at its returns, split by what it returns, for the two tests a caller makes of a returned
/// value: <c>NT_SUCCESS</c> of a status (or a <c>bool</c>'s truth), and a status being <c>STATUS_PENDING</c>. Each side
/// joins the facts of the returns where the test holds, or does not; a return whose value is not known counts on both.
/// The WDK cancel sample's <c>CsampPollDevice</c> completes its IRP and returns <c>STATUS_SUCCESS</c>, or returns
/// <c>STATUS_PENDING</c> without completing it: its caller, which polls again only while it is pending, then knows
/// the IRP is live on that path.
/// </summary>
internal sealed class ReturnedSides
{
    private readonly RequestOwnershipDomain _domain;
    private readonly ImmutableDictionary<TrackedLocation, RequestEffect> _effects;
    private readonly bool _returnsStatus;
    private readonly bool _followed;
    private Side _success;
    private Side _pending;
    private bool _unknown;

    public ReturnedSides(RequestOwnershipDomain domain, IMethodSymbol method, ImmutableDictionary<TrackedLocation, RequestEffect> effects)
    {
        _domain = domain;
        _effects = effects;
        _returnsStatus = SymbolEqualityComparer.Default.Equals(method.ReturnType, domain.Context.Api.NtStatus);
        _followed = !effects.IsEmpty && (_returnsStatus || method.ReturnType.SpecialType == SpecialType.System_Boolean);
    }

    /// <summary>One return: the state after its value <paramref name="returned"/> was evaluated.</summary>
    public void Add(RequestState state, IOperation returned, bool throughFinally)
    {
        if (!_followed || state.IsUnreached)
        {
            return;
        }

        if (throughFinally)
        {
            // The finally's effects come after the state here: the sides are not known.
            _unknown = true;
            return;
        }

        _success.Add(_domain.ReturnedOutcome(state, returned, pending: false));
        if (_returnsStatus)
        {
            _pending.Add(_domain.ReturnedOutcome(state, returned, pending: true));
        }
    }

    /// <summary>The effects where <c>NT_SUCCESS</c> of the returned status (or the returned <c>bool</c>) holds, and where not.</summary>
    public ConditionalEffects? Success() => _unknown ? null : _success.Split(_effects);

    /// <summary>The effects where the returned status is <c>STATUS_PENDING</c>, and where not.</summary>
    public ConditionalEffects? Pending() => _unknown ? null : _pending.Split(_effects);

    private struct Side
    {
        private FactMap<RequestFacts>? _whenTrue;
        private FactMap<RequestFacts>? _whenFalse;

        public void Add((FactMap<RequestFacts>? WhenTrue, FactMap<RequestFacts>? WhenFalse) outcome)
        {
            _whenTrue = RequestState.JoinSide(_whenTrue, outcome.WhenTrue);
            _whenFalse = RequestState.JoinSide(_whenFalse, outcome.WhenFalse);
        }

        /// <summary>Null unless both outcomes are returned somewhere and some effect differs between them.</summary>
        public ConditionalEffects? Split(ImmutableDictionary<TrackedLocation, RequestEffect> effects) =>
            _whenTrue is { } whenTrue && _whenFalse is { } whenFalse ? RequestSummaries.Split(effects, whenTrue, whenFalse) : null;
    }
}
