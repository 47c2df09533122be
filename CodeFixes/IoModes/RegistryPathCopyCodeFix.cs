using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.IoModes;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Allocation;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DriverBuffers.CodeFixes.IoModes;

/// <summary>
/// DRV046: <c>Saved = RegistryPath;</c> becomes a copy in driver-owned memory, the fix RULES.md names:
/// <code>
/// UNICODE_STRING registryPathCopy = new UNICODE_STRING { MaximumLength = (ushort)(RegistryPath.Length + 2) };
/// registryPathCopy.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, registryPathCopy.MaximumLength, PoolTag);
/// if (registryPathCopy.Buffer != NULL) { RtlCopyUnicodeString(registryPathCopy, RegistryPath); }
/// Saved = registryPathCopy;
/// </code>
/// Offered for an assignment statement of the RegistryPath itself (the analyzer says which); the tag is the type's
/// tag constant, or a new <c>PoolTag</c> (declared once per type, also in Fix All). The copy is the driver's to free
/// at unload.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RegistryPathCopyCodeFix))]
[Shared]
public sealed class RegistryPathCopyCodeFix : CodeFixProvider
{
    public const string EquivalenceKey = "DRV046.CopyWithRtlCopyUnicodeString";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RegistryPathKept);

    public override FixAllProvider GetFixAllProvider() =>
        DocumentBatchFixAll.Create((document, diagnostics, key, cancellationToken) =>
            key is null ? Task.FromResult(document) : FixAsync(document, diagnostics, cancellationToken));

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(RegistryPathKeptAnalyzer.CopyFromProperty))
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Keep a copy made with RtlCopyUnicodeString in driver-owned memory",
                        ct => FixAsync(document, ImmutableArray.Create(diagnostic), ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null || AnalysisSession.For(model.Compilation) is not { } session)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        var tags = new PoolTagChooser(model, session.Catalog);
        var names = new LocalNames();
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(RegistryPathKeptAnalyzer.CopyFromProperty, out var path) || path is null ||
                root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not AssignmentExpressionSyntax assignment ||
                assignment.Parent is not ExpressionStatementSyntax statement || statement.Parent is not BlockSyntax ||
                tags.TagFor(statement, cancellationToken) is not { } tag)
            {
                continue;
            }

            var copy = names.Allocate(model, statement, "registryPathCopy");
            var before = new List<StatementSyntax>
            {
                StatementInsertion.Statement($"UNICODE_STRING {copy} = new UNICODE_STRING {{ MaximumLength = (ushort)({path}.Length + 2) }};"),
                StatementInsertion.Statement($"{copy}.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, {copy}.MaximumLength, {tag});"),
                StatementInsertion.Statement($"if ({copy}.Buffer != NULL) {{ RtlCopyUnicodeString({copy}, {path}); }}"),
            };
            var replacement = statement.WithExpression(assignment.WithRight(
                Microsoft.CodeAnalysis.CSharp.SyntaxFactory.IdentifierName(copy).WithTriviaFrom(assignment.Right)));
            StatementInsertion.Insert(editor, statement, replacement, before, new List<StatementSyntax>(), returnsValue: false);
        }

        foreach (var (type, field) in tags.NewConstants())
        {
            editor.InsertMembers(type, 0, new SyntaxNode[] { field });
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }
}
