using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>The call a diagnostic (or one of its additional locations) marks, found again in a syntax tree.</summary>
internal static class DiagnosticCall
{
    /// <summary>
    /// The call spanning exactly <paramref name="location"/>, else the innermost call around it. A location in an
    /// earlier version of the same document (clients such as <c>dotnet format</c> compute diagnostics once, then
    /// apply one rule's fixes after another's) is mapped through the edits made since, provided the marked text
    /// itself is unchanged. Null when the location is in another document or its text has changed.
    /// </summary>
    public static InvocationExpressionSyntax? At(SyntaxNode root, Location location)
    {
        if (!location.IsInSource || location.SourceTree is not { } tree)
        {
            return null;
        }

        var span = location.SourceSpan;
        if (tree != root.SyntaxTree && !TryMapToLaterVersion(tree, root.SyntaxTree, ref span))
        {
            return null;
        }

        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        return node.FirstAncestorOrSelf<InvocationExpressionSyntax>(n => n.Span == span) ??
               node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
    }

    /// <summary>
    /// Moves <paramref name="span"/> of <paramref name="earlier"/> to where the same text stands in
    /// <paramref name="later"/>: shifted by every edit before it; false when an edit touches it.
    /// </summary>
    private static bool TryMapToLaterVersion(SyntaxTree earlier, SyntaxTree later, ref TextSpan span)
    {
        if (earlier.FilePath != later.FilePath)
        {
            return false;
        }

        var delta = 0;
        foreach (var change in later.GetChanges(earlier))
        {
            if (change.Span.End <= span.Start)
            {
                delta += (change.NewText?.Length ?? 0) - change.Span.Length;
            }
            else if (change.Span.Start < span.End)
            {
                return false;
            }
        }

        var mapped = new TextSpan(span.Start + delta, span.Length);
        var laterText = later.GetText();
        if (mapped.Start < 0 || mapped.End > laterText.Length ||
            laterText.ToString(mapped) != earlier.GetText().ToString(span))
        {
            return false;
        }

        span = mapped;
        return true;
    }
}
