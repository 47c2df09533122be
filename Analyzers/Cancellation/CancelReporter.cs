using System;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Cancellation;

/// <summary>
/// Turns the completions the request analysis replays into DRV005 where the completed request may still be marked
/// cancelable, or its unmark may have returned <c>STATUS_CANCELLED</c> and its cancel routine completes it (the routine
/// the request was marked with in this function; else, for a request kept in a member, the routines of the marks whose
/// request is stored there; otherwise unknown, and silent). Notes whether the function cancels a sent request.
/// </summary>
internal sealed class CancelReporter : RequestObserver
{
    private readonly RequestOwnershipDomain _domain;
    private readonly IOperation _function;
    private readonly Action<Diagnostic> _report;
    private readonly CancellationToken _cancellationToken;

    public CancelReporter(RequestOwnershipDomain domain, IOperation function, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        _domain = domain;
        _function = function;
        _report = report;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The function calls <c>WdfRequestCancelSentRequest</c>: that request's completion routine completes the original.</summary>
    public bool CancelsSentRequest { get; private set; }

    public override void OnInvocation(IInvocationOperation invocation, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, RequestState state)
    {
        if (_domain.Context.Catalog.Has(invocation.TargetMethod, DdiRole.CancelsSentRequest))
        {
            CancelsSentRequest = true;
        }
    }

    public override void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
        if (call is not IInvocationOperation completion || !_domain.Context.Catalog.Has(completion.TargetMethod, DdiRole.CompletesRequest))
        {
            return;
        }

        var requestText = RoutineRegistration.Text(DdiArguments.Request(completion));
        foreach (var request in requests)
        {
            if (state.CancelOf(request) is not { } facts)
            {
                continue;
            }

            if (facts.Marked is { } mark)
            {
                Report(completion, mark, StillMarked(requestText),
                    $"'{requestText}' is completed by {completedBy} while it may still be marked cancelable ({mark.TargetMethod.Name} at line {Line(mark)})");
                return;
            }

            if (facts.Unmark is { } unmark && CancelRoutineMayComplete(request, facts, completion))
            {
                Report(completion, unmark, MayBeCancelled(requestText, StatusLocal(unmark)),
                    $"'{requestText}' is completed by {completedBy} although WdfRequestUnmarkCancelable at line {Line(unmark)} may have returned STATUS_CANCELLED, when its cancel routine completes it");
                return;
            }
        }
    }

    /// <summary>
    /// True when the cancel routine the request was marked with may complete it where <paramref name="completion"/> does: it
    /// completes it on some path, and the two do not agree through a flag (<see cref="CancelFlagProtocol"/>).
    /// </summary>
    private bool CancelRoutineMayComplete(TrackedLocation request, CancelFacts facts, IInvocationOperation completion)
    {
        if (facts.LastMark is { Arguments.Length: 2 } mark)
        {
            return DdiArguments.RoutineMethod(mark.Arguments[1].Value) is not { } routine || MayComplete(routine, completion);
        }

        if (!request.IsMember || request.Symbol is not { } member)
        {
            return false;
        }

        var index = _domain.Context.CancelRoutines;
        foreach (var id in index.RoutinesOfRequestsStoredIn(member, _cancellationToken))
        {
            if (index.Method(id) is not { } routine || MayComplete(routine, completion))
            {
                return true;
            }
        }

        return false;
    }

    private bool MayComplete(IMethodSymbol routine, IInvocationOperation completion) =>
        _domain.CancelRoutineMayComplete(routine) &&
        !CancelFlagProtocol.Agree(completion, _function, routine, _domain.Context.Session, _cancellationToken);

    /// <summary>The local the unmark's status is stored in (<c>status = WdfRequestUnmarkCancelable(request)</c>), if any.</summary>
    private static string? StatusLocal(IInvocationOperation unmark) =>
        unmark.Parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } ? local.Local.Name : null;

    private static ImmutableDictionary<string, string?> StillMarked(string request) =>
        ImmutableDictionary<string, string?>.Empty
            .Add(CancelableRequestAnalyzer.KindProperty, CancelableRequestAnalyzer.StillMarked)
            .Add(CancelableRequestAnalyzer.RequestProperty, request);

    private static ImmutableDictionary<string, string?> MayBeCancelled(string request, string? status)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(CancelableRequestAnalyzer.KindProperty, CancelableRequestAnalyzer.MayBeCancelled)
            .Add(CancelableRequestAnalyzer.RequestProperty, request);
        return status is null ? properties : properties.Add(CancelableRequestAnalyzer.StatusProperty, status);
    }

    private void Report(IInvocationOperation at, IOperation related, ImmutableDictionary<string, string?> properties, string what)
    {
        var additional = related.Syntax.SyntaxTree == at.Syntax.SyntaxTree ? new[] { related.Syntax.GetLocation() } : Array.Empty<Location>();
        _report(Diagnostic.Create(Descriptors.CancelableRequestMisuse, at.Syntax.GetLocation(), additional, properties, what));
    }

    private static int Line(IOperation operation) => SourceLines.LineOf(operation.Syntax);
}
