using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>How a statement of its own uses a call's result.</summary>
internal enum CallResultUse
{
    /// <summary><c>Call(...);</c></summary>
    Dropped,

    /// <summary><c>x = Call(...);</c> (also <c>_ = Call(...);</c>, <c>this.F = Call(...);</c>).</summary>
    Assigned,

    /// <summary><c>T x = Call(...);</c> declaring a single local.</summary>
    Declared,
}

/// <summary>
/// The statement that is a call and what it does with the result: <c>Call(...);</c>, <c>x = Call(...);</c> or
/// <c>T x = Call(...);</c> (one declarator): where a fix stores, tests or reuses that result. Null for a call
/// used inside a larger expression.
/// </summary>
internal sealed class CallStatement
{
    private CallStatement(StatementSyntax statement, CallResultUse use, ExpressionSyntax? assigned, SyntaxToken? declared)
    {
        Statement = statement;
        Use = use;
        Assigned = assigned;
        Declared = declared;
    }

    public StatementSyntax Statement { get; }

    public CallResultUse Use { get; }

    /// <summary>The variable, field or property the result is assigned to (<see cref="CallResultUse.Assigned"/>).</summary>
    public ExpressionSyntax? Assigned { get; }

    /// <summary>The local the statement declares (<see cref="CallResultUse.Declared"/>).</summary>
    public SyntaxToken? Declared { get; }

    public static CallStatement? Of(ExpressionSyntax call) => call.Parent switch
    {
        ExpressionStatementSyntax dropped => new CallStatement(dropped, CallResultUse.Dropped, null, null),
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Parent: ExpressionStatementSyntax statement } assignment
            when assignment.Right == call =>
            new CallStatement(statement, CallResultUse.Assigned, assignment.Left, null),
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            when declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax local } =>
            new CallStatement(local, CallResultUse.Declared, null, declarator.Identifier),
        _ => null,
    };
}
