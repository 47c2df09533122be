using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace DriverBuffers.CodeFixes.Reuse;

/// <summary>
/// Inserts statements next to the statement that holds a call, keeping the code's trivia: in a block or switch
/// section the new statements take the original statement's leading trivia (its comments stay first) and
/// indentation; an embedded statement (<c>if (x) Call();</c>) or an expression body (<c>=> Call()</c>) becomes a
/// block first.
/// </summary>
internal static class StatementInsertion
{
    /// <summary>The statement or expression body that holds <paramref name="node"/>, where statements can be inserted.</summary>
    public static SyntaxNode? Anchor(SyntaxNode node)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case StatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax || IsEmbedded(statement):
                    return statement;
                case ExpressionSyntax expression when expression.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.Body == expression:
                    return expression;
                case ExpressionSyntax expression when expression.Parent is ArrowExpressionClauseSyntax:
                    return null; // an expression-bodied member: not rewritten
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool IsEmbedded(StatementSyntax statement) => statement.Parent switch
    {
        IfStatementSyntax ifStatement => ifStatement.Statement == statement,
        ElseClauseSyntax => true,
        WhileStatementSyntax loop => loop.Statement == statement,
        DoStatementSyntax loop => loop.Statement == statement,
        ForStatementSyntax loop => loop.Statement == statement,
        CommonForEachStatementSyntax loop => loop.Statement == statement,
        UsingStatementSyntax usingStatement => usingStatement.Statement == statement,
        LockStatementSyntax lockStatement => lockStatement.Statement == statement,
        FixedStatementSyntax fixedStatement => fixedStatement.Statement == statement,
        _ => false,
    };

    /// <summary>
    /// Replaces <paramref name="anchor"/> (from <see cref="Anchor"/>) with <paramref name="replacement"/> and puts
    /// <paramref name="before"/> in front of it and <paramref name="after"/> behind it.
    /// <paramref name="returnsValue"/> tells whether a lambda's expression body is returned.
    /// </summary>
    public static void Insert(
        SyntaxEditor editor, SyntaxNode anchor, SyntaxNode replacement,
        IReadOnlyList<StatementSyntax> before, IReadOnlyList<StatementSyntax> after, bool returnsValue)
    {
        if (anchor is StatementSyntax statement && statement.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            var newLine = EndOfLine(statement);
            var indentation = Indentation(statement);
            var original = (StatementSyntax)replacement;
            var newBefore = new List<StatementSyntax>();
            for (var i = 0; i < before.Count; i++)
            {
                var leading = i == 0 ? statement.GetLeadingTrivia() : SyntaxFactory.TriviaList(indentation);
                newBefore.Add(before[i].WithLeadingTrivia(leading).WithTrailingTrivia(newLine));
            }

            if (newBefore.Count > 0)
            {
                original = original.WithLeadingTrivia(indentation);
                editor.InsertBefore(statement, newBefore);
            }

            if (after.Count > 0)
            {
                editor.InsertAfter(statement, after.Select(s => s.WithLeadingTrivia(indentation).WithTrailingTrivia(newLine)));
            }

            editor.ReplaceNode(statement, original);
            return;
        }

        if (anchor is StatementSyntax embedded)
        {
            var statements = before.Concat(new[] { ((StatementSyntax)replacement).WithoutLeadingTrivia().WithoutTrailingTrivia() }).Concat(after)
                .Select(s => s.WithAdditionalAnnotations(Formatter.Annotation));
            var block = SyntaxFactory.Block(statements)
                .WithLeadingTrivia(embedded.GetLeadingTrivia())
                .WithTrailingTrivia(embedded.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(embedded, block);
            return;
        }

        if (anchor is ExpressionSyntax body && body.Parent is AnonymousFunctionExpressionSyntax)
        {
            var expression = ((ExpressionSyntax)replacement).WithoutTrivia();
            StatementSyntax last = returnsValue ? SyntaxFactory.ReturnStatement(expression) : SyntaxFactory.ExpressionStatement(expression);
            var statements = before.Concat(new[] { last }).Concat(after).Select(s => s.WithAdditionalAnnotations(Formatter.Annotation));
            var block = SyntaxFactory.Block(statements)
                .WithLeadingTrivia(body.GetLeadingTrivia())
                .WithTrailingTrivia(body.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(body, block);
        }
    }

    /// <summary>The whitespace that indents <paramref name="node"/>'s first line.</summary>
    public static SyntaxTrivia Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        for (var i = leading.Count - 1; i >= 0; i--)
        {
            if (leading[i].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                return leading[i];
            }

            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                break;
            }
        }

        return SyntaxFactory.Whitespace(string.Empty);
    }

    /// <summary>The line ending the document uses after <paramref name="node"/>.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode node)
    {
        foreach (var trivia in node.GetTrailingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return node.SyntaxTree.GetText().ToString().Contains("\r\n") ? SyntaxFactory.CarriageReturnLineFeed : SyntaxFactory.LineFeed;
    }

    /// <summary>Parses one statement of generated code.</summary>
    public static StatementSyntax Statement(string text) => SyntaxFactory.ParseStatement(text);
}
