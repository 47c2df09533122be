using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// DRV034: <c>ExFreePoolWithTag</c> given another tag than the one the block was allocated with, and a pool
/// block freed twice on some path. A forward dataflow over the method's control flow graph tracks, for each
/// local and parameter of type <c>PVOID</c>, where it may have been allocated (and with which constant tag) and
/// where it may have been freed; assigning NULL after the free, and the NULL side of a check, clear the
/// state. Pointers are followed through plain copies (<c>q = p</c>) but not through aliases freed separately.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolFreeMismatchAnalyzer : DriverApiAnalyzer
{
    /// <summary>Property set on a tag mismatch whose every reaching allocation used one tag: the fix writes that tag.</summary>
    public const string FixableTagProperty = "FixableTag";

    public PoolFreeMismatchAnalyzer()
        : base(Descriptors.PoolFreeMismatch)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (api.Pvoid is null)
        {
            return;
        }

        var summaries = new PoolFreeSummaries(api, context.CancellationToken);
        context.RegisterOperationBlockStartAction(block =>
        {
            // Cheap pre-filter: only blocks that free pool, or call a source helper taking a PVOID, get a graph.
            var freesPool = false;
            block.RegisterOperationAction(
                c =>
                {
                    var method = ((IInvocationOperation)c.Operation).TargetMethod;
                    if (api.IsWdm(method, PoolDdis.ExFreePoolWithTag) || api.IsWdm(method, PoolDdis.ExFreePool) ||
                        summaries.IsCandidate(method))
                    {
                        freesPool = true;
                    }
                },
                OperationKind.Invocation);
            block.RegisterOperationBlockEndAction(end =>
            {
                if (freesPool)
                {
                    AnalyzeBlocks(end, api, summaries);
                }
            });
        });
    }

    private static void AnalyzeBlocks(OperationBlockAnalysisContext context, DriverApi api, PoolFreeSummaries summaries)
    {
        var graphs = new List<ControlFlowGraph>();
        var roots = new HashSet<IOperation>();
        foreach (var block in context.OperationBlocks)
        {
            // A method's body block sits under its IMethodBodyOperation; one graph per root.
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block &&
                roots.Add(root))
            {
                graphs.Add(context.GetControlFlowGraph(block));
            }
        }

        var domain = new PoolFreeDomain(api, summaries, PoolFreeSummaries.MaxDepth, PoolFreeState.Empty);
        var reported = new HashSet<IInvocationOperation>();
        foreach (var graph in graphs)
        {
            // Local functions and lambdas run at another time: each is its own graph, entered with nothing known.
            foreach (var (cfg, _) in FunctionGraphs.All(graph, null, context.CancellationToken))
            {
                Analyze(context, api, domain, cfg, reported, context.CancellationToken);
            }
        }
    }

    private static void Analyze(
        OperationBlockAnalysisContext context, DriverApi api, PoolFreeDomain domain, ControlFlowGraph cfg,
        HashSet<IInvocationOperation> reported, CancellationToken cancellationToken)
    {
        var result = ForwardDataflow.Solve(cfg, domain, cancellationToken);
        if (!result.Converged)
        {
            return;
        }

        result.Replay(
            (operation, state) => domain.Apply(state, operation, free =>
            {
                if (reported.Add(free.Free) && Check(api, free) is { } diagnostic)
                {
                    context.ReportDiagnostic(diagnostic);
                }
            }, cancellationToken),
            cancellationToken);
    }

    private static Diagnostic? Check(DriverApi api, PoolFreeEvent free)
    {
        var ddi = free.Free.TargetMethod.Name;
        var location = free.Free.Syntax.GetLocation();
        var earlierFree = free.Facts
            .Where(f => f.Kind == PoolFactKind.Freed && f.Site is not null)
            .OrderBy(f => f.Site!.Syntax.SpanStart)
            .FirstOrDefault();
        if (earlierFree is not null)
        {
            var text = ReferenceEquals(earlierFree.Site, free.Free)
                ? Format("PoolFreeMismatchLoopText", free.PointerText, ddi)
                : Format("PoolFreeMismatchTwiceText", free.PointerText, ddi, earlierFree.Site!.TargetMethod.Name, Line(earlierFree.Site!));
            return Diagnostic.Create(Descriptors.PoolFreeMismatch, location, new[] { earlierFree.Site.Syntax.GetLocation() }, text);
        }

        if (free.Tag is not { } tag)
        {
            return null;
        }

        var allocations = free.Facts
            .Where(f => f.Kind == PoolFactKind.Allocated && f.Site is not null && f.Tag is not null)
            .OrderBy(f => f.Site!.Syntax.SpanStart)
            .ToList();
        var mismatch = allocations.FirstOrDefault(f => f.Tag != tag);
        if (mismatch is null)
        {
            return null;
        }

        var allocationTag = PoolDdis.Argument(mismatch.Site!, PoolDdis.TagOrdinal(api, mismatch.Site!.TargetMethod))?.Value.Syntax;
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (!free.ByHelper && allocationTag is not null && allocations.All(f => f.Tag == mismatch.Tag))
        {
            properties = properties.Add(FixableTagProperty, "true");
        }

        var message = Format(
            "PoolFreeMismatchWrongTagText",
            free.PointerText,
            free.ByHelper ? free.TagText + " (by " + ddi + ")" : free.TagText ?? Hex(tag),
            mismatch.Site.TargetMethod.Name,
            Line(mismatch.Site),
            allocationTag?.ToString() ?? Hex(mismatch.Tag!.Value));
        return Diagnostic.Create(
            Descriptors.PoolFreeMismatch, location, new[] { mismatch.Site.Syntax.GetLocation() }, properties, message);
    }

    private static string Line(IOperation operation) => SourceLines.Text(operation.Syntax);

    private static string Hex(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>The message text, formatted in the reader's language when the diagnostic is shown.</summary>
    private static LocalizableResourceString Format(string resource, params string[] arguments) =>
        new(resource, Resources.ResourceManager, typeof(Resources), arguments);
}
