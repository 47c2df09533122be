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
    /// <c>if (condition) { leave }</c>, formatted where it lands, ending with the line break of
    /// <paramref name="neighbour"/> (elastic trivia there would make the formatter add a blank line).
    /// </summary>
    public static IfStatementSyntax Guard(string condition, StatementSyntax[] leave, SyntaxNode neighbour)
    {
        return SyntaxFactory.IfStatement(SyntaxFactory.ParseExpression(condition), SyntaxFactory.Block(leave))
            .WithLeadingTrivia(StatementInsertion.Indentation(neighbour))
            .WithTrailingTrivia(StatementInsertion.EndOfLine(neighbour))
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
    }
}
