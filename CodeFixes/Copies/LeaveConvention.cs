using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Copies;

/// <summary>
/// The checks the Copies fixes insert: they leave in the function's own convention (<see cref="ExitConvention"/>,
/// including a plain <c>return;</c> in any other void function), with the status as a variable name or
/// <c>STATUS_BUFFER_TOO_SMALL</c>.
/// </summary>
internal static class LeaveConvention
{
    /// <summary>
    /// The statements that leave the function enclosing <paramref name="at"/> with the status
    /// <paramref name="status"/>, or null when the function has no convention a fix can follow (e.g. it returns
    /// something else).
    /// </summary>
    public static StatementSyntax[]? Leave(SemanticModel model, SyntaxNode at, string status) =>
        ExitConvention.Of(model, at)?.Statements(
            SyntaxFactory.ParseExpression(status), SyntaxFactory.IdentifierName("WdfRequestComplete"));

    /// <summary>
    /// <c>if (condition) { leave }</c>, written out where it lands: indented as <paramref name="neighbour"/>, its
    /// statements one level deeper, ending with <paramref name="neighbour"/>'s line break. It is not left to the
    /// formatter, which would indent it by its own rules (four columns too deep inside a <c>case X: { … }</c> block whose
    /// braces sit under the label).
    /// </summary>
    public static IfStatementSyntax Guard(string condition, StatementSyntax[] leave, SyntaxNode neighbour)
    {
        var indent = StatementInsertion.Indentation(neighbour).ToString();
        var unit = indent.Contains("\t") ? "\t" : "    ";
        var newLine = StatementInsertion.EndOfLine(neighbour).ToString();
        var text = new System.Text.StringBuilder();
        text.Append(indent).Append("if (").Append(SyntaxFactory.ParseExpression(condition).NormalizeWhitespace().ToFullString()).Append(')').Append(newLine);
        text.Append(indent).Append('{').Append(newLine);
        foreach (var statement in leave)
        {
            text.Append(indent).Append(unit).Append(statement.NormalizeWhitespace().ToFullString()).Append(newLine);
        }

        text.Append(indent).Append('}').Append(newLine);
        return (IfStatementSyntax)SyntaxFactory.ParseStatement(text.ToString());
    }
}
