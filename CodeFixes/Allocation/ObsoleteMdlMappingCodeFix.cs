using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// DRV032: <c>MmGetSystemAddressForMdl(mdl)</c> becomes <c>MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority |
/// MdlMappingNoExecute)</c>. Where the result is stored in a variable that is not already tested for NULL, and
/// the method has a convention for failure, the first fix also adds the NULL check, leaving with
/// <c>STATUS_INSUFFICIENT_RESOURCES</c> in that convention (see <see cref="ExitConvention"/>; not offered where the
/// method could only drop the status with a plain <c>return;</c>); the second fix (always offered) only replaces the call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ObsoleteMdlMappingCodeFix)), Shared]
public sealed class ObsoleteMdlMappingCodeFix : AllocationCodeFixProvider
{
    public const string WithNullCheckKey = RuleIdentifiers.ObsoleteMdlMapping + ".WithNullCheck";
    public const string CallOnlyKey = RuleIdentifiers.ObsoleteMdlMapping;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.ObsoleteMdlMapping);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null || root is null || DriverApi.TryGet(model.Compilation) is not { } api)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Call(root, diagnostic) is not { } call)
            {
                continue;
            }

            if (NullCheck(call, model, api, context.CancellationToken) is not null)
            {
                Offer(context, diagnostic, "Use MmGetSystemAddressForMdlSafe and check the result for NULL", WithNullCheckKey);
            }

            Offer(context, diagnostic, "Use MmGetSystemAddressForMdlSafe", CallOnlyKey);
        }
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        var (model, root, api, editor, cancellationToken) = (fix.Model, fix.Root, fix.Api, fix.Editor, fix.CancellationToken);
        foreach (var diagnostic in diagnostics)
        {
            if (Call(root, diagnostic) is not { } call ||
                call.ArgumentList.Arguments.Count != 1 ||
                SyntaxNames.Member(api.Wdm, PoolCalls.NormalPagePriority, model, call.SpanStart) is not { } normal ||
                SyntaxNames.Member(api.Wdm, PoolCalls.MdlMappingNoExecute, model, call.SpanStart) is not { } noExecute)
            {
                continue;
            }

            var mdl = call.ArgumentList.Arguments[0].WithNameColon(null);
            var priority = SyntaxFactory.Argument(SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, normal, noExecute));
            var safeCall = call
                .WithExpression(DeprecatedPoolAllocationCodeFix.Rename(call.Expression, DdiNames.MmGetSystemAddressForMdlSafe))
                .WithArgumentList(call.ArgumentList.WithArguments(
                    SyntaxFactory.SeparatedList(new[] { mdl, priority }, DeprecatedPoolAllocationCodeFix.Separators(call.ArgumentList, 2))));
            editor.ReplaceNode(call, safeCall);

            if (equivalenceKey == WithNullCheckKey &&
                NullCheck(call, model, api, cancellationToken) is { } check &&
                StatementContext.Of(call) is { } context)
            {
                editor.InsertAfter(context.Statement, check);
            }
        }
    }

    private static InvocationExpressionSyntax? Call(SyntaxNode root, Diagnostic diagnostic) =>
        DiagnosticCall.At(root, diagnostic.Location);

    /// <summary>
    /// The <c>if (va == NULL) { ... }</c> to add after the statement storing the call's result, or null when the
    /// result is not stored in a statement of a block, is already tested for NULL right after, or the method has
    /// no recognisable convention.
    /// </summary>
    private static StatementSyntax? NullCheck(
        InvocationExpressionSyntax call, SemanticModel model, DriverApi api, CancellationToken cancellationToken)
    {
        if (StatementContext.Of(call) is not { } context ||
            context.Next(1) is IfStatementSyntax next && context.IsNullTest(next.Condition, model, api, cancellationToken))
        {
            return null;
        }

        if (ExitConvention.Of(model, context.Statement, cancellationToken) is not { Kind: not ExitKind.Return } exit ||
            SyntaxNames.Member(api.Wdm, PoolCalls.StatusInsufficientResources, model, context.Statement.SpanStart) is not { } insufficient ||
            SyntaxNames.Member(api.Wdf, "WdfRequestComplete", model, context.Statement.SpanStart) is not { } complete ||
            SyntaxNames.Member(api.Wdm, PoolCalls.Null, model, call.SpanStart) is not { } nullName)
        {
            return null;
        }

        var leave = exit.Statements(insufficient, complete);

        return SyntaxFactory.IfStatement(
                SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, context.Target, nullName),
                SyntaxFactory.Block(leave))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
