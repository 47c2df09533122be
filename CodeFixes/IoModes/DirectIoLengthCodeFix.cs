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

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax read ||
                NamedVariable.Bind(model, diagnostic, DirectIoLengthAnalyzer.IrpProperty, DirectIoLengthAnalyzer.IrpDeclarationProperty, read.SpanStart)
                    is not { } bound ||
                Replacement(model, read, bound.Name, bound.Symbol, context.CancellationToken) is not { } replacement)
            {
                continue;
            }

            var irpName = bound.Name.Identifier.ValueText;

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use MmGetMdlByteCount({irpName}.MdlAddress)",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(read, replacement))),
                    EquivalenceKey),
                diagnostic);
        }
    }

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
