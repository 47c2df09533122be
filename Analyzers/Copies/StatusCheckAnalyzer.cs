using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Analyses.Sizes;
using DriverBuffers.Analyzers.Analyses.Statuses;
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
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var analysis = SizeAndStatusAnalysis.For(session);
        NamedOperations.RegisterInvocations(
            context, session, name => (DdiNames.RolesOfName(name) & DdiRole.CopiesMemoryObject) != 0,
            (invocation, report) => ReportDropped(invocation, report, analysis.Ddis));
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol owner)
            {
                return;
            }

            foreach (var body in BodyRunner.Bodies(block.OperationBlocks))
            {
                if (analysis.Analyze(block, body, owner) is { } result)
                {
                    foreach (var function in result.Functions)
                    {
                        Report(block, function);
                    }
                }
            }
        });
    }

    private static void ReportDropped(IInvocationOperation invocation, Action<Diagnostic> report, SizeDdis ddis)
    {
        if (!ddis.IsCheckedCopy(invocation.TargetMethod))
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
            report(Diagnostic.Create(
                Descriptors.CopyStatusIgnored,
                invocation.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, Dropped),
                invocation.TargetMethod.Name,
                "dropped"));
        }
    }

    private static void Report(OperationBlockAnalysisContext context, SizeFunctionResult function)
    {
        if (function.StatusEvents is not { } events)
        {
            return;
        }

        var untested = new Dictionary<Location, (StatusCall Call, string Reason)>();
        var firstUse = new Dictionary<Location, (StatusCall Call, IOperation Use)>();
        foreach (var e in events)
        {
            if (e.Kind == StatusEventKind.Overwritten)
            {
                var line = SourceLines.LineOf(e.Operation.Syntax.GetLocation()).ToString(CultureInfo.InvariantCulture);
                foreach (var call in e.Calls)
                {
                    Record(untested, call, "stored in '" + SizeLocations.Display(e.Location) + "' and overwritten at line " + line + " before it is tested");
                }

                continue;
            }

            foreach (var call in e.Calls)
            {
                if (!firstUse.TryGetValue(call.Location, out var known) ||
                    e.Operation.Syntax.SpanStart < known.Use.Syntax.SpanStart)
                {
                    firstUse[call.Location] = (call, e.Operation);
                }
            }
        }

        if (function.StatusAtExit is { } exit)
        {
            foreach (var call in StatusDomain.UntestedCalls(exit))
            {
                Record(untested, call, "stored in '" + (call.Status is { } status ? SizeLocations.Display(status) : "") + "' and never tested");
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
