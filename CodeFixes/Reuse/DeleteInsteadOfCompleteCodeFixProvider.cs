using System.Collections.Immutable;
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
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeleteInsteadOfCompleteCodeFixProvider))]
public sealed class DeleteInsteadOfCompleteCodeFixProvider : CodeFixProvider
{
    private const string Delete = "WdfObjectDelete";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.DriverCreatedRequestCompleted);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null ||
                DiagnosticCall.At(root, diagnostic.Location) is not { ArgumentList.Arguments.Count: > 0 } call ||
                WithName(call.Expression) is null ||
                !IsCompletion(call.Expression))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Delete the driver-created request with WdfObjectDelete",
                    ct => ReplaceAsync(context.Document, root, call, ct),
                    RuleIdentifiers.DriverCreatedRequestCompleted),
                diagnostic);
        }
    }

    private static Task<Document> ReplaceAsync(Document document, SyntaxNode root, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var arguments = call.ArgumentList;
        var request = arguments.Arguments[0];
        var newArguments = arguments.WithArguments(SyntaxFactory.SingletonSeparatedList(request.WithTrailingTrivia(
            arguments.Arguments.Count > 1 ? default : request.GetTrailingTrivia())));
        var replacement = call.WithExpression(WithName(call.Expression)!).WithArgumentList(newArguments);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(call, replacement)));
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
