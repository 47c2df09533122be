using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DriverBuffers.CodeFixes.Shared;

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
                case ExpressionSyntax expression when expression.Parent is LambdaExpressionSyntax lambda && lambda.ExpressionBody == expression:
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
        LabeledStatementSyntax labeled => labeled.Statement == statement, // End: { …; Complete(); }: every goto runs the new code
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
            var inner = before.Concat(new[] { ((StatementSyntax)replacement).WithoutLeadingTrivia().WithoutTrailingTrivia() }).Concat(after);
            // A labelled statement's block stands where the statement stood; other embedded statements' blocks
            // line up with their owner (the if, else, while).
            var owner = embedded.Parent is LabeledStatementSyntax && StartsLine(embedded.GetFirstToken())
                ? embedded.GetFirstToken()
                : embedded.GetFirstToken().GetPreviousToken();
            var block = Block(owner, inner, EndOfLine(embedded))
                .WithTrailingTrivia(embedded.GetTrailingTrivia());
            editor.ReplaceNode(embedded, block);
            return;
        }

        if (anchor is ExpressionSyntax body && body.Parent is LambdaExpressionSyntax lambda)
        {
            var expression = ((ExpressionSyntax)replacement).WithoutTrivia();
            StatementSyntax last = returnsValue ? SyntaxFactory.ReturnStatement(expression) : SyntaxFactory.ExpressionStatement(expression);
            var newLine = EndOfLine(lambda.Parent ?? lambda);
            var block = Block(lambda.ArrowToken, before.Concat(new[] { last }).Concat(after), newLine)
                .WithTrailingTrivia(body.GetTrailingTrivia());
            var arrow = lambda.ArrowToken.WithTrailingTrivia(newLine);
            editor.ReplaceNode(lambda, lambda.WithArrowToken(arrow).WithBody(block));
        }
    }

    /// <summary>
    /// A block on lines of its own, its braces indented like the line of <paramref name="owner"/> (the token before
    /// it: the <c>)</c> of an <c>if</c>, <c>else</c>, a lambda's <c>=&gt;</c>), its statements one level deeper.
    /// </summary>
    private static BlockSyntax Block(SyntaxToken owner, IEnumerable<StatementSyntax> statements, SyntaxTrivia newLine)
    {
        var outer = LineIndentation(owner);
        var unit = outer.Contains("\t") ? "\t" : "    ";
        var inner = SyntaxFactory.Whitespace(outer + unit);
        var open = SyntaxFactory.Token(SyntaxKind.OpenBraceToken)
            .WithLeadingTrivia(SyntaxFactory.Whitespace(outer))
            .WithTrailingTrivia(newLine);
        var close = SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Whitespace(outer));
        var lines = statements.Select(statement => statement.WithLeadingTrivia(inner).WithTrailingTrivia(newLine));
        return SyntaxFactory.Block(open, SyntaxFactory.List(lines), close);
    }

    /// <summary>True when only whitespace precedes <paramref name="token"/> on its line.</summary>
    private static bool StartsLine(SyntaxToken token)
    {
        var text = token.SyntaxTree?.GetText();
        if (text is null)
        {
            return false;
        }

        var line = text.Lines.GetLineFromPosition(token.SpanStart);
        return line.ToString().Substring(0, token.SpanStart - line.Start).Trim().Length == 0;
    }

    /// <summary>The whitespace at the start of the line that holds <paramref name="token"/>.</summary>
    private static string LineIndentation(SyntaxToken token)
    {
        var text = token.SyntaxTree?.GetText();
        if (text is null)
        {
            return string.Empty;
        }

        var line = text.Lines.GetLineFromPosition(token.SpanStart).ToString();
        var length = 0;
        while (length < line.Length && (line[length] == ' ' || line[length] == '\t'))
        {
            length++;
        }

        return line.Substring(0, length);
    }

    /// <summary>The whitespace that indents <paramref name="node"/>'s first line.</summary>
    public static SyntaxTrivia Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        var start = 0;
        for (var i = leading.Count - 1; i >= 0; i--)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                start = i + 1;
                break;
            }
        }

        return start < leading.Count && leading[start].IsKind(SyntaxKind.WhitespaceTrivia)
            ? leading[start]
            : SyntaxFactory.Whitespace(string.Empty);
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
