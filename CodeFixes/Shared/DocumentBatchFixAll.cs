using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>
/// Fix All for a code fix written to fix a set of diagnostics of one document in one edit (the single fix calls
/// the same routine with one diagnostic), so that fixes which share something (a new constant, a statement list,
/// the names they introduce) write it once. Document, project and solution scopes hand each document's
/// diagnostics to the routine together. For fixes that must see each other's result, see
/// <see cref="SequentialFixAll"/>.
/// </summary>
internal static class DocumentBatchFixAll
{
    /// <summary>Fixes <paramref name="diagnostics"/> (all of <paramref name="document"/>) for the chosen action.</summary>
    public delegate Task<Document> FixAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken);

    public static FixAllProvider Create(FixAsync fix) =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            diagnostics.IsEmpty
                ? document
                : await fix(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false));

    /// <summary>The node a diagnostic marks and what replaces it, or null when the fix does not apply there.</summary>
    public delegate (SyntaxNode Original, SyntaxNode Replacement)? Replacement(
        SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>
    /// Fix All for a fix that replaces one node per diagnostic (the same <paramref name="replacement"/> the single fix
    /// uses): every replacement of a document in one edit.
    /// </summary>
    public static FixAllProvider ReplacingNodes(Replacement replacement) =>
        Create(async (document, diagnostics, _, cancellationToken) =>
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var diagnostic in diagnostics)
            {
                if (replacement(root, model, diagnostic, cancellationToken) is { } fix)
                {
                    replacements[fix.Original] = fix.Replacement;
                }
            }

            return replacements.Count == 0
                ? document
                : document.WithSyntaxRoot(root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
        });
}
