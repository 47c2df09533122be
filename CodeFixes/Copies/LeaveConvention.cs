using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Copies;

/// <summary>
/// How an inserted check leaves the function, in the function's own convention: a <c>goto</c>-style method
/// jumps to its existing exit label (setting the status the label completes with); a method returning
/// <c>NTSTATUS</c> returns the status; a callback with a request completes it with the status and returns;
/// any other <c>void</c> function returns.
/// </summary>
internal static class LeaveConvention
{
    /// <summary>
    /// The statements that leave the function enclosing <paramref name="at"/> with the status
    /// <paramref name="status"/> (a variable name or <c>STATUS_BUFFER_TOO_SMALL</c>), or null when the function has
    /// no convention a fix can follow (e.g. it returns something else).
    /// </summary>
    public static StatementSyntax[]? Leave(SemanticModel model, SyntaxNode at, string status)
    {
        var function = at.Ancestors().FirstOrDefault(IsFunction);
        if (function is null || FunctionSymbol(model, function) is not { } symbol)
        {
            return null;
        }

        if (ExitLabel(function, at) is { } exit)
        {
            return exit.StatusVariable == status
                ? new[] { Parse($"goto {exit.Label};") }
                : new[] { Parse($"{exit.StatusVariable} = {status};"), Parse($"goto {exit.Label};") };
        }

        if (symbol.ReturnType.ToDisplayString() == "DriverBuffers.NTSTATUS")
        {
            return new[] { Parse($"return {status};") };
        }

        if (!symbol.ReturnsVoid || symbol.IsAsync)
        {
            return null;
        }

        var request = symbol.Parameters.FirstOrDefault(p => p.Type.ToDisplayString() == "DriverBuffers.WDFREQUEST");
        return request is null
            ? new[] { Parse("return;") }
            : new[] { Parse($"WdfRequestComplete({request.Name}, {status});"), Parse("return;") };
    }

    /// <summary>
    /// <c>if (condition) { leave }</c>, formatted where it lands, ending with the line break of
    /// <paramref name="neighbour"/> (elastic trivia there would make the formatter add a blank line).
    /// </summary>
    public static IfStatementSyntax Guard(string condition, StatementSyntax[] leave, SyntaxNode neighbour)
    {
        var endOfLine = neighbour.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var indentation = neighbour.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
        return SyntaxFactory.IfStatement(SyntaxFactory.ParseExpression(condition), SyntaxFactory.Block(leave))
            .WithLeadingTrivia(indentation)
            .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.LineFeed)
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
    }

    private static StatementSyntax Parse(string text) =>
        SyntaxFactory.ParseStatement(text).WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker);

    public static bool IsFunction(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax;

    private static IMethodSymbol? FunctionSymbol(SemanticModel model, SyntaxNode function) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda).Symbol as IMethodSymbol,
        _ => model.GetDeclaredSymbol(function) as IMethodSymbol,
    };

    /// <summary>
    /// The exit label of a <c>goto</c>-style function: the target of an <c>if (!NT_SUCCESS(x)) goto L;</c> in it,
    /// reachable from <paramref name="at"/>, and the status variable <c>x</c> the label completes with.
    /// </summary>
    private static (string Label, string StatusVariable)? ExitLabel(SyntaxNode function, SyntaxNode at)
    {
        foreach (var jump in function.DescendantNodes(n => n == function || !IsFunction(n)).OfType<GotoStatementSyntax>())
        {
            if (!jump.IsKind(SyntaxKind.GotoStatement) || jump.Expression is not IdentifierNameSyntax label ||
                jump.Ancestors().OfType<IfStatementSyntax>().FirstOrDefault() is not { } check ||
                check.Condition is not PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not ||
                not.Operand is not InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "NT_SUCCESS" } } success ||
                success.ArgumentList.Arguments.Count != 1 ||
                success.ArgumentList.Arguments[0].Expression is not IdentifierNameSyntax statusVariable)
            {
                continue;
            }

            var target = function.DescendantNodes(n => n == function || !IsFunction(n)).OfType<LabeledStatementSyntax>()
                .FirstOrDefault(l => l.Identifier.ValueText == label.Identifier.ValueText);
            if (target?.Parent is { } scope && at.Ancestors().Contains(scope))
            {
                return (label.Identifier.ValueText, statusVariable.Identifier.ValueText);
            }
        }

        return null;
    }
}
