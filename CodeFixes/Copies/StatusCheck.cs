using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace DriverBuffers.CodeFixes.Copies;

/// <summary>
/// Stores a call's NTSTATUS and checks it with <c>NT_SUCCESS</c> right after the statement, leaving in the
/// function's convention (<see cref="LeaveConvention"/>). The status goes to the call's own variable when it is
/// assigned one, else to an existing assignable <c>NTSTATUS status</c> in scope, else to a new local with a name
/// no other variable of the member uses.
/// </summary>
internal static class StatusCheck
{
    /// <summary>The fixed document, or null when the call's statement cannot take a check.</summary>
    public static async Task<Document?> StoreAndCheckAsync(
        Document document, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || CallStatement.Of(call) is not { } stored)
        {
            return null;
        }

        string? status;
        string? pending = null;
        StatementSyntax? replacement = null;
        var statement = stored.Statement;
        switch (stored)
        {
            case { Use: CallResultUse.Dropped } or { Assigned: IdentifierNameSyntax { Identifier.ValueText: "_" } }:
                (status, replacement) = Store(model, statement, call);
                pending = PendingStatus(model, statement);
                break;
            case { Assigned: IdentifierNameSyntax variable }:
                status = variable.Identifier.ValueText;
                break;
            case { Declared: { } declared }:
                status = declared.ValueText;
                break;
            default:
                return null;
        }

        if (status is null || statement.Parent is not BlockSyntax and not SwitchSectionSyntax ||
            LeaveConvention.Leave(model, statement, status) is not { } leave)
        {
            return null;
        }

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        if (pending is not null)
        {
            // The function's status still holds an earlier copy's status that the code after tests: keep the first
            // failure there instead of leaving (which would skip that test and the cleanup before it).
            editor.InsertAfter(statement, StatementInsertion.Statement(
                    $"if (!NT_SUCCESS({status}) && NT_SUCCESS({pending})) {{ {pending} = {status}; }}")
                .WithLeadingTrivia(StatementInsertion.Indentation(statement))
                .WithTrailingTrivia(StatementInsertion.EndOfLine(statement)));
        }
        else if (!(replacement is not null && ReachesTheStatusHandling(statement, status)))
        {
            editor.InsertAfter(statement, LeaveConvention.Guard($"!NT_SUCCESS({status})", leave, statement));
        }

        if (replacement is not null)
        {
            editor.ReplaceNode(statement, replacement);
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }

    /// <summary>
    /// True when the statement is the last one of an <c>if (NT_SUCCESS(status)) { … }</c> (no <c>else</c>) and the
    /// code after that <c>if</c> reads <c>status</c>: storing the status is then the whole fix, since the failure
    /// already flows to the code that handles it (leaving early would skip its cleanup, e.g. a
    /// <c>WdfObjectDelete</c> before the completion).
    /// </summary>
    private static bool ReachesTheStatusHandling(StatementSyntax statement, string status) =>
        statement.Parent is BlockSyntax block && block.Statements.LastOrDefault() == statement &&
        block.Parent is IfStatementSyntax { Else: null } check && check.Statement == block &&
        check.Condition is InvocationExpressionSyntax
        {
            Expression: IdentifierNameSyntax { Identifier.ValueText: "NT_SUCCESS" },
            ArgumentList.Arguments: { Count: 1 } arguments,
        } &&
        arguments[0].Expression is IdentifierNameSyntax { } tested && tested.Identifier.ValueText == status &&
        check.Parent is BlockSyntax outer &&
        outer.Statements.SkipWhile(s => s != check).Skip(1)
            .Any(s => s.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == status));

    /// <summary><c>status = Call(...);</c> (or <c>NTSTATUS status = Call(...);</c>) in place of the statement that drops it.</summary>
    public static (string? Status, StatementSyntax Statement) Store(SemanticModel model, StatementSyntax statement, ExpressionSyntax call)
    {
        var call2 = call.WithoutTrivia();
        if (ExistingStatus(model, statement) is { } existing && PendingStatus(model, statement) is null)
        {
            return (existing, SyntaxFactory.ExpressionStatement(
                    SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(existing), call2))
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(Formatter.Annotation));
        }

        var name = LocalNames.Unique(model, statement, "status");
        return (name, SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("NTSTATUS"),
                    SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                            .WithInitializer(SyntaxFactory.EqualsValueClause(call2)))))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>
    /// True when, just before <paramref name="statement"/>, <paramref name="status"/> holds the status of an earlier
    /// checked copy of the same block that nothing has read yet (<c>status = WdfMemoryCopyFromBuffer(…); Copy2(…);
    /// if (!NT_SUCCESS(status)) …</c>): storing another status there would leave that one untested (a new DRV021), so
    /// the fix takes a new variable.
    /// </summary>
    private static string? PendingStatus(SemanticModel model, StatementSyntax statement) =>
        ExistingStatus(model, statement) is { } status && HoldsAnUntestedCopyStatus(model, statement, status) ? status : null;

    private static bool HoldsAnUntestedCopyStatus(SemanticModel model, StatementSyntax statement, string status)
    {
        if (statement.Parent is not BlockSyntax and not SwitchSectionSyntax)
        {
            return false;
        }

        var statements = statement.Parent is BlockSyntax block ? block.Statements : ((SwitchSectionSyntax)statement.Parent).Statements;
        for (var i = statements.IndexOf(statement) - 1; i >= 0; i--)
        {
            var earlier = statements[i];
            if (earlier is ExpressionStatementSyntax
                {
                    Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target, Right: var value } assignment,
                } && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && target.Identifier.ValueText == status)
            {
                return IsCheckedCopy(model, value) && !Reads(value, status);
            }

            if (Reads(earlier, status))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsCheckedCopy(SemanticModel model, ExpressionSyntax value) =>
        value is InvocationExpressionSyntax invocation &&
        model.GetSymbolInfo(invocation).Symbol is IMethodSymbol { Name: "WdfMemoryCopyFromBuffer" or "WdfMemoryCopyToBuffer" } method &&
        method.ContainingType?.ToDisplayString() == "DriverBuffers.Wdf";

    private static bool Reads(SyntaxNode node, string name) =>
        node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == name);

    /// <summary>An <c>NTSTATUS</c> local or parameter named <c>status</c>, in scope, declared before and assignable.</summary>
    private static string? ExistingStatus(SemanticModel model, SyntaxNode at)
    {
        foreach (var symbol in model.LookupSymbols(at.SpanStart, name: "status"))
        {
            var (type, declaredAt, assignable) = symbol switch
            {
                ILocalSymbol { IsConst: false, IsUsing: false, IsFixed: false, IsForEach: false } local =>
                    (local.Type, local.DeclaringSyntaxReferences.FirstOrDefault()?.Span.Start ?? int.MaxValue, local.RefKind == RefKind.None),
                IParameterSymbol parameter => (parameter.Type, 0, parameter.RefKind is RefKind.None or RefKind.Ref or RefKind.Out),
                _ => (null, int.MaxValue, false),
            };
            if (type?.ToDisplayString() == "DriverBuffers.NTSTATUS" && assignable && declaredAt < at.SpanStart)
            {
                return symbol.Name;
            }
        }

        return null;
    }
}
