using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Lifetime;

/// <summary>
/// Turns what the request-lifetime analysis sees during replay into DRV001 (use after completion), DRV002
/// (completed twice) and DRV003 (request DDI after completion). Each finding is reported once per site, at the
/// code the user wrote, with the completing call as an additional location.
/// </summary>
internal sealed class LifetimeReporter : RequestObserver
{
    private readonly Action<Diagnostic> _report;
    private readonly RequestAnalysisContext _requests;
    private readonly HashSet<(string Id, TextSpan Span)> _reported = new();

    public LifetimeReporter(Action<Diagnostic> report, RequestAnalysisContext requests)
    {
        _report = report;
        _requests = requests;
    }

    public override void OnUse(IOperation site, TrackedLocation value, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
        if (FindCompleted(requests, state) is { } completed)
        {
            Report(Descriptors.UseAfterRequestCompleted, site.Syntax, completed.Site,
                value.Name, completed.Request.Name, Line(completed.Site), By(completed));
        }
    }

    public override void OnCompletion(IOperation call, string completedBy, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
        if (FindCompleted(requests, state) is { } completed)
        {
            Report(Descriptors.RequestCompletedTwice, call.Syntax, completed.Site,
                Noun(completed.Request), completed.Request.Name, completedBy, Line(completed.Site), By(completed));
        }
    }

    public override void OnRequestCall(IOperation call, string callee, ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
        if (FindCompleted(requests, state) is { } completed)
        {
            Report(Descriptors.RequestDdiAfterCompletion, call.Syntax, completed.Site,
                callee, completed.Request.Name, Line(completed.Site), By(completed));
        }
    }

    /// <summary>The request completed on every path if there is one, else one completed on some paths.</summary>
    private static Completed? FindCompleted(ImmutableHashSet<TrackedLocation> requests, RequestState state)
    {
        Completed? maybe = null;
        foreach (var request in requests)
        {
            var facts = state.FactsOf(request);
            if (facts.Site is null)
            {
                continue;
            }

            if (facts.Completion == CompletionState.Completed)
            {
                return new Completed(request, facts.Site, onAllPaths: true);
            }

            if (facts.Completion == CompletionState.MaybeCompleted && maybe is null)
            {
                maybe = new Completed(request, facts.Site, onAllPaths: false);
            }
        }

        return maybe;
    }

    private static string Line(CompletionSite site) => SourceLines.Text(site.Syntax);

    /// <summary>What the driver writer calls the completed object: a WDM IRP, or a framework request.</summary>
    private string Noun(TrackedLocation request) => _requests.IsIrpType(request.Type) ? "IRP" : "Request";

    private static string By(Completed completed) =>
        completed.OnAllPaths ? completed.Site.CompletedBy : completed.Site.CompletedBy + " on some paths";

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode at, CompletionSite site, params object[] arguments)
    {
        if (!_reported.Add((descriptor.Id, at.Span)))
        {
            return;
        }

        _report(Diagnostic.Create(descriptor, at.GetLocation(), new[] { site.Syntax.GetLocation() }, arguments));
    }

    private sealed class Completed
    {
        public Completed(TrackedLocation request, CompletionSite site, bool onAllPaths)
        {
            Request = request;
            Site = site;
            OnAllPaths = onAllPaths;
        }

        public TrackedLocation Request { get; }

        public CompletionSite Site { get; }

        public bool OnAllPaths { get; }
    }
}
