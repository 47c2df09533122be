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
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// DRV031: the non-executable form. <c>NonPagedPool</c>/<c>NonPagedPoolExecute</c>/<c>NonPagedPoolMustSucceed</c>
/// become <c>NonPagedPoolNx</c>, <c>NonPagedPoolCacheAligned</c> becomes <c>NonPagedPoolNxCacheAligned</c>,
/// <c>POOL_FLAG_NON_PAGED_EXECUTE</c> becomes <c>POOL_FLAG_NON_PAGED</c>, and a
/// <c>MmGetSystemAddressForMdlSafe</c> priority gets <c>| MdlMappingNoExecute</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExecutableMemoryCodeFix)), Shared]
public sealed class ExecutableMemoryCodeFix : AllocationCodeFixProvider
{
    public const string Key = RuleIdentifiers.ExecutableMemory;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.ExecutableMemory);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(ExecutableMemoryAnalyzer.ReplacementProperty, out var replacement))
            {
                Offer(context, diagnostic, "Use " + replacement, Key);
            }
            else if (diagnostic.Properties.ContainsKey(ExecutableMemoryAnalyzer.AddNoExecuteProperty))
            {
                Offer(context, diagnostic, "Map with MdlMappingNoExecute", Key);
            }
        }

        return Task.CompletedTask;
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        var (model, root, api, editor, cancellationToken) = (fix.Model, fix.Root, fix.Api, fix.Editor, fix.CancellationToken);
        foreach (var diagnostic in diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
            {
                continue;
            }

            if (diagnostic.Properties.TryGetValue(ExecutableMemoryAnalyzer.ReplacementProperty, out var replacement) && replacement is not null)
            {
                editor.ReplaceNode(expression, DeprecatedPoolAllocationCodeFix.Rename(expression, replacement));
            }
            else if (diagnostic.Properties.ContainsKey(ExecutableMemoryAnalyzer.AddNoExecuteProperty) &&
                     SyntaxNames.Member(api.Wdm, PoolCalls.MdlMappingNoExecute, model, expression.SpanStart) is { } noExecute)
            {
                var priority = expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or
                    BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression } or ParenthesizedExpressionSyntax
                    ? expression.WithoutTrivia()
                    : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia());
                editor.ReplaceNode(
                    expression,
                    SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, priority, noExecute).WithTriviaFrom(expression));
            }
        }
    }
}
