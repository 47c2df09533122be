using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Tests.Verifiers.Tests;

/// <summary>
/// Fixes TST001 by replacing the flagged <c>Bad</c> with <c>Good</c> (action 0, key "Good") or with
/// <c>Better</c> (action 1, key "Better"), keeping trivia. Offers nothing inside a method named <c>Keep</c>.
/// </summary>
public class RenameFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(BadNameAnalyzer.Rule.Id);

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var token = root!.FindToken(context.Span.Start);
        if (token.Parent?.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText == "Keep")
        {
            return;
        }

        Register(context, token);
    }

    protected virtual void Register(CodeFixContext context, SyntaxToken token)
    {
        foreach (var name in new[] { "Good", "Better" })
        {
            context.RegisterCodeFix(Rename(context.Document, token, name), context.Diagnostics);
        }
    }

    protected static CodeAction Rename(Document document, SyntaxToken token, string name)
        => CodeAction.Create(
            $"Rename to {name}",
            ct => ReplaceAsync(document, token, SyntaxFactory.Identifier(token.LeadingTrivia, name, token.TrailingTrivia), ct),
            equivalenceKey: name);

    protected static async Task<Document> ReplaceAsync(Document document, SyntaxToken token, SyntaxToken replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceToken(token, replacement));
    }
}

/// <summary>Offers one group action "Rename…" whose nested actions are Good and Better.</summary>
public sealed class NestedRenameFix : RenameFix
{
    protected override void Register(CodeFixContext context, SyntaxToken token)
        => context.RegisterCodeFix(
            CodeAction.Create("Rename…", ImmutableArray.Create(Rename(context.Document, token, "Good"), Rename(context.Document, token, "Better")), isInlinable: false),
            context.Diagnostics);
}

/// <summary>Renames to Good but drops the token's trivia (and so any comment next to it).</summary>
public sealed class TriviaLosingFix : RenameFix
{
    protected override void Register(CodeFixContext context, SyntaxToken token)
        => context.RegisterCodeFix(
            CodeAction.Create("Rename to Good", ct => ReplaceAsync(context.Document, token, SyntaxFactory.Identifier("Good"), ct), "Good"),
            context.Diagnostics);
}

/// <summary>Renames to an identifier that does not exist, so the fixed code does not compile.</summary>
public sealed class CompileErrorFix : RenameFix
{
    protected override void Register(CodeFixContext context, SyntaxToken token)
        => context.RegisterCodeFix(Rename(context.Document, token, "Missing"), context.Diagnostics);
}

/// <summary>Like <see cref="RenameFix"/> but without a Fix All provider.</summary>
public sealed class NoFixAllFix : RenameFix
{
    public override FixAllProvider? GetFixAllProvider() => null;
}

/// <summary>Fixes one diagnostic right (Good), but its Fix All provider renames to Better.</summary>
public sealed class WrongFixAllFix : RenameFix
{
    public override FixAllProvider? GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var tokens = diagnostics.Select(d => root!.FindToken(d.Location.SourceSpan.Start));
        return document.WithSyntaxRoot(root!.ReplaceTokens(tokens, (t, _) => SyntaxFactory.Identifier(t.LeadingTrivia, "Better", t.TrailingTrivia)));
    });

    protected override void Register(CodeFixContext context, SyntaxToken token)
        => context.RegisterCodeFix(Rename(context.Document, token, "Good"), context.Diagnostics);
}
