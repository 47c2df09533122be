using System.Collections.Immutable;
using DriverBuffers.Analyzers.Analyses.ExecutionLevel;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Irql;

/// <summary>
/// DRV037: paged pool allocated or touched, or <c>PAGED_CODE()</c> reached, where the IRQL may be above APC_LEVEL:
/// in a completion routine, a timer or DPC callback, under a spin lock, and in the helpers they call (at most
/// <c>driverbuffers.helper_depth</c> deep). Reported once, at the call the user wrote, naming the callback and where it
/// was registered (or the spin lock and where it was acquired). An allocation's finding carries the paged constant's
/// location and its nonpaged replacement for the fix.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PagedPoolAtDispatchAnalyzer : DriverApiAnalyzer
{
    /// <summary>The property of an allocation's finding: the nonpaged constant that replaces the paged one (additional location 0).</summary>
    public const string ReplacementProperty = "Replacement";

    public PagedPoolAtDispatchAnalyzer()
        : base(Descriptors.PagedPoolAtDispatch)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var analysis = ExecutionLevelAnalysis.For(session);
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method)
            {
                return;
            }

            var cancellationToken = block.CancellationToken;
            foreach (var body in BodyRunner.Bodies(block.OperationBlocks))
            {
                var root = MayBeCallback(method, api) ? analysis.Callbacks.RootOf(method, cancellationToken) : null;
                if (root is null && !analysis.MayRaiseOrRegister(body.Syntax, cancellationToken))
                {
                    session.Telemetry.BodyScreenedOut();
                    continue;
                }

                Analyze(block, session, analysis, method, body, root);
            }
        });
    }

    /// <summary>A body the screen let through (a method of its own, so that a screened-out body allocates no closure).</summary>
    private static void Analyze(
        OperationBlockAnalysisContext block, AnalysisSession session, ExecutionLevelAnalysis analysis, IMethodSymbol method, IOperation body, DispatchContext? root)
    {
        var cancellationToken = block.CancellationToken;
        var options = AnalysisSession.Options(block.Options, body.Syntax.SyntaxTree);
        var visiting = ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default, method.OriginalDefinition);
        BodyRunner.TryRunWithinBudget(session.Telemetry, options.WorkBudget, () =>
        {
            var sites = DispatchCode.Find(
                body, root, analysis,
                helper => analysis.SummaryOf(helper, null, options.HelperDepth, visiting, options.WorkBudget, cancellationToken),
                helper => analysis.LockSummaryOf(helper, options.HelperDepth, visiting, options.WorkBudget, cancellationToken),
                cancellationToken);
            foreach (var (site, where) in sites)
            {
                block.ReportDiagnostic(Create(site, where));
            }
        });
    }

    /// <summary>
    /// Every callback a registering DDI takes has a parameter of an API type (<c>WDFTIMER</c>, <c>WDFDPC</c>,
    /// <c>WDFREQUEST</c>, <c>IRP</c>): a method without one is no callback root, and costs no index look-up.
    /// </summary>
    private static bool MayBeCallback(IMethodSymbol method, DriverApi api)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type.ContainingAssembly, api.Wdf.ContainingAssembly))
            {
                return true;
            }
        }

        return false;
    }

    private static Diagnostic Create(PageableSite site, DispatchContext where)
    {
        var advice = site.Kind switch
        {
            PageableKind.PagedAllocation => "allocate nonpaged pool (" +
                PagedPool.NonPagedReplacement(site.PagedConstant!.Field.Name) + ")",
            PageableKind.PagedTouch => "keep this memory in nonpaged pool (POOL_FLAG_NON_PAGED), or touch it at PASSIVE_LEVEL (a work item)",
            PageableKind.PagedCode => "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)",
            _ => "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL",
        };

        if (site.PagedConstant is { } constant && PagedPool.NonPagedReplacement(constant.Field.Name) is { } replacement)
        {
            return Diagnostic.Create(
                Descriptors.PagedPoolAtDispatch,
                site.Call.Syntax.GetLocation(),
                new[] { constant.Syntax.GetLocation() },
                ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, replacement),
                site.What, where.Description, advice);
        }

        return Diagnostic.Create(Descriptors.PagedPoolAtDispatch, site.Call.Syntax.GetLocation(), site.What, where.Description, advice);
    }
}
