using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// The events of one replay, recorded once so that every rule (and every analyzer class) that asks for the analysis
/// of a body reads the same replay instead of running its own: <see cref="ReplayInto"/> hands them to a rule's observer
/// in order.
/// </summary>
internal sealed class RequestEvents : RequestObserver
{
    private readonly List<Action<RequestObserver>> _events = new();

    public int Count => _events.Count;

    public void ReplayInto(RequestObserver observer)
    {
        foreach (var replay in _events)
        {
            replay(observer);
        }
    }

    public override void OnUse(IOperation site, TrackedLocation value, ImmutableHashSet<TrackedLocation> owners, RequestState state) =>
        _events.Add(o => o.OnUse(site, value, owners, state));

    public override void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<TrackedLocation> requests, RequestState state) =>
        _events.Add(o => o.OnCompletion(call, completedBy, requests, state));

    public override void OnRequestCall(IOperation call, string callee, ImmutableHashSet<TrackedLocation> requests, RequestState state) =>
        _events.Add(o => o.OnRequestCall(call, callee, requests, state));

    public override void OnInvocation(IInvocationOperation invocation, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, RequestState state) =>
        _events.Add(o => o.OnInvocation(invocation, arguments, state));

    public override void OnLambda(IFlowAnonymousFunctionOperation lambda, RequestState state) =>
        _events.Add(o => o.OnLambda(lambda, state));

    public override void OnCreatedRequestEffect(IInvocationOperation call, TrackedLocation written, HelperEffect effect) =>
        _events.Add(o => o.OnCreatedRequestEffect(call, written, effect));
}
