using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.CodeFixes.Shared;

/// <summary>How a function leaves on failure, in the order a fix follows it (see <see cref="ExitConvention"/>).</summary>
internal enum ExitKind
{
    /// <summary><c>status = X; goto Exit;</c>: set the status the exit label completes with, and jump there.</summary>
    GotoExitLabel,

    /// <summary>The function returns <c>NTSTATUS</c>: <c>return X;</c>.</summary>
    ReturnStatus,

    /// <summary>
    /// A WDM dispatch routine (returns <c>NTSTATUS</c>, takes an <c>IRP</c>): it owns the IRP, so complete it with
    /// the status before returning it (<c>Irp.IoStatus.Status = X; Irp.IoStatus.Information = 0;
    /// IoCompleteRequest(Irp, IO_NO_INCREMENT); return X;</c>), or the IRP stays pending forever.
    /// </summary>
    CompleteIrpAndReturnStatus,

    /// <summary>A void callback with a request: <c>WdfRequestComplete(Request, X); return;</c>.</summary>
    CompleteRequestAndReturn,

    /// <summary>Any other void function: <c>return;</c> (the status is dropped).</summary>
    Return,
}

/// <summary>
/// "Leave the function in its own convention", for the checks code fixes insert (a status check, a size guard, a
/// NULL check), in this order of preference:
/// <list type="number">
/// <item>a <c>goto</c> exit label, in scope where the check goes, used with an <c>NTSTATUS</c> variable, either as
/// <c>if (!NT_SUCCESS(status)) goto Exit;</c> or as <c>status = X; goto Exit;</c>: set the status and jump there,
/// so the cleanup still runs;</item>
/// <item>a function returning <c>NTSTATUS</c>: return the status (a WDM dispatch routine, with an <c>IRP</c>
/// parameter, first completes the IRP with it);</item>
/// <item>a (non-async) void function with a <c>WDFREQUEST</c> parameter: complete that request with the status and
/// return;</item>
/// <item>any other (non-async) void function: return.</item>
/// </list>
/// A function returning anything else has no convention. A fix that must not drop the status declines
/// <see cref="ExitKind.Return"/>.
/// </summary>
internal sealed class ExitConvention
{
    private const string NtStatus = "DriverBuffers.NTSTATUS";
    private const string WdfRequest = "DriverBuffers.WDFREQUEST";
    private const string Irp = "DriverBuffers.IRP";

    private ExitConvention(ExitKind kind, string? label = null, string? statusVariable = null, string? request = null)
    {
        Kind = kind;
        Label = label;
        StatusVariable = statusVariable;
        Request = request;
    }

    public ExitKind Kind { get; }

    /// <summary>The exit label (<see cref="ExitKind.GotoExitLabel"/>).</summary>
    public string? Label { get; }

    /// <summary>The status variable the exit label completes with (<see cref="ExitKind.GotoExitLabel"/>).</summary>
    public string? StatusVariable { get; }

    /// <summary>
    /// The request parameter to complete (<see cref="ExitKind.CompleteRequestAndReturn"/>), or the IRP parameter
    /// (<see cref="ExitKind.CompleteIrpAndReturnStatus"/>).
    /// </summary>
    public string? Request { get; }

    /// <summary>The convention of the function enclosing <paramref name="at"/>, or null when it has none.</summary>
    public static ExitConvention? Of(SemanticModel model, SyntaxNode at, CancellationToken cancellationToken = default)
    {
        var function = at.Ancestors().FirstOrDefault(IsFunction);
        if (function is null || FunctionSymbol(model, function, cancellationToken) is not { } symbol)
        {
            return null;
        }

        if (ExitLabel(model, function, at, cancellationToken) is { } exit)
        {
            return new ExitConvention(ExitKind.GotoExitLabel, label: exit.Label, statusVariable: exit.StatusVariable);
        }

        if (symbol.ReturnType.ToDisplayString() == NtStatus)
        {
            return symbol.Parameters.FirstOrDefault(p => p.Type.ToDisplayString() == Irp) is { } irp
                ? new ExitConvention(ExitKind.CompleteIrpAndReturnStatus, request: irp.Name)
                : new ExitConvention(ExitKind.ReturnStatus);
        }

        if (!symbol.ReturnsVoid || symbol.IsAsync)
        {
            return null;
        }

        var request = symbol.Parameters.FirstOrDefault(p => p.Type.ToDisplayString() == WdfRequest);
        return request is null
            ? new ExitConvention(ExitKind.Return)
            : new ExitConvention(ExitKind.CompleteRequestAndReturn, request: request.Name);
    }

    /// <summary>
    /// The statements that leave with <paramref name="status"/>; <paramref name="complete"/> names
    /// <c>WdfRequestComplete</c> as the file can say it. A jump with the exit label's own status variable does not
    /// assign it again.
    /// </summary>
    public StatementSyntax[] Statements(ExpressionSyntax status, ExpressionSyntax complete) => Kind switch
    {
        ExitKind.GotoExitLabel when status is IdentifierNameSyntax name && name.Identifier.ValueText == StatusVariable =>
            new StatementSyntax[] { Goto() },
        ExitKind.GotoExitLabel => new StatementSyntax[]
        {
            SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(StatusVariable!), status)),
            Goto(),
        },
        ExitKind.ReturnStatus => new StatementSyntax[] { SyntaxFactory.ReturnStatement(status) },
        ExitKind.CompleteIrpAndReturnStatus => new StatementSyntax[]
        {
            SyntaxFactory.ExpressionStatement(SyntaxFactory.ParseExpression($"{Request}.IoStatus.Status = {status}")),
            SyntaxFactory.ExpressionStatement(SyntaxFactory.ParseExpression($"{Request}.IoStatus.Information = 0")),
            SyntaxFactory.ExpressionStatement(SyntaxFactory.ParseExpression($"IoCompleteRequest({Request}, IO_NO_INCREMENT)")),
            SyntaxFactory.ReturnStatement(status),
        },
        ExitKind.CompleteRequestAndReturn => new StatementSyntax[]
        {
            SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                complete,
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(SyntaxFactory.IdentifierName(Request!)),
                    SyntaxFactory.Argument(status),
                })))),
            SyntaxFactory.ReturnStatement(),
        },
        _ => new StatementSyntax[] { SyntaxFactory.ReturnStatement() },
    };

    private GotoStatementSyntax Goto() =>
        SyntaxFactory.GotoStatement(SyntaxKind.GotoStatement, SyntaxFactory.IdentifierName(Label!));

    /// <summary>A method, local function, lambda or accessor: a body a check can leave.</summary>
    public static bool IsFunction(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax;

    private static IMethodSymbol? FunctionSymbol(SemanticModel model, SyntaxNode function, CancellationToken cancellationToken) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol,
        _ => model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol,
    };

    /// <summary>
    /// The first exit label of <paramref name="function"/> (not of functions nested in it) that a jump from
    /// <paramref name="at"/> can reach, with the status variable it completes with: the target of an
    /// <c>if (!NT_SUCCESS(x)) goto L;</c> or of a <c>x = …; goto L;</c> with an <c>NTSTATUS</c> local <c>x</c>.
    /// </summary>
    private static (string Label, string StatusVariable)? ExitLabel(
        SemanticModel model, SyntaxNode function, SyntaxNode at, CancellationToken cancellationToken)
    {
        foreach (var jump in function.DescendantNodes(n => n == function || !IsFunction(n)).OfType<GotoStatementSyntax>())
        {
            if (!jump.IsKind(SyntaxKind.GotoStatement) || jump.Expression is not IdentifierNameSyntax label ||
                (CheckedStatus(jump) ?? AssignedStatus(model, jump, cancellationToken)) is not { } statusVariable)
            {
                continue;
            }

            var target = function.DescendantNodes(n => n == function || !IsFunction(n)).OfType<LabeledStatementSyntax>()
                .FirstOrDefault(l => l.Identifier.ValueText == label.Identifier.ValueText);
            if (target?.Parent is { } scope && at.Ancestors().Contains(scope))
            {
                return (label.Identifier.ValueText, statusVariable);
            }
        }

        return null;
    }

    /// <summary><c>x</c> of <c>if (!NT_SUCCESS(x)) … goto L;</c>.</summary>
    private static string? CheckedStatus(GotoStatementSyntax jump) =>
        jump.Ancestors().OfType<IfStatementSyntax>().FirstOrDefault() is
        {
            Condition: PrefixUnaryExpressionSyntax
            {
                RawKind: (int)SyntaxKind.LogicalNotExpression,
                Operand: InvocationExpressionSyntax
                {
                    Expression: IdentifierNameSyntax { Identifier.ValueText: "NT_SUCCESS" },
                    ArgumentList.Arguments: { Count: 1 } arguments,
                },
            },
        } && arguments[0].Expression is IdentifierNameSyntax statusVariable
            ? statusVariable.Identifier.ValueText
            : null;

    /// <summary><c>x</c> of <c>x = …; goto L;</c> where <c>x</c> is an <c>NTSTATUS</c> local.</summary>
    private static string? AssignedStatus(SemanticModel model, GotoStatementSyntax jump, CancellationToken cancellationToken) =>
        Previous(jump) is ExpressionStatementSyntax
        {
            Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax status },
        } &&
        model.GetSymbolInfo(status, cancellationToken).Symbol is ILocalSymbol local &&
        local.Type.ToDisplayString() == NtStatus
            ? status.Identifier.ValueText
            : null;

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

        for (var i = 1; i < list.Count; i++)
        {
            if (list[i] == statement)
            {
                return list[i - 1];
            }
        }

        return null;
    }
}
