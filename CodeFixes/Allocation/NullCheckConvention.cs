using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Api;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// How the method around a statement leaves on failure, for the NULL check the DRV032 fix adds, in this order:
/// <list type="number">
/// <item>a <c>goto</c> exit label used with an <c>NTSTATUS</c> variable (<c>status = X; goto Exit;</c>): set the
/// status to <c>STATUS_INSUFFICIENT_RESOURCES</c> and jump there, so the cleanup still runs;</item>
/// <item>a method returning <c>NTSTATUS</c>: <c>return STATUS_INSUFFICIENT_RESOURCES;</c>;</item>
/// <item>a void queue callback (<c>WDFQUEUE</c> or <c>WDFDEVICE</c>, then <c>WDFREQUEST</c>): complete the request
/// with <c>STATUS_INSUFFICIENT_RESOURCES</c> and return.</item>
/// </list>
/// Anywhere else there is no convention, and no NULL-check variant is offered.
/// </summary>
internal static class NullCheckConvention
{
    public static StatementSyntax[]? Find(StatementSyntax statement, SemanticModel model, DriverApi api, CancellationToken cancellationToken)
    {
        var function = statement.Ancestors().FirstOrDefault(a =>
            a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);
        if (function is null)
        {
            return null;
        }

        var method = function is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(function, cancellationToken).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol;
        if (method is null)
        {
            return null;
        }

        var position = statement.SpanStart;
        if (SyntaxNames.Member(api.Wdm, PoolDdis.StatusInsufficientResources, model, position) is not { } insufficient)
        {
            return null;
        }

        if (GotoExit(function, model, api, cancellationToken) is { } exit)
        {
            return new StatementSyntax[]
            {
                SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(exit.Status), insufficient)),
                SyntaxFactory.GotoStatement(SyntaxKind.GotoStatement, SyntaxFactory.IdentifierName(exit.Label)),
            };
        }

        if (SymbolEqualityComparer.Default.Equals(method.ReturnType, api.NtStatus))
        {
            return new StatementSyntax[] { SyntaxFactory.ReturnStatement(insufficient) };
        }

        if (method.ReturnsVoid && method.Parameters.Length >= 2 &&
            (SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, api.WdfQueue) ||
             method.Parameters[0].Type.Name == "WDFDEVICE") &&
            SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, api.WdfRequest) &&
            SyntaxNames.Member(api.Wdf, "WdfRequestComplete", model, position) is { } complete)
        {
            return new StatementSyntax[]
            {
                SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                    complete,
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                    {
                        SyntaxFactory.Argument(SyntaxFactory.IdentifierName(method.Parameters[1].Name)),
                        SyntaxFactory.Argument(insufficient),
                    })))),
                SyntaxFactory.ReturnStatement(),
            };
        }

        return null;
    }

    /// <summary>The first <c>status = X; goto Label;</c> of the function with an <c>NTSTATUS</c> local, or null.</summary>
    private static (string Status, string Label)? GotoExit(
        SyntaxNode function, SemanticModel model, DriverApi api, CancellationToken cancellationToken)
    {
        foreach (var jump in function.DescendantNodes(n => n == function || !IsFunction(n)).OfType<GotoStatementSyntax>())
        {
            if (!jump.IsKind(SyntaxKind.GotoStatement) || jump.Expression is not IdentifierNameSyntax label ||
                Previous(jump) is not ExpressionStatementSyntax
                {
                    Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax status } assignment,
                } ||
                !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ||
                model.GetSymbolInfo(status, cancellationToken).Symbol is not ILocalSymbol local ||
                !SymbolEqualityComparer.Default.Equals(local.Type, api.NtStatus))
            {
                continue;
            }

            return (status.Identifier.ValueText, label.Identifier.ValueText);
        }

        return null;
    }

    private static bool IsFunction(SyntaxNode node) =>
        node is LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax;

    private static StatementSyntax? Previous(StatementSyntax statement)
    {
        IReadOnlyList<StatementSyntax>? list = statement.Parent switch
        {
            BlockSyntax block => block.Statements,
            SwitchSectionSyntax section => section.Statements,
            _ => null,
        };
        if (list is null)
        {
            return null;
        }

        var index = -1;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == statement)
            {
                index = i;
            }
        }

        return index > 0 ? list[index - 1] : null;
    }
}
