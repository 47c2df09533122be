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

namespace DriverBuffers.Analyzers.Lifetime;

/// <summary>
/// The four lifetime rules, observers of the shared request analysis (<see cref="RequestOwnership"/>): DRV001 (memory,
/// buffer or MDL used after its request was completed), DRV002 (request completed twice), DRV003 (request DDI after
/// completion) and DRV004 (queue callback path that neither completes, forwards, sends nor keeps its request).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RequestLifetimeAnalyzer : DriverApiAnalyzer
{
    public RequestLifetimeAnalyzer()
        : base(
            Descriptors.UseAfterRequestCompleted,
            Descriptors.RequestCompletedTwice,
            Descriptors.RequestDdiAfterCompletion,
            Descriptors.RequestNotCompleted)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (api.WdfRequest is null || AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var ownership = RequestOwnership.For(session);
        var callbacks = new QueueCallbacks(ownership.Context);
        var screen = new NameScreen(ownership.Context.Catalog.MayTouchRequests);
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, ownership, callbacks, screen));
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, RequestOwnership ownership, QueueCallbacks callbacks, NameScreen screen)
    {
        if (context.OwningSymbol is not IMethodSymbol method)
        {
            return;
        }

        foreach (var body in BodyRunner.Bodies(context.OperationBlocks))
        {
            var wanted = MayTouchRequests(method, body, ownership.Context, screen, context.CancellationToken);
            if (ownership.Analyze(context, body, method, wanted) is not { } result)
            {
                continue;
            }

            foreach (var function in result.Functions)
            {
                Report(function, method, callbacks, ownership.Context, context.ReportDiagnostic);
            }
        }
    }

    /// <summary>
    /// The cheap pre-filter: only methods that take a request, or whose body calls a DDI that takes or gives one, or has
    /// a lambda that takes one (a queue callback whose request parameter's type is not written out), get a control flow
    /// graph. Names first (the tree's name index), then symbols: the calls of a body that names a request DDI, the
    /// lambdas of one that has lambdas; nothing else is bound.
    /// </summary>
    private static bool MayTouchRequests(
        IMethodSymbol method, IOperation body, RequestAnalysisContext requests, NameScreen screen, System.Threading.CancellationToken cancellationToken)
    {
        if (TakesRequest(method, requests))
        {
            return true;
        }

        var telemetry = requests.Session.Telemetry;
        foreach (var lambda in BodyLambdas.SymbolsOf(body, telemetry, cancellationToken))
        {
            if (TakesRequest(lambda, requests))
            {
                return true;
            }
        }

        if (!screen.Passes(body.Syntax, telemetry, cancellationToken))
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation invocation && requests.Catalog.TouchesRequests(invocation.TargetMethod))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TakesRequest(IMethodSymbol function, RequestAnalysisContext requests)
    {
        foreach (var parameter in function.Parameters)
        {
            if (requests.IsFollowedRequestType(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reports the findings of one function: DRV001–DRV003 from its replay, DRV004 from its exit state.</summary>
    private static void Report(
        FunctionResult function, IMethodSymbol owner, QueueCallbacks callbacks, RequestAnalysisContext requests, Action<Diagnostic> report)
    {
        if (function.Solved is not { } solved)
        {
            return;
        }

        function.Events.ReplayInto(new LifetimeReporter(report, requests));

        var callbackRequest = function.Lambda is { } lambda
            ? lambda.Parent is IDelegateCreationOperation creation && callbacks.IsCallbackDelegate(creation.Type) ? callbacks.RequestParameter(lambda.Symbol) : null
            : ReferenceEquals(function.Symbol, owner) ? callbacks.RequestParameter(owner) : null;
        if (callbackRequest is null)
        {
            return;
        }

        var exit = solved.StateAtExit;
        var request = TrackedLocation.ForSymbol(callbackRequest);
        if (!exit.IsUnreached && exit.FactsOf(request).Ownership != OwnershipState.Released)
        {
            var leaving = LeavingPoint(solved, function.Domain, request);
            report(Diagnostic.Create(
                Descriptors.RequestNotCompleted,
                CallbackLocation(function.Symbol, function.Lambda?.Syntax),
                leaving is null ? null : new[] { leaving.GetLocation() },
                callbackRequest.Name,
                function.Symbol.MethodKind == MethodKind.AnonymousFunction ? "this callback" : function.Symbol.Name));
        }
    }

    /// <summary>
    /// The last code run on a path that leaves the callback still owning <paramref name="request"/> (the first such
    /// path in the method), for the additional location of DRV004; null when no single point can be named.
    /// </summary>
    private static SyntaxNode? LeavingPoint(DataflowResult<RequestState> result, RequestOwnershipDomain domain, TrackedLocation request)
    {
        var exitBlock = result.Graph.Blocks[result.Graph.Blocks.Length - 1];
        SyntaxNode? best = null;
        foreach (var branch in exitBlock.Predecessors)
        {
            var source = branch.Source;
            if (!branch.FinallyRegions.IsEmpty || !result.IsReached(source))
            {
                continue;
            }

            var state = result.StateOnExit(source);
            if (source.BranchValue is { } condition && source.ConditionalSuccessor is not null)
            {
                var jumpsWhenTrue = source.ConditionKind == ControlFlowConditionKind.WhenTrue;
                state = domain.AssumeCondition(state, condition, branch.IsConditionalSuccessor ? jumpsWhenTrue : !jumpsWhenTrue);
            }

            if (state.IsUnreached || state.FactsOf(request).Ownership == OwnershipState.Released)
            {
                continue;
            }

            var last = source.BranchValue?.Syntax ?? (source.Operations.IsEmpty ? null : source.Operations[source.Operations.Length - 1].Syntax);
            if (last is not null && (best is null || last.SpanStart < best.SpanStart))
            {
                best = last;
            }
        }

        return best;
    }

    private static Location CallbackLocation(IMethodSymbol function, SyntaxNode? declaration)
    {
        if (declaration is LambdaExpressionSyntax lambda)
        {
            return Location.Create(lambda.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End));
        }

        if (declaration is not null)
        {
            return declaration.GetLocation();
        }

        return function.Locations.Length > 0 ? function.Locations[0] : Location.None;
    }
}
