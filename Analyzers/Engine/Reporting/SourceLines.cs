using System.Globalization;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>The line (1-based) a message names for a related call ("allocated … at line 8").</summary>
internal static class SourceLines
{
    public static int LineOf(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;

    public static int LineOf(SyntaxNode syntax) => LineOf(syntax.GetLocation());

    /// <summary>The line as message text, culture-invariant.</summary>
    public static string Text(SyntaxNode syntax) => LineOf(syntax).ToString(CultureInfo.InvariantCulture);
}
