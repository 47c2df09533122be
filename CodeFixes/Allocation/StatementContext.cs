using System.Threading;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// The statement a call's result is stored by (<c>PVOID p = Call(...);</c> or <c>p = Call(...);</c>), the
/// variable it is stored in, and the statements around it: what the DRV030 fix needs to find the zeroing it
/// makes redundant, and the DRV032 fix to add a NULL check after it.
/// </summary>
internal sealed class StatementContext
{
    private StatementContext(StatementSyntax statement, SyntaxToken? declared, ExpressionSyntax? assigned, SyntaxList<StatementSyntax> list, int index)
    {
        Statement = statement;
        Declared = declared;
        Assigned = assigned;
        Statements = list;
        Index = index;
    }

    public StatementSyntax Statement { get; }

    /// <summary>The local the statement declares (<c>PVOID p = Call(...)</c>).</summary>
    public SyntaxToken? Declared { get; }

    /// <summary>The variable, field or property the statement assigns (<c>p = Call(...)</c>).</summary>
    public ExpressionSyntax? Assigned { get; }

    /// <summary>The statement list holding <see cref="Statement"/> (a block or a switch section).</summary>
    public SyntaxList<StatementSyntax> Statements { get; }

    public int Index { get; }

    /// <summary>The statement <paramref name="offset"/> places after this one, or null.</summary>
    public StatementSyntax? Next(int offset) =>
        Index + offset < Statements.Count ? Statements[Index + offset] : null;

    /// <summary>The variable as an expression, e.g. to test it for NULL.</summary>
    public ExpressionSyntax Target =>
        Assigned?.WithoutTrivia() ?? SyntaxFactory.IdentifierName(Declared!.Value.ValueText);

    /// <summary>Where <paramref name="call"/>'s result is stored, or null when it is used another way.</summary>
    public static StatementContext? Of(ExpressionSyntax call)
    {
        if (CallStatement.Of(call) is not { Use: not CallResultUse.Dropped } stored)
        {
            return null;
        }

        var (statement, declared, assigned) = (stored.Statement, stored.Declared, stored.Assigned);
        var list = statement.Parent switch
        {
            BlockSyntax block => block.Statements,
            SwitchSectionSyntax section => section.Statements,
            _ => default,
        };
        var index = list.IndexOf(statement);
        return index < 0 ? null : new StatementContext(statement, declared, assigned, list, index);
    }

    /// <summary>True when <paramref name="expression"/> names the stored variable.</summary>
    public bool IsTarget(ExpressionSyntax expression)
    {
        expression = Unparenthesize(expression);
        return Declared is { } token
            ? expression is IdentifierNameSyntax name && name.Identifier.ValueText == token.ValueText
            : SyntaxFactory.AreEquivalent(expression, Unparenthesize(Assigned!));
    }

    /// <summary>True for <c>p == NULL</c> (also <c>NULL == p</c>, <c>null</c>, <c>default</c>) on the stored variable.</summary>
    public bool IsNullTest(ExpressionSyntax condition, SemanticModel model, DriverApi api, CancellationToken cancellationToken)
    {
        if (Unparenthesize(condition) is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals)
        {
            return false;
        }

        return (IsTarget(equals.Left) && IsNull(equals.Right, model, api, cancellationToken)) ||
               (IsTarget(equals.Right) && IsNull(equals.Left, model, api, cancellationToken));
    }

    /// <summary>True for an <c>if (p == NULL) { ... }</c> without else whose body never falls through.</summary>
    public bool IsNullCheckThatLeaves(StatementSyntax? statement, SemanticModel model, DriverApi api, CancellationToken cancellationToken) =>
        statement is IfStatementSyntax { Else: null } check &&
        IsNullTest(check.Condition, model, api, cancellationToken) &&
        model.AnalyzeControlFlow(check.Statement) is { Succeeded: true, EndPointIsReachable: false };

    private static bool IsNull(ExpressionSyntax expression, SemanticModel model, DriverApi api, CancellationToken cancellationToken) =>
        model.GetOperation(expression, cancellationToken) is { } operation && PoolCalls.IsNull(api, operation);

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }
}
