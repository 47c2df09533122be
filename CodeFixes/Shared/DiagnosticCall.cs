using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>The call a diagnostic (or one of its additional locations) marks, found again in a syntax tree.</summary>
internal static class DiagnosticCall
{
    /// <summary>
    /// The call spanning exactly <paramref name="location"/>, else the innermost call around it; null when the
    /// location is not in <paramref name="root"/>'s tree (another document, or text that has changed).
    /// </summary>
    public static InvocationExpressionSyntax? At(SyntaxNode root, Location location)
    {
        if (!location.IsInSource || location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        return node.FirstAncestorOrSelf<InvocationExpressionSyntax>(n => n.Span == location.SourceSpan) ??
               node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
    }
}
