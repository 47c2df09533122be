using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// DRV033: writes the <c>POOL_FLAGS</c> that match the pool type given to <c>ExAllocatePool2/3</c> (the DRV030
/// mapping; for an executable <c>NonPagedPool</c> the non-executable flag first, <c>POOL_FLAG_NON_PAGED_EXECUTE</c>
/// second), and replaces a tag of 0 with the type's tag constant (or a new one).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PoolTypeAsPoolFlagsCodeFix)), Shared]
public sealed class PoolTypeAsPoolFlagsCodeFix : AllocationCodeFixProvider
{
    public const string FlagsKey = RuleIdentifiers.PoolTypeAsPoolFlags + ".Flags";
    public const string ExecutableFlagsKey = RuleIdentifiers.PoolTypeAsPoolFlags + ".FlagsKeepExecutable";
    public const string TagKey = RuleIdentifiers.PoolTypeAsPoolFlags + ".Tag";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.PoolTypeAsPoolFlags);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            diagnostic.Properties.TryGetValue(PoolTypeAsPoolFlagsAnalyzer.KindProperty, out var kind);
            if (kind == PoolTypeAsPoolFlagsAnalyzer.TagKind)
            {
                Offer(context, diagnostic, "Use the type's pool tag", TagKey);
            }
            else
            {
                OfferPoolFlags(context, diagnostic, "Use the matching POOL_FLAGS", FlagsKey, ExecutableFlagsKey);
            }
        }

        return Task.CompletedTask;
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        var (model, root, api, editor, cancellationToken) = (fix.Model, fix.Root, fix.Api, fix.Editor, fix.CancellationToken);
        var tags = fix.Tags;
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax { Parent: ArgumentSyntax argument } expression)
            {
                continue;
            }

            diagnostic.Properties.TryGetValue(PoolTypeAsPoolFlagsAnalyzer.KindProperty, out var kind);
            ExpressionSyntax? replacement;
            if (kind == PoolTypeAsPoolFlagsAnalyzer.TagKind)
            {
                replacement = equivalenceKey == TagKey ? tags.TagFor(expression, cancellationToken) : null;
            }
            else
            {
                var keepExecutable = equivalenceKey == ExecutableFlagsKey;
                replacement = equivalenceKey is FlagsKey or ExecutableFlagsKey &&
                              model.GetOperation(argument, cancellationToken) is IArgumentOperation { Value: IConversionOperation conversion } &&
                              PoolTypeMapping.TryMap(api, conversion.Operand) is { } mapping &&
                              (!keepExecutable || mapping.IsExecutable)
                    ? DeprecatedPoolAllocationCodeFix.Flags(mapping.Flags(keepExecutable, chargesQuota: false), api, model, expression.SpanStart)
                    : null;
            }

            if (replacement is not null)
            {
                editor.ReplaceNode(argument.Expression, replacement.WithTriviaFrom(argument.Expression));
            }
        }

    }
}
