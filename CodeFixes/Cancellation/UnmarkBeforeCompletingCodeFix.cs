using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Cancellation;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Cancellation;

/// <summary>
/// DRV005: unmark the request and test the unmark's status before completing it. A completion of a request that may
/// still be marked cancelable becomes <c>if (WdfRequestUnmarkCancelable(r) != STATUS_CANCELLED) { complete; }</c>; a
/// completion after an unmark whose status is in a local becomes <c>if (status != STATUS_CANCELLED) { complete; }</c>.
/// Where the status is <c>STATUS_CANCELLED</c> the cancel routine completes the request. Trivia and indentation kept.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnmarkBeforeCompletingCodeFix)), Shared]
public sealed class UnmarkBeforeCompletingCodeFix : CodeFixProvider
{
    private const string Title = "Unmark the request and complete it only if it was not canceled";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.CancelableRequestMisuse);

    public override FixAllProvider GetFixAllProvider() =>
        DocumentBatchFixAll.Create((document, diagnostics, _, cancellationToken) => FixAllAsync(document, diagnostics, cancellationToken));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null || Fixable(root, diagnostic) is not { } fix)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(fix.Statement, Guarded(fix.Statement, fix.Condition)))),
                    RuleIdentifiers.CancelableRequestMisuse),
                diagnostic);
        }
    }

    private static async Task<Document> FixAllAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return document;
        }

        var fixes = new Dictionary<StatementSyntax, string>();
        foreach (var diagnostic in diagnostics)
        {
            if (Fixable(root, diagnostic) is { } fix && !fixes.ContainsKey(fix.Statement))
            {
                fixes[fix.Statement] = fix.Condition;
            }
        }

        return fixes.Count == 0
            ? document
            : document.WithSyntaxRoot(root.ReplaceNodes(fixes.Keys, (original, _) => Guarded(original, fixes[original])));
    }

    /// <summary>The completion statement the diagnostic marks and the condition to guard it with; null for other shapes.</summary>
    private static (StatementSyntax Statement, string Condition)? Fixable(SyntaxNode root, Diagnostic diagnostic)
    {
        if (DiagnosticCall.At(root, diagnostic.Location) is not { } call || CallStatement.Of(call) is not { Use: CallResultUse.Dropped } statement ||
            !diagnostic.Properties.TryGetValue(CancelableRequestAnalyzer.KindProperty, out var kind))
        {
            return null;
        }

        if (kind == CancelableRequestAnalyzer.StillMarked && diagnostic.Properties.TryGetValue(CancelableRequestAnalyzer.RequestProperty, out var request) &&
            request is { Length: > 0 })
        {
            return (statement.Statement, $"WdfRequestUnmarkCancelable({request}) != STATUS_CANCELLED");
        }

        if (kind == CancelableRequestAnalyzer.MayBeCancelled && diagnostic.Properties.TryGetValue(CancelableRequestAnalyzer.StatusProperty, out var status) &&
            status is { Length: > 0 })
        {
            return (statement.Statement, $"{status} != STATUS_CANCELLED");
        }

        return null;
    }

    /// <summary><c>if (condition) { statement }</c>, at the statement's indentation, with its comments kept.</summary>
    private static StatementSyntax Guarded(StatementSyntax statement, string condition)
    {
        var leading = statement.GetLeadingTrivia();
        var indentation = leading.LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
        var eol = statement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } e ? e : "\n";
        var inner = statement.WithoutLeadingTrivia().ToFullString().TrimEnd('\r', '\n');
        var text = $"if ({condition}){eol}{indentation}{{{eol}{indentation}    {inner}{eol}{indentation}}}{eol}";
        return SyntaxFactory.ParseStatement(text).WithLeadingTrivia(leading);
    }
}
