using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Irql;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Allocation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Irql;

/// <summary>
/// DRV037: an allocation of paged pool where the IRQL may be above APC_LEVEL allocates nonpaged pool instead:
/// <c>POOL_FLAG_PAGED</c> becomes <c>POOL_FLAG_NON_PAGED</c>, <c>PagedPool</c> <c>NonPagedPoolNx</c>,
/// <c>PagedPoolCacheAligned</c> <c>NonPagedPoolNxCacheAligned</c> (the constant the finding's additional location
/// names; a qualifier such as <c>Wdm.</c> and the trivia are kept). Not offered for touches of paged pool or
/// <c>PAGED_CODE()</c> (the fix there is a design choice: a work item, or nonpaged memory where it was allocated).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PagedPoolAtDispatchCodeFix)), Shared]
public sealed class PagedPoolAtDispatchCodeFix : AllocationCodeFixProvider
{
    public const string Key = RuleIdentifiers.PagedPoolAtDispatch;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.PagedPoolAtDispatch);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(PagedPoolAtDispatchAnalyzer.ReplacementProperty, out var replacement) &&
                diagnostic.AdditionalLocations.Count > 0)
            {
                Offer(context, diagnostic, "Allocate nonpaged pool (" + replacement + ")", Key);
            }
        }

        return Task.CompletedTask;
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(PagedPoolAtDispatchAnalyzer.ReplacementProperty, out var replacement) || replacement is null ||
                diagnostic.AdditionalLocations.FirstOrDefault() is not { } constantLocation ||
                fix.Root.FindNode(constantLocation.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax constant)
            {
                continue;
            }

            fix.Editor.ReplaceNode(constant, DeprecatedPoolAllocationCodeFix.Rename(constant, replacement));
        }
    }
}
