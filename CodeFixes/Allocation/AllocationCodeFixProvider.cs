using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.CodeFixes.Shared;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// The shape every Allocation fix shares: one routine fixes a set of diagnostics of one document together, for
/// the code action the user chose (its equivalence key). A single fix calls it with one diagnostic, Fix All (in
/// a document, project or solution) with every diagnostic of a document, so both write the same code: a new tag
/// constant is declared once per type, and fixes that touch the same statement list are applied in one edit.
/// </summary>
public abstract class AllocationCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() =>
        DocumentBatchFixAll.Create((document, diagnostics, key, cancellationToken) =>
            key is null ? Task.FromResult(document) : FixAsync(document, diagnostics, key, cancellationToken));

    /// <summary>
    /// Applies the action <paramref name="equivalenceKey"/> to every diagnostic in <paramref name="diagnostics"/>
    /// (all in the document of <paramref name="fix"/>) that offers it, through <see cref="FixState.Editor"/>.
    /// </summary>
    private protected abstract void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey);

    private async Task<Document> FixAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (await FixState.CreateAsync(document, cancellationToken).ConfigureAwait(false) is not { } fix)
        {
            return document;
        }

        Fix(fix, diagnostics, equivalenceKey);
        foreach (var (type, field) in fix.Tags.NewConstants())
        {
            fix.Editor.InsertMembers(type, 0, new SyntaxNode[] { field });
        }

        return document.WithSyntaxRoot(fix.Editor.GetChangedRoot());
    }

    /// <summary>Offers the action <paramref name="equivalenceKey"/> for <paramref name="diagnostic"/>.</summary>
    private protected void Offer(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey)
    {
        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(
                title,
                cancellationToken => FixAsync(document, ImmutableArray.Create(diagnostic), equivalenceKey, cancellationToken),
                equivalenceKey),
            diagnostic);
    }

    /// <summary>
    /// Offers the pool-type-to-flags fixes of a DRV030/DRV033 diagnostic whose pool type maps: for an executable
    /// pool type the non-executable form first (<paramref name="key"/>) and the executable one second.
    /// </summary>
    private protected void OfferPoolFlags(CodeFixContext context, Diagnostic diagnostic, string title, string key, string executableKey)
    {
        if (!diagnostic.Properties.ContainsKey(DeprecatedPoolAllocationAnalyzer.MappableProperty))
        {
            return;
        }

        var executable = diagnostic.Properties.ContainsKey(DeprecatedPoolAllocationAnalyzer.ExecutableProperty);
        Offer(context, diagnostic, executable ? title + " for non-executable pool" : title, key);
        if (executable)
        {
            Offer(context, diagnostic, title + " for executable pool (POOL_FLAG_NON_PAGED_EXECUTE)", executableKey);
        }
    }

    /// <summary>What a fix of one document works with: its tree and model, the API, the editor, the tag chooser.</summary>
    private protected sealed class FixState
    {
        private PoolTagChooser? _tags;

        private FixState(SemanticModel model, SyntaxNode root, DdiCatalog catalog, SyntaxEditor editor, CancellationToken cancellationToken)
        {
            Model = model;
            Root = root;
            Catalog = catalog;
            Api = catalog.Api;
            Editor = editor;
            CancellationToken = cancellationToken;
        }

        public SemanticModel Model { get; }

        public SyntaxNode Root { get; }

        public DriverApi Api { get; }

        /// <summary>The DDI catalog of the compilation (DDIs are matched by symbol through their roles).</summary>
        public DdiCatalog Catalog { get; }

        public SyntaxEditor Editor { get; }

        public CancellationToken CancellationToken { get; }

        /// <summary>Tags for untagged allocations; the new constants it needs are declared after the fix.</summary>
        public PoolTagChooser Tags => _tags ??= new PoolTagChooser(Model, Catalog);

        /// <summary>The fix state of <paramref name="document"/>, or null when it does not use the API.</summary>
        public static async Task<FixState?> CreateAsync(Document document, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            return model is null || root is null || AnalysisSession.For(model.Compilation) is not { } session
                ? null
                : new FixState(model, root, session.Catalog, new SyntaxEditor(root, document.Project.Solution.Services), cancellationToken);
        }

        /// <summary>The call at (or around) a diagnostic location.</summary>
        public InvocationExpressionSyntax? Call(Location location) =>
            DiagnosticCall.At(Root, location);

        /// <summary>The call's operation, at (or around) a diagnostic location.</summary>
        public IInvocationOperation? Invocation(Location location) =>
            Call(location) is { } call ? Model.GetOperation(call, CancellationToken) as IInvocationOperation : null;
    }
}
