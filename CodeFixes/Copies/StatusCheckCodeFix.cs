using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using DriverBuffers.Analyzers.Rules;

namespace DriverBuffers.CodeFixes.Copies;

/// <summary>
/// DRV021 and DRV022: store the status of the checked copy or of the retrieve and check it with <c>NT_SUCCESS</c>
/// right after the call, leaving in the method's convention.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StatusCheckCodeFix)), Shared]
public sealed class StatusCheckCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = "CheckStatusWithNtSuccess";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.CopyStatusIgnored, RuleIdentifiers.RetrieveStatusNotChecked);

    public override FixAllProvider GetFixAllProvider() => SequentialFixAll.Create(Target, FixAsync);

    /// <summary>The call whose status is checked: the copy (DRV021) or the retrieve, DRV022's additional location.</summary>
    private static Location Target(Diagnostic diagnostic) =>
        diagnostic.Id == RuleIdentifiers.RetrieveStatusNotChecked && diagnostic.AdditionalLocations.Count > 0
            ? diagnostic.AdditionalLocations[0]
            : diagnostic.Location;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(Target(diagnostic).SourceSpan, getInnermostNodeForTie: true);
            var fixedDocument = await FixAsync(context.Document, node, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (fixedDocument is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Check the status with NT_SUCCESS", _ => Task.FromResult(fixedDocument), EquivalenceKey),
                diagnostic);
        }
    }

    private static Task<Document?> FixAsync(Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        target.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is { } call
            ? StatusCheck.StoreAndCheckAsync(document, call, cancellationToken)
            : Task.FromResult<Document?>(null);
}
