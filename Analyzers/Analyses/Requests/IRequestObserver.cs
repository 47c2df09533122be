using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What <see cref="RequestOwnershipDomain"/> tells a rule while it replays a solved function, in evaluation order, each
/// event with the state just before it. Rules decide from the state what to report; they implement only what they need
/// (the base class ignores everything).
/// </summary>
internal abstract class RequestObserver
{
    /// <summary>
    /// A memory object, buffer or MDL owned by <paramref name="owners"/> is used (dereferenced, passed to a DDI or to a
    /// method that uses it) at <paramref name="site"/>.
    /// </summary>
    public virtual void OnUse(IOperation site, TrackedLocation value, ImmutableHashSet<TrackedLocation> owners, RequestState state)
    {
    }

    /// <summary><paramref name="call"/> completes <paramref name="requests"/> (a completion DDI or a helper that completes).</summary>
    public virtual void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
    }

    /// <summary>
    /// <paramref name="call"/> calls a request DDI (or a helper that does) named <paramref name="callee"/> on
    /// <paramref name="requests"/>.
    /// </summary>
    public virtual void OnRequestCall(IOperation call, string callee, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
    }

    /// <summary>
    /// Any call, before its effect: <paramref name="arguments"/> holds, for each argument (by position), the requests it
    /// is when it is a request (empty otherwise).
    /// </summary>
    public virtual void OnInvocation(IInvocationOperation invocation, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, RequestState state)
    {
    }

    /// <summary>
    /// <paramref name="assignment"/> stores a request value that may be <paramref name="requests"/> in the field or
    /// property <paramref name="target"/> (the state is the one before the store).
    /// </summary>
    public virtual void OnStore(ISimpleAssignmentOperation assignment, TrackedLocation target, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
    }

    /// <summary>A lambda is created here (it will run later, starting from this state).</summary>
    public virtual void OnLambda(IFlowAnonymousFunctionOperation lambda, RequestState state)
    {
    }

    /// <summary>
    /// <paramref name="call"/> does <paramref name="effect"/> to the driver-created request held in
    /// <paramref name="written"/> (what the call's argument names, before aliases are resolved): what a helper's summary
    /// records.
    /// </summary>
    public virtual void OnCreatedRequestEffect(IInvocationOperation call, TrackedLocation written, HelperEffect effect)
    {
    }
}
