using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.IoModes;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.IoModes;

/// <summary>
/// DRV045: uses the local that already holds the checked value instead of reading user memory again
/// (<c>user.Read&lt;uint&gt;(0)</c> → <c>length</c>), keeping the read's trivia. Offered only when the first read went
/// into a local of the read's type that still holds it (the analyzer says which), and that name binds, at the second
/// read, to that very local.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UserBufferFetchedTwiceCodeFix))]
[Shared]
public sealed class UserBufferFetchedTwiceCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = "DRV045.UseTheLocal";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.UserBufferFetchedTwice);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax read ||
                NamedVariable.Bind(
                    model, diagnostic, UserBufferFetchedTwiceAnalyzer.LocalProperty, UserBufferFetchedTwiceAnalyzer.LocalDeclarationProperty,
                    read.SpanStart) is not { } bound)
            {
                continue;
            }

            var local = bound.Name;
            var name = local.Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use '{name}', the value already read and checked",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(read, local.WithTriviaFrom(read)))),
                    EquivalenceKey),
                diagnostic);
        }
    }
}
