using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Reuse;

/// <summary>
/// DRV013: a driver-created request is released with <c>WdfObjectDelete</c>, not completed:
/// <c>WdfRequestComplete(r, status)</c> becomes <c>WdfObjectDelete(r)</c> (same qualification, same trivia).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeleteInsteadOfCompleteCodeFixProvider)), Shared]
public sealed class DeleteInsteadOfCompleteCodeFixProvider : CodeFixProvider
{
    private const string Delete = "WdfObjectDelete";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.DriverCreatedRequestCompleted);

    // Not WellKnownFixAllProviders.BatchFixer: it builds a CodeFixContext per diagnostic, which refuses a diagnostic
    // located in an earlier version of the document (dotnet format hands those over after another rule's fixes).
    public override FixAllProvider GetFixAllProvider() =>
        DocumentBatchFixAll.Create((document, diagnostics, _, cancellationToken) => ReplaceAllAsync(document, diagnostics, cancellationToken));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null || FixableCall(root, diagnostic) is not { } call)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Delete the driver-created request with WdfObjectDelete",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(call, Replacement(call)))),
                    RuleIdentifiers.DriverCreatedRequestCompleted),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAllAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return document;
        }

        var calls = new HashSet<InvocationExpressionSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FixableCall(root, diagnostic) is { } call)
            {
                calls.Add(call);
            }
        }

        return calls.Count == 0 ? document : document.WithSyntaxRoot(root.ReplaceNodes(calls, (original, _) => Replacement(original)));
    }

    /// <summary>The <c>WdfRequestComplete*</c> call the diagnostic marks, when it has a shape this fix rewrites.</summary>
    private static InvocationExpressionSyntax? FixableCall(SyntaxNode root, Diagnostic diagnostic) =>
        DiagnosticCall.At(root, diagnostic.Location) is { ArgumentList.Arguments.Count: > 0 } call &&
        WithName(call.Expression) is not null &&
        IsCompletion(call.Expression)
            ? call
            : null;

    private static InvocationExpressionSyntax Replacement(InvocationExpressionSyntax call)
    {
        var arguments = call.ArgumentList;
        var request = arguments.Arguments[0];
        var newArguments = arguments.WithArguments(SyntaxFactory.SingletonSeparatedList(request.WithTrailingTrivia(
            arguments.Arguments.Count > 1 ? default : request.GetTrailingTrivia())));
        return call.WithExpression(WithName(call.Expression)!).WithArgumentList(newArguments);
    }

    /// <summary>True for a call of <c>WdfRequestComplete*</c> itself (not of a helper that completes).</summary>
    private static bool IsCompletion(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText.StartsWith("WdfRequestComplete", System.StringComparison.Ordinal),
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText.StartsWith("WdfRequestComplete", System.StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The invoked expression with its method name changed to <c>WdfObjectDelete</c>; null for other shapes.</summary>
    private static ExpressionSyntax? WithName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.WithIdentifier(SyntaxFactory.Identifier(Delete).WithTriviaFrom(identifier.Identifier)),
        MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } access =>
            access.WithName(name.WithIdentifier(SyntaxFactory.Identifier(Delete).WithTriviaFrom(name.Identifier))),
        _ => null,
    };
}
