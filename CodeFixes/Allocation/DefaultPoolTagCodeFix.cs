using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.CodeFixes.Allocation;

/// <summary>
/// DRV035: the type's own pool tag instead of a default one. The tag is chosen as DRV030's fix chooses one
/// (<see cref="PoolTagChooser"/>): the one non-default tag constant the type already uses, else a new
/// <c>private const uint PoolTag = 0x…; // "Name" in pool dumps</c> made of the type's name, declared once per type.
/// The type's <c>ExFreePoolWithTag</c> calls that gave the same default tag get the same constant, so the frees keep
/// matching their allocations (no DRV034 after the fix).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DefaultPoolTagCodeFix)), Shared]
public sealed class DefaultPoolTagCodeFix : AllocationCodeFixProvider
{
    public const string Key = RuleIdentifiers.DefaultPoolTag;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.DefaultPoolTag);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            Offer(context, diagnostic, "Use a pool tag of the driver's own", Key);
        }

        return Task.CompletedTask;
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        var (model, root, editor, cancellationToken) = (fix.Model, fix.Root, fix.Editor, fix.CancellationToken);
        var replaced = new HashSet<SyntaxNode>();
        var defaults = new Dictionary<TypeDeclarationSyntax, HashSet<uint>>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax { Parent: ArgumentSyntax argument } ||
                model.GetOperation(argument, cancellationToken) is not IArgumentOperation { Value.ConstantValue: { HasValue: true, Value: uint tag } } ||
                argument.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type ||
                !Replace(fix, argument, replaced))
            {
                continue;
            }

            if (!defaults.TryGetValue(type, out var values))
            {
                defaults[type] = values = new HashSet<uint>();
            }

            values.Add(tag);
        }

        // The frees of the same type that gave one of the replaced default tags get the new tag too.
        foreach (var entry in defaults)
        {
            foreach (var call in entry.Key.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (call.FirstAncestorOrSelf<TypeDeclarationSyntax>() == entry.Key &&
                    model.GetOperation(call, cancellationToken) is IInvocationOperation free &&
                    fix.Catalog.Has(free.TargetMethod, DdiRole.FreesPool) &&
                    PoolCalls.Argument(free, 1) is { Syntax: ArgumentSyntax freeTag, Value.ConstantValue: { HasValue: true, Value: uint value } } &&
                    entry.Value.Contains(value))
                {
                    Replace(fix, freeTag, replaced);
                }
            }
        }
    }

    private static bool Replace(FixState fix, ArgumentSyntax argument, HashSet<SyntaxNode> replaced)
    {
        if (!replaced.Add(argument) || fix.Tags.TagFor(argument, fix.CancellationToken) is not { } tag)
        {
            return false;
        }

        fix.Editor.ReplaceNode(argument.Expression, tag.WithTriviaFrom(argument.Expression));
        return true;
    }
}
