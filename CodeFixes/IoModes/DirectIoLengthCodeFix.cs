using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.IoModes;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace DriverBuffers.CodeFixes.IoModes;

/// <summary>
/// DRV043: replaces <c>stack.Parameters.Read.Length</c> (or <c>.Write.Length</c>) with
/// <c>MmGetMdlByteCount(Irp.MdlAddress)</c> for the same IRP variable, keeping the surrounding trivia.
/// Offered only when the name of the IRP variable binds, where the length was read, to that very variable (not one
/// that shadows it).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DirectIoLengthCodeFix))]
[Shared]
public sealed class DirectIoLengthCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = "DRV043.MmGetMdlByteCount";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.DirectIoLengthFromParameters);

    // Not WellKnownFixAllProviders.BatchFixer: it builds a CodeFixContext per diagnostic, which refuses a diagnostic
    // located in an earlier version of the document (dotnet format hands those over after another rule's fixes).
    public override FixAllProvider GetFixAllProvider() =>
        DocumentBatchFixAll.ReplacingNodes((root, model, diagnostic, cancellationToken) =>
            Fixable(root, model, diagnostic, cancellationToken) is { } fix ? (fix.Read, fix.Replacement) : null);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Fixable(root, model, diagnostic, context.CancellationToken) is not { } fix)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use MmGetMdlByteCount({fix.IrpName}.MdlAddress)",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(fix.Read, fix.Replacement))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The length read the diagnostic marks, the IRP's name and <c>MmGetMdlByteCount(irp.MdlAddress)</c> in its place,
    /// when the IRP's name binds there to the analyzer's variable.
    /// </summary>
    private static (ExpressionSyntax Read, string IrpName, ExpressionSyntax Replacement)? Fixable(
        SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax read &&
        NamedVariable.Bind(model, diagnostic, DirectIoLengthAnalyzer.IrpProperty, DirectIoLengthAnalyzer.IrpDeclarationProperty, read.SpanStart)
            is { } bound &&
        Replacement(model, read, bound.Name, bound.Symbol, cancellationToken) is { } replacement
            ? (read, bound.Name.Identifier.ValueText, replacement)
            : null;

    /// <summary><c>MmGetMdlByteCount(irp.MdlAddress)</c> with the read's trivia, or null when the names do not bind there.</summary>
    private static ExpressionSyntax? Replacement(
        SemanticModel model, ExpressionSyntax read, IdentifierNameSyntax irp, ISymbol irpSymbol, CancellationToken ct)
    {
        var position = read.SpanStart;
        if (model.Compilation.GetTypeByMetadataName("DriverBuffers.IRP") is not { } irpType ||
            !SymbolEqualityComparer.Default.Equals(TypeOf(irpSymbol), irpType))
        {
            return null;
        }

        ExpressionSyntax function = SyntaxFactory.IdentifierName("MmGetMdlByteCount");
        var bound = model.GetSpeculativeSymbolInfo(position, function, SpeculativeBindingOption.BindAsExpression);
        var boundMethod = bound.Symbol ?? (bound.CandidateSymbols.Length > 0 ? bound.CandidateSymbols[0] : null);
        if (boundMethod?.ContainingType?.ToDisplayString() != "DriverBuffers.Wdm")
        {
            function = SyntaxFactory.ParseExpression("global::DriverBuffers.Wdm.MmGetMdlByteCount")
                .WithAdditionalAnnotations(Simplifier.Annotation);
        }

        ct.ThrowIfCancellationRequested();
        var call = SyntaxFactory.InvocationExpression(
            function,
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression, irp, SyntaxFactory.IdentifierName("MdlAddress"))))));
        return call.WithTriviaFrom(read);
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };
}
