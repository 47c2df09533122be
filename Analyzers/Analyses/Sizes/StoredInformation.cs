using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// DRV023's information held in a local that was given a constant on one path (KbFiltr: <c>bytesTransferred =
/// sizeof(KEYBOARD_ATTRIBUTES)</c> on one switch case, 0 on the others) and is no longer a constant where the request
/// is completed: the constant is judged where it was stored, against the request's buffer as known there. Only a store
/// that reaches the completion with no test and no other store of the local between them (in the text) counts: a test
/// after the store (<c>if (OutputBufferLength &lt; needed) status = STATUS_BUFFER_TOO_SMALL</c>) or a failed retrieve
/// may make it a required size reported with a failure status, which copies nothing.
/// </summary>
internal static class StoredInformation
{
    /// <summary>The store of a constant into <paramref name="information"/> that exceeds the request buffer where it was made, or null.</summary>
    public static (ISimpleAssignmentOperation Store, ulong Constant, BufferFacts Buffer)? ConstantBeyondBuffer(
        SizeFunctionResult function, IOperation? information, IInvocationOperation completion, TrackedLocation request, CancellationToken cancellationToken)
    {
        if (OperationUnwrap.Unwrap(information) is not ILocalReferenceOperation local || function.ConstantStores is not { } stores ||
            completion.Syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) is not { } body)
        {
            return null;
        }

        foreach (var (store, state) in stores)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store.Target is not ILocalReferenceOperation target || !SymbolEqualityComparer.Default.Equals(target.Local, local.Local) ||
                store.Syntax.Span.End > completion.Syntax.SpanStart ||
                store.Value.ConstantValue.Value is not { } value || !KnownSizesDomain.TryUnsigned(value, out var constant) || constant == 0 ||
                state.BufferOf(SizeLocations.RequestBuffer(request, output: true)) is not { } buffer ||
                KnownSizesDomain.IsBounded(state, buffer, 0, KnownSizesDomain.ConstantTerm(constant)) != false ||
                !ReachesUntested(body, store.Syntax, completion.Syntax, local.Local.Name))
            {
                continue;
            }

            return (store, constant, buffer);
        }

        return null;
    }

    /// <summary>No test (if, loop, conditional, switch) and no other assignment of <paramref name="name"/> in the text between the store and the completion.</summary>
    private static bool ReachesUntested(SyntaxNode body, SyntaxNode store, SyntaxNode completion, string name)
    {
        var between = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(store.Span.End, completion.SpanStart);
        foreach (var node in body.DescendantNodes(between))
        {
            if (!between.Contains(node.Span))
            {
                continue;
            }

            switch (node)
            {
                case IfStatementSyntax or ConditionalExpressionSyntax or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or
                    ForEachStatementSyntax or SwitchStatementSyntax or SwitchExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.LogicalAndExpression or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.LogicalOrExpression }:
                    return false;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax assigned } when assigned.Identifier.ValueText == name:
                    return false;
            }
        }

        return true;
    }
}
