using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// DRV023's information held in a local that was given a value on one path and is no longer that value where the request
/// is completed, judged where it was stored, against the request's buffer as known there: a constant (KbFiltr:
/// <c>bytesTransferred = sizeof(KEYBOARD_ATTRIBUTES)</c> on one switch case, 0 on the others), or a number read from a
/// field or property that the driver has just used as the length of a copy (NONPNP: <c>RtlCopyMemory(outBuf, Data,
/// DataLength); information = DataLength;</c>), so it is a length of data and not some other count. Only a store that
/// reaches the completion with no test and no other store of the local between them (in the text; the other sections of
/// a switch the store is in are never reached from it) counts: a test after the store (<c>if (OutputBufferLength &lt;
/// needed) status = STATUS_BUFFER_TOO_SMALL</c>) or a failed retrieve may make it a required size reported with a failure
/// status, which copies nothing.
/// </summary>
internal static class StoredInformation
{
    /// <summary>The store into <paramref name="information"/> that exceeds the request's output buffer where it was made, or null.</summary>
    public static (ISimpleAssignmentOperation Store, Term Length, BufferFacts Buffer)? BeyondBuffer(
        SizeDdis ddis, SizeFunctionResult function, IOperation? information, IInvocationOperation completion, TrackedLocation request,
        CancellationToken cancellationToken)
    {
        if (OperationUnwrap.Unwrap(information) is not ILocalReferenceOperation local || function.LocalStores is not { } stores ||
            completion.Syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) is not { } body)
        {
            return null;
        }

        foreach (var (store, state) in stores)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store.Target is not ILocalReferenceOperation target || !SymbolEqualityComparer.Default.Equals(target.Local, local.Local) ||
                store.Syntax.Span.End > completion.Syntax.SpanStart ||
                state.BufferOf(SizeLocations.RequestBuffer(request, output: true)) is not { } buffer ||
                StoredLength(ddis, function, store, state, body, local.Local.Name) is not { } length ||
                KnownSizesDomain.IsBounded(state, buffer, 0, length) != false ||
                !ReachesUntested(body, store.Syntax, completion.Syntax, local.Local.Name))
            {
                continue;
            }

            return (store, length, buffer);
        }

        return null;
    }

    /// <summary>
    /// The value a store gives the information: a non-zero constant (written as one, or a local that holds one there on every
    /// path: hid/hidusbfx2's <c>bytesReturned = bytesToCopy</c> after <c>bytesToCopy = sizeof(HIDFX2_INPUT_REPORT)</c>), or a
    /// member just used as a copy's length.
    /// </summary>
    private static Term? StoredLength(
        SizeDdis ddis, SizeFunctionResult function, ISimpleAssignmentOperation store, SizeState state, SyntaxNode body, string name)
    {
        if (store.Value.ConstantValue.HasValue)
        {
            return store.Value.ConstantValue.Value is { } value && KnownSizesDomain.TryUnsigned(value, out var constant) && constant != 0
                ? KnownSizesDomain.ConstantTerm(constant)
                : null;
        }

        if (OperationUnwrap.Unwrap(store.Value) is ILocalReferenceOperation)
        {
            // At least and at most the same constant on every path to the store.
            var held = function.Sizes.Evaluate(state, store.Value).Facts;
            return held.Min != 0 && held.Upper.SmallestConstant() == held.Min ? KnownSizesDomain.ConstantTerm(held.Min) : null;
        }

        if (function.Sizes.LocationOf(store.Value) is not { } member || function.Calls is not { } calls)
        {
            return null;
        }

        foreach (var (call, _) in calls)
        {
            if (call.Syntax.Span.End <= store.Syntax.SpanStart && ddis.TryGetCopySite(call) is { Length: { } copied } &&
                member.Equals(function.Sizes.LocationOf(copied)) && ReachesUntested(body, call.Syntax, store.Syntax, name))
            {
                return function.Sizes.Evaluate(state, store.Value);
            }
        }

        return null;
    }

    /// <summary>
    /// No test (if, loop, conditional, switch) and no other assignment of <paramref name="name"/> in the text between
    /// <paramref name="from"/> and <paramref name="to"/>, outside the other sections of a switch <paramref name="from"/> is in
    /// and the <c>else</c> branches of the <c>if</c>s whose taken branch it is in (never reached from it either).
    /// </summary>
    private static bool ReachesUntested(SyntaxNode body, SyntaxNode from, SyntaxNode to, string name)
    {
        var between = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(from.Span.End, to.SpanStart);
        var section = from.FirstAncestorOrSelf<SwitchSectionSyntax>();
        bool Reachable(SyntaxNode node) =>
            (section is null || node is not SwitchSectionSyntax other || other == section || other.Parent != section.Parent) &&
            (node is not ElseClauseSyntax { Parent: IfStatementSyntax taken } || !taken.Statement.Span.Contains(from.Span));
        foreach (var node in body.DescendantNodes(between, Reachable))
        {
            if (!between.Contains(node.Span) || !Reachable(node))
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
