using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// DRV021: the NTSTATUS of <c>WdfMemoryCopyFromBuffer</c>/<c>CopyToBuffer</c> dropped, or stored and never tested
/// before it is overwritten or the method returns.
/// DRV022: a memory object, buffer or MDL used where the status of the <c>WdfRequestRetrieve*</c> call that
/// produced it may be a failure; reported once per retrieve, at the first such use.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StatusCheckAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property of DRV021: <see cref="Dropped"/> or <see cref="Untested"/>.</summary>
    public const string KindProperty = "Kind";
    public const string Dropped = "Dropped";
    public const string Untested = "Untested";

    public StatusCheckAnalyzer()
        : base(Descriptors.CopyStatusIgnored, Descriptors.RetrieveStatusNotChecked)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        context.RegisterOperationAction(operation => ReportDropped(operation, api), OperationKind.Invocation);
        context.RegisterOperationBlockAction(block => MethodGraphs.Analyze(
            block,
            method => CopyDdis.IsCheckedCopy(api, method) || CopyDdis.Retrieve(api, method, out _) != RetrieveKind.None,
            (graph, _) => AnalyzeGraph(block, api, graph)));
    }

    private static void ReportDropped(OperationAnalysisContext context, DriverApi api)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!CopyDdis.IsCheckedCopy(api, invocation.TargetMethod))
        {
            return;
        }

        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IExpressionStatementOperation ||
            parent is ISimpleAssignmentOperation { Target: IDiscardOperation })
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.CopyStatusIgnored,
                invocation.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, Dropped),
                invocation.TargetMethod.Name,
                "dropped"));
        }
    }

    private static void AnalyzeGraph(OperationBlockAnalysisContext context, DriverApi api, ControlFlowGraph graph)
    {
        var domain = new StatusDomain(api);
        var result = ForwardDataflow.Solve(graph, domain, context.CancellationToken);
        if (!result.Converged)
        {
            return;
        }

        var untested = new Dictionary<Location, (StatusCall Call, string Reason)>();
        var firstUse = new Dictionary<Location, (StatusCall Call, IOperation Use)>();
        StepwiseDataflow.ReplayOperations(result, domain, (operation, state) =>
        {
            if (operation is ISimpleAssignmentOperation assignment &&
                ValueKey.ForReference(assignment.Target) is { } target &&
                state.Untested.TryGetValue(target, out var overwritten))
            {
                var line = SourceLines.LineOf(assignment.Syntax.GetLocation()).ToString(CultureInfo.InvariantCulture);
                foreach (var call in overwritten)
                {
                    Record(untested, call, "stored in '" + target.Display + "' and overwritten at line " + line + " before it is tested");
                }
            }

            if (operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IFlowCaptureReferenceOperation &&
                ValueKey.ForReference(operation) is { } used &&
                state.Unchecked.TryGetValue(used, out var retrieves) &&
                domain.IsUse(operation))
            {
                foreach (var call in retrieves)
                {
                    if (!firstUse.TryGetValue(call.Location, out var known) ||
                        operation.Syntax.SpanStart < known.Use.Syntax.SpanStart)
                    {
                        firstUse[call.Location] = (call, operation);
                    }
                }
            }
        }, context.CancellationToken);

        if (!result.StateAtExit.IsUnreached)
        {
            foreach (var call in StatusDomain.UntestedCalls(result.StateAtExit))
            {
                Record(untested, call, "stored in '" + call.Status?.Display + "' and never tested");
            }
        }

        foreach (var (call, reason) in untested.Values.OrderBy(v => v.Call.Location.SourceSpan.Start))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.CopyStatusIgnored,
                call.Location,
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, Untested),
                call.Ddi,
                reason));
        }

        foreach (var (call, use) in firstUse.Values.OrderBy(v => v.Use.Syntax.SpanStart))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.RetrieveStatusNotChecked,
                use.Syntax.GetLocation(),
                new[] { call.Location },
                use.Syntax.ToString(),
                call.Ddi,
                SourceLines.LineOf(call.Location).ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void Record(Dictionary<Location, (StatusCall Call, string Reason)> untested, StatusCall call, string reason)
    {
        if (!untested.ContainsKey(call.Location))
        {
            untested[call.Location] = (call, reason);
        }
    }
}
