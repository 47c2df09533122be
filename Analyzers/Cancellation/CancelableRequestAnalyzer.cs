using System;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Cancellation;

/// <summary>
/// DRV005, an observer of the shared request analysis (<see cref="RequestOwnership"/>): a request completed while it may
/// still be marked cancelable, or although its <c>WdfRequestUnmarkCancelable</c> may have returned <c>STATUS_CANCELLED</c>
/// and its cancel routine completes it; and a cancel routine that returns without completing its request (or handing it
/// on: kept, or its sent request canceled so that request's completion routine completes it).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CancelableRequestAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property: <see cref="StillMarked"/> or <see cref="MayBeCancelled"/> (a cancel routine's finding has none).</summary>
    public const string KindProperty = "Kind";

    /// <summary>The completion of a request that may still be marked cancelable.</summary>
    public const string StillMarked = "StillMarked";

    /// <summary>The completion of a request whose unmark may have returned STATUS_CANCELLED.</summary>
    public const string MayBeCancelled = "MayBeCancelled";

    /// <summary>Diagnostic property: the completed request as written at the completion.</summary>
    public const string RequestProperty = "Request";

    /// <summary>Diagnostic property (<see cref="MayBeCancelled"/>): the local that holds the unmark's status, if any.</summary>
    public const string StatusProperty = "Status";

    private const DdiRole Interesting = DdiRole.MarksCancelable | DdiRole.UnmarksCancelable;

    /// <summary>The pre-filter: the body names a DDI that marks or unmarks a request cancelable.</summary>
    private static readonly NameScreen Screen = new(name => (DdiNames.RolesOfName(name) & Interesting) != 0);

    public CancelableRequestAnalyzer()
        : base(Descriptors.CancelableRequestMisuse)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (api.WdfRequest is null || AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var ownership = RequestOwnership.For(session);
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, ownership));
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, RequestOwnership ownership)
    {
        if (context.OwningSymbol is not IMethodSymbol owner)
        {
            return;
        }

        var requests = ownership.Context;
        foreach (var body in BodyRunner.Bodies(context.OperationBlocks))
        {
            var isCancelRoutine = HasCancelRoutineShape(owner, requests) && requests.CancelRoutines.IsCancelRoutine(owner, context.CancellationToken);
            var wanted = isCancelRoutine || Screen.Passes(body.Syntax, requests.Session.Telemetry, context.CancellationToken);
            if (ownership.Analyze(context, body, owner, wanted) is not { } result)
            {
                continue;
            }

            foreach (var function in result.Functions)
            {
                if (function.Solved is not { } solved)
                {
                    continue;
                }

                var reporter = new CancelReporter(function.Domain, function.Graph.OriginalOperation, context.ReportDiagnostic, context.CancellationToken);
                function.Events.ReplayInto(reporter);

                var routine = function.Lambda is { } lambda
                    ? IsMarkedWith(lambda, requests) ? function.Symbol : null
                    : ReferenceEquals(function.Symbol, owner) && isCancelRoutine ? owner : null;
                if (routine is not null && !reporter.CancelsSentRequest && !DefersThroughAFlag(routine, requests, context.CancellationToken))
                {
                    var request = TrackedLocation.ForSymbol(routine.Parameters[0]);
                    var exit = solved.StateAtExit;
                    if (!exit.IsUnreached && exit.FactsOf(request).Ownership != OwnershipState.Released)
                    {
                        var name = routine.MethodKind == MethodKind.AnonymousFunction ? "this cancel routine" : $"Cancel routine '{routine.Name}'";
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.CancelableRequestMisuse,
                            RoutineLocation(routine, function.Lambda?.Syntax),
                            $"{name} returns without completing its request '{routine.Parameters[0].Name}' on some path"));
                    }
                }
            }
        }
    }

    /// <summary>
    /// A cancel routine that completes its request only under a test of a flag member it also sets (its half of a flag
    /// protocol, <see cref="CancelFlagProtocol"/>): where it does not complete, the flag said the other side completes.
    /// </summary>
    private static bool DefersThroughAFlag(IMethodSymbol routine, RequestAnalysisContext requests, System.Threading.CancellationToken cancellationToken) =>
        routine.MethodKind == MethodKind.Ordinary &&
        CancelFlagProtocol.FlagsOfRoutine(routine, requests.Session, cancellationToken) is { Count: > 0 };

    /// <summary><c>EVT_WDF_REQUEST_CANCEL</c>: <c>void (WDFREQUEST Request)</c>.</summary>
    private static bool HasCancelRoutineShape(IMethodSymbol method, RequestAnalysisContext requests) =>
        method.ReturnsVoid && method.Parameters.Length == 1 && requests.IsRequestType(method.Parameters[0].Type);

    /// <summary>A lambda passed as the cancel routine of <c>WdfRequestMarkCancelable(Ex)</c>.</summary>
    private static bool IsMarkedWith(IFlowAnonymousFunctionOperation lambda, RequestAnalysisContext requests)
    {
        IOperation? current = lambda.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IInvocationOperation mark } &&
               requests.Catalog.Has(mark.TargetMethod, DdiRole.MarksCancelable) &&
               HasCancelRoutineShape(lambda.Symbol, requests);
    }

    private static Location RoutineLocation(IMethodSymbol routine, SyntaxNode? declaration)
    {
        if (declaration is LambdaExpressionSyntax lambda)
        {
            return Location.Create(lambda.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End));
        }

        return routine.Locations.Length > 0 ? routine.Locations[0] : Location.None;
    }
}
