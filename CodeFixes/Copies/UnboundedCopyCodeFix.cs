using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using DriverBuffers.Analyzers.Copies;
using DriverBuffers.Analyzers.Rules;

namespace DriverBuffers.CodeFixes.Copies;

/// <summary>
/// DRV020: where the overrun side is a memory object's buffer, <c>RtlCopyMemory</c> becomes the bounds-checked
/// <c>WdfMemoryCopyFromBuffer</c>/<c>WdfMemoryCopyToBuffer</c> with its status checked; otherwise a size guard
/// (<c>if (length &gt; size)</c>) is inserted before the copy. Both leave in the method's convention, a guard with
/// <c>STATUS_BUFFER_TOO_SMALL</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedCopyCodeFix)), Shared]
public sealed class UnboundedCopyCodeFix : CodeFixProvider
{
    public const string MemoryCopyKey = "UseCheckedMemoryCopy";
    public const string GuardKey = "InsertSizeGuard";
    private const string TooSmall = "STATUS_BUFFER_TOO_SMALL";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnboundedCopy);

    public override FixAllProvider GetFixAllProvider() => SequentialFixAll.Create(d => d.Location, FixAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var fixedDocument = await FixAsync(context.Document, node, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (fixedDocument is null)
            {
                continue;
            }

            var memory = IsMemoryFix(diagnostic);
            var title = memory
                ? "Use " + MemoryDdi(diagnostic) + " and check its status"
                : "Check the length against the buffer's size";
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(fixedDocument), memory ? MemoryCopyKey : GuardKey),
                diagnostic);
        }
    }

    private static bool IsMemoryFix(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(CopyBoundsAnalyzer.FixProperty, out var fix) && fix == CopyBoundsAnalyzer.FixMemory;

    private static string MemoryDdi(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(CopyBoundsAnalyzer.SideProperty, out var side) && side == CopyBoundsAnalyzer.SideSource
            ? "WdfMemoryCopyToBuffer"
            : "WdfMemoryCopyFromBuffer";

    private static async Task<Document?> FixAsync(Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null ||
            target.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } call ||
            call.Parent is not ExpressionStatementSyntax statement || statement.Parent is not BlockSyntax and not SwitchSectionSyntax)
        {
            return null;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        if (IsMemoryFix(diagnostic))
        {
            return UseMemoryCopy(model, editor, statement, call, diagnostic) ? document.WithSyntaxRoot(editor.GetChangedRoot()) : null;
        }

        return InsertGuard(model, editor, statement, call, diagnostic, cancellationToken) ? document.WithSyntaxRoot(editor.GetChangedRoot()) : null;
    }

    /// <summary><c>RtlCopyMemory(buffer, source, length)</c> → <c>status = WdfMemoryCopyFromBuffer(memory, offset, source, length)</c> + check.</summary>
    private static bool UseMemoryCopy(SemanticModel model, SyntaxEditor editor, ExpressionStatementSyntax statement, InvocationExpressionSyntax call, Diagnostic diagnostic)
    {
        var arguments = call.ArgumentList.Arguments;
        if (arguments.Count != 3 || arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)) ||
            !diagnostic.Properties.TryGetValue(CopyBoundsAnalyzer.MemoryProperty, out var memory) || memory is null ||
            !model.LookupSymbols(statement.SpanStart, name: memory).Any(s => s is ILocalSymbol or IParameterSymbol or IFieldSymbol) ||
            !diagnostic.Properties.TryGetValue(CopyBoundsAnalyzer.OffsetProperty, out var offset) || offset is null)
        {
            return false;
        }

        var toBuffer = MemoryDdi(diagnostic) == "WdfMemoryCopyToBuffer";
        var buffer = toBuffer ? arguments[0].Expression : arguments[1].Expression;
        var checkedCopy = SyntaxFactory.ParseExpression(
            $"{MemoryDdi(diagnostic)}({memory}, {offset}, {buffer.WithoutTrivia()}, {arguments[2].Expression.WithoutTrivia()})");
        var (status, store) = StatusCheck.Store(model, statement, checkedCopy);
        if (status is null || LeaveConvention.Leave(model, statement, status) is not { } leave)
        {
            return false;
        }

        editor.InsertAfter(statement, LeaveConvention.Guard($"!NT_SUCCESS({status})", leave, statement));
        editor.ReplaceNode(statement, store);
        return true;
    }

    /// <summary><c>if (offset + length &gt; size) { leave with STATUS_BUFFER_TOO_SMALL }</c> before the copy.</summary>
    private static bool InsertGuard(
        SemanticModel model, SyntaxEditor editor, ExpressionStatementSyntax statement, InvocationExpressionSyntax call, Diagnostic diagnostic,
        CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(CopyBoundsAnalyzer.SizeProperty, out var sizeText) || sizeText is null ||
            !diagnostic.Properties.TryGetValue(CopyBoundsAnalyzer.OffsetProperty, out var offset) ||
            Length(model, call, cancellationToken) is not { } length ||
            Operand(model, statement.SpanStart, SyntaxFactory.ParseExpression(sizeText)) is not { } size ||
            LeaveConvention.Leave(model, statement, TooSmall) is not { } leave)
        {
            return false;
        }

        var condition = (offset is null or "0" ? string.Empty : offset + " + ") + length + " > " + size;
        editor.InsertBefore(statement, LeaveConvention.Guard(condition, leave, statement));
        return true;
    }

    /// <summary>The number of bytes the copy moves, as an unsigned expression that can be evaluated again without side effects.</summary>
    private static string? Length(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var arguments = call.ArgumentList.Arguments;
        switch (method.Name)
        {
            // DRV020 is found on copy DDIs only: the PVOID accessors are DRV024's, which has no fix.
            case "RtlCopyMemory" or "RtlMoveMemory" when arguments.Count == 3 && arguments[2].NameColon is null:
                return Operand(model, call.SpanStart, arguments[2].Expression);
            default:
                return null;
        }
    }

    /// <summary>
    /// <paramref name="expression"/> as a comparison operand: null when it could have side effects or does not bind
    /// at <paramref name="position"/>, cast to <c>nuint</c> when it is signed.
    /// </summary>
    private static string? Operand(SemanticModel model, int position, ExpressionSyntax expression)
    {
        if (expression.DescendantNodesAndSelf().Any(n =>
                n is AssignmentExpressionSyntax or PostfixUnaryExpressionSyntax or ObjectCreationExpressionSyntax ||
                n is PrefixUnaryExpressionSyntax p && (p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression)) ||
                n is InvocationExpressionSyntax invocation && invocation.Expression.ToString() is not ("MmGetMdlByteCount" or "Math.Min")))
        {
            return null;
        }

        var type = model.GetSpeculativeTypeInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Type;
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        var text = expression.WithoutTrivia().ToString();
        var signed = type.SpecialType is SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_IntPtr;
        var constant = model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Symbol is IFieldSymbol { IsConst: true } ||
                       expression is LiteralExpressionSyntax or SizeOfExpressionSyntax;
        if (!signed || constant)
        {
            return text;
        }

        return expression is IdentifierNameSyntax or MemberAccessExpressionSyntax ? "(nuint)" + text : "(nuint)(" + text + ")";
    }
}
