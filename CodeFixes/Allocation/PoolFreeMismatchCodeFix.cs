using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// DRV034 (wrong tag): frees with the allocation's tag, written as the allocation wrote it. Offered when every
/// allocation that reaches the free used that one tag. A double free has no mechanical fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PoolFreeMismatchCodeFix)), Shared]
public sealed class PoolFreeMismatchCodeFix : AllocationCodeFixProvider
{
    public const string Key = RuleIdentifiers.PoolFreeMismatch;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.PoolFreeMismatch);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(PoolFreeMismatchAnalyzer.FixableTagProperty))
            {
                Offer(context, diagnostic, "Free with the allocation's tag", Key);
            }
        }

        return Task.CompletedTask;
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(PoolFreeMismatchAnalyzer.FixableTagProperty) ||
                diagnostic.AdditionalLocations.Count == 0 ||
                fix.Invocation(diagnostic.Location) is not { } free ||
                fix.Invocation(diagnostic.AdditionalLocations[0]) is not { } allocation ||
                PoolCalls.Argument(free, 1)?.Syntax is not ArgumentSyntax freeTag ||
                PoolCalls.Argument(allocation, PoolCalls.TagOrdinal(fix.Catalog, allocation.TargetMethod))?.Syntax is not ArgumentSyntax allocationTag)
            {
                continue;
            }

            fix.Editor.ReplaceNode(freeTag.Expression, allocationTag.Expression.WithTriviaFrom(freeTag.Expression));
        }
    }
}
