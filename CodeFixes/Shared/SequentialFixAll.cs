using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>
/// Fix All for fixes that depend on each other (a second check must reuse the <c>status</c> local the first one
/// declared): applies the fixes of a document one after the other, in source order, each on the result of
/// the previous one. The node each diagnostic fixes is marked first, so that it is found again after edits.
/// </summary>
internal static class SequentialFixAll
{
    public delegate Task<Document?> FixAsync(Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken);

    public static FixAllProvider Create(Func<Diagnostic, Location> target, FixAsync fix) =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var work = new List<(Diagnostic Diagnostic, SyntaxNode Node, SyntaxAnnotation Mark)>();
            foreach (var diagnostic in diagnostics.OrderBy(d => target(d).SourceSpan.Start))
            {
                var span = target(diagnostic).SourceSpan;
                if (span.End <= root.FullSpan.End)
                {
                    work.Add((diagnostic, root.FindNode(span, getInnermostNodeForTie: true), new SyntaxAnnotation()));
                }
            }

            root = root.ReplaceNodes(work.Select(w => w.Node).Distinct(), (original, rewritten) =>
                rewritten.WithAdditionalAnnotations(work.Where(w => w.Node == original).Select(w => w.Mark)));
            var current = document.WithSyntaxRoot(root);
            foreach (var (diagnostic, _, mark) in work)
            {
                var currentRoot = await current.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (currentRoot?.GetAnnotatedNodes(mark).FirstOrDefault() is { } node &&
                    await fix(current, node, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } fixedDocument)
                {
                    current = fixedDocument;
                }
            }

            return current;
        });
}
