using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// DRV010–DRV013, the rules of driver-created requests (<c>WdfRequestCreate</c>), observers of the shared request
/// analysis (<see cref="RequestOwnership"/>): a request completed while a driver-created request still references its
/// memory (DRV010); a driver-created request formatted or sent again without <c>WdfRequestReuse</c> (DRV011); a reused
/// request sent without its completion routine (DRV012); a driver-created request completed instead of deleted (DRV013).
/// Completion routines (a method group, lambda or local function registered with <c>WdfRequestSetCompletionRoutine</c> on
/// a driver-created request) start with their request formatted and sent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DriverCreatedRequestAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property: the driver-created request as it can be written where the finding is.</summary>
    public const string RequestProperty = "Request";

    /// <summary>DRV012 property: the completion routine to set again.</summary>
    public const string RoutineProperty = "Routine";

    /// <summary>DRV012 property: the completion context to set again.</summary>
    public const string ContextProperty = "Context";

    /// <summary>How deep lambdas and local functions nest before these rules stop following them.</summary>
    private const int MaxNestedDepth = 8;

    /// <summary>The DDIs that make a body worth analysing for these rules (a name pre-filter, <see cref="Screen"/>; confirmed by symbol).</summary>
    private const DdiRole Interesting =
        DdiRole.CreatesRequest | DdiRole.ReusesRequest | DdiRole.SendsRequest | DdiRole.SetsCompletionRoutine |
        DdiRole.FormatsRequest | DdiRole.CompletesRequest;

    private static readonly NameScreen Screen = new(name => (DdiNames.RolesOfName(name) & Interesting) != 0);

    public DriverCreatedRequestAnalyzer()
        : base(
            Descriptors.MissingReuseBeforeCompletion,
            Descriptors.ReformatWithoutReuse,
            Descriptors.ReusedRequestWithoutCompletionRoutine,
            Descriptors.DriverCreatedRequestCompleted)
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

        foreach (var body in BodyRunner.Bodies(context.OperationBlocks))
        {
            var wanted = Screen.Passes(body.Syntax, ownership.Context.Session.Telemetry, context.CancellationToken) ||
                         IsCompletionRoutine(owner, ownership.Context, context.CancellationToken);
            if (ownership.Analyze(context, body, owner, wanted) is not { } result)
            {
                continue;
            }

            foreach (var function in result.Functions)
            {
                if (function.Solved is not null && function.Depth <= MaxNestedDepth)
                {
                    function.Events.ReplayInto(new ReuseReporter(function.Domain, context.ReportDiagnostic, context.CancellationToken));
                }
            }
        }
    }

    /// <summary>A method registered (somewhere in the compilation) as the completion routine of driver-created requests.</summary>
    private static bool IsCompletionRoutine(IMethodSymbol method, RequestAnalysisContext requests, System.Threading.CancellationToken cancellationToken) =>
        method.Parameters.Length > 0 && requests.IsRequestType(method.Parameters[0].Type) &&
        requests.Index.RoutineOf(method, cancellationToken) is not null;
}
