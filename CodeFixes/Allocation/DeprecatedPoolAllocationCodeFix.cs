using System.Collections.Generic;
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
/// DRV030: rewrites a deprecated allocation as <c>ExAllocatePool2(flags, size, tag)</c> (<c>…WithTagPriority</c>:
/// <c>ExAllocatePool3</c> with a priority parameter), maps the pool type to flags, gives an untagged call a tag,
/// and removes the <c>RtlZeroMemory</c> of the whole block that directly follows (or follows its NULL check),
/// since the new call zeroes. For an executable <c>NonPagedPool</c> it offers the non-executable flag first and
/// <c>POOL_FLAG_NON_PAGED_EXECUTE</c> second. A pool type that is not a known constant gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeprecatedPoolAllocationCodeFix)), Shared]
public sealed class DeprecatedPoolAllocationCodeFix : AllocationCodeFixProvider
{
    public const string NonExecutableKey = RuleIdentifiers.DeprecatedPoolAllocation;
    public const string ExecutableKey = RuleIdentifiers.DeprecatedPoolAllocation + ".KeepExecutable";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.DeprecatedPoolAllocation);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            OfferPoolFlags(context, diagnostic, "Use ExAllocatePool2/3", NonExecutableKey, ExecutableKey);
        }

        return Task.CompletedTask;
    }

    private protected override void Fix(FixState fix, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey)
    {
        var (model, root, api, editor, cancellationToken) = (fix.Model, fix.Root, fix.Api, fix.Editor, fix.CancellationToken);
        var tags = fix.Tags;
        var keepExecutable = equivalenceKey == ExecutableKey;
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (DiagnosticCall.At(root, diagnostic.Location) is not { } call ||
                model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
                PoolCalls.DeprecatedAllocator(fix.Catalog, invocation.TargetMethod) is not { } name ||
                PoolCalls.Argument(invocation, 0) is not { } poolType ||
                PoolTypeMapping.TryMap(api, poolType.Value) is not { } mapping ||
                (keepExecutable && !mapping.IsExecutable) ||
                PoolCalls.Argument(invocation, 1) is not { Syntax: ArgumentSyntax size })
            {
                continue;
            }

            var tag = PoolCalls.IsUntagged(name)
                ? tags.TagFor(call, cancellationToken)
                : (PoolCalls.Argument(invocation, 2)?.Syntax as ArgumentSyntax)?.Expression;
            if (tag is null)
            {
                continue;
            }

            var position = call.SpanStart;
            var flags = Flags(mapping.Flags(keepExecutable, PoolCalls.ChargesQuota(name)), api, model, position);
            var arguments = new List<ArgumentSyntax>
            {
                Argument((ArgumentSyntax)poolType.Syntax, flags),
                size.WithNameColon(null),
                PoolCalls.Argument(invocation, 2)?.Syntax is ArgumentSyntax written
                    ? Argument(written, tag)
                    : SyntaxFactory.Argument(tag),
            };

            var newName = DdiNames.ExAllocatePool2;
            if (name == DdiNames.ExAllocatePoolWithTagPriority)
            {
                if (PoolCalls.Argument(invocation, 3)?.Syntax is not ArgumentSyntax priority ||
                    PriorityParameter(priority.Expression, model, position) is not { } parameter)
                {
                    continue;
                }

                newName = DdiNames.ExAllocatePool3;
                arguments.Add(SyntaxFactory.Argument(parameter).WithTriviaFrom(priority));
                arguments.Add(SyntaxFactory.Argument(
                    SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1))));
            }

            var newCall = call
                .WithExpression(Rename(call.Expression, newName))
                .WithArgumentList(call.ArgumentList.WithArguments(
                    SyntaxFactory.SeparatedList(arguments, Separators(call.ArgumentList, arguments.Count))));
            editor.ReplaceNode(call, newCall);

            if (RedundantZeroing(call, size.Expression, model, api, cancellationToken) is { } zeroing)
            {
                RemoveKeepingLayout(editor, zeroing);
            }
        }

    }

    /// <summary>The flags joined with <c>|</c>, each named the way the file can say it.</summary>
    internal static ExpressionSyntax Flags(ImmutableArray<string> names, DriverApi api, SemanticModel model, int position)
    {
        ExpressionSyntax? result = null;
        foreach (var name in names)
        {
            var flag = SyntaxNames.Member(api.Wdm, name, model, position) ?? SyntaxFactory.IdentifierName(name);
            result = result is null ? flag : SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, result, flag);
        }

        return (result ?? SyntaxFactory.IdentifierName(PoolTypeMapping.FlagNonPaged)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// The <c>RtlZeroMemory(p, size)</c> of the whole new block right after the allocation statement, or right after
    /// its <c>if (p == NULL) { ...leave... }</c>; null when there is none.
    /// </summary>
    private static StatementSyntax? RedundantZeroing(
        InvocationExpressionSyntax call, ExpressionSyntax size, SemanticModel model, DriverApi api, CancellationToken cancellationToken)
    {
        if (StatementContext.Of(call) is not { } context)
        {
            return null;
        }

        var next = context.Next(1);
        if (context.IsNullCheckThatLeaves(next, model, api, cancellationToken))
        {
            next = context.Next(2);
        }

        return next is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax zero } &&
               model.GetOperation(zero, cancellationToken) is IInvocationOperation zeroing &&
               api.IsWdm(zeroing.TargetMethod, DdiNames.RtlZeroMemory) &&
               PoolCalls.Argument(zeroing, 0)?.Syntax is ArgumentSyntax destination &&
               PoolCalls.Argument(zeroing, 1)?.Syntax is ArgumentSyntax length &&
               context.IsTarget(destination.Expression) &&
               SyntaxFactory.AreEquivalent(length.Expression, size)
            ? next
            : null;
    }

    /// <summary>
    /// Removes a statement but keeps what its leading trivia carried for the code around it: comments, and the
    /// blank line that separated it from the statement before, both move to the statement after.
    /// </summary>
    private static void RemoveKeepingLayout(SyntaxEditor editor, StatementSyntax statement)
    {
        var list = statement.Parent switch
        {
            BlockSyntax block => block.Statements,
            SwitchSectionSyntax section => section.Statements,
            _ => default,
        };
        var index = list.IndexOf(statement);
        var leading = statement.GetLeadingTrivia();
        while (leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
        {
            leading = leading.RemoveAt(leading.Count - 1);
        }

        editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepUnbalancedDirectives);
        if (index < 0 || index + 1 >= list.Count || leading.Count == 0)
        {
            return;
        }

        var hasComments = leading.Any(t => !t.IsKind(SyntaxKind.EndOfLineTrivia) && !t.IsKind(SyntaxKind.WhitespaceTrivia));
        editor.ReplaceNode(list[index + 1], (next, _) =>
        {
            var nextLeading = next.GetLeadingTrivia();
            var blankAlready = nextLeading.Count > 0 && nextLeading[0].IsKind(SyntaxKind.EndOfLineTrivia);
            return hasComments || !blankAlready ? next.WithLeadingTrivia(leading.AddRange(nextLeading)) : next;
        });
    }

    /// <summary><c>new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = priority }</c>.</summary>
    private static ExpressionSyntax? PriorityParameter(ExpressionSyntax priority, SemanticModel model, int position)
    {
        var parameterType = model.Compilation.GetTypeByMetadataName("DriverBuffers.POOL_EXTENDED_PARAMETER");
        var kindType = model.Compilation.GetTypeByMetadataName("DriverBuffers.POOL_EXTENDED_PARAMETER_TYPE");
        var wdm = model.Compilation.GetTypeByMetadataName("DriverBuffers.Wdm");
        if (parameterType is null || kindType is null)
        {
            return null;
        }

        const string PriorityKind = "PoolExtendedParameterPriority";
        var kind = (wdm is null ? null : SyntaxNames.Member(wdm, PriorityKind, model, position)) ??
                   SyntaxNames.Member(kindType, PriorityKind, model, position);
        if (kind is null)
        {
            return null;
        }

        return SyntaxFactory.ObjectCreationExpression((TypeSyntax)SyntaxNames.For(parameterType, model, position))
            .WithArgumentList(null)
            .WithInitializer(SyntaxFactory.InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                SyntaxFactory.SeparatedList<ExpressionSyntax>(new[]
                {
                    Assign("Type", kind),
                    Assign("Priority", priority.WithoutTrivia()),
                })))
            .WithAdditionalAnnotations(Formatter.Annotation);

        static ExpressionSyntax Assign(string property, ExpressionSyntax value) =>
            SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(property), value);
    }

    /// <summary>The call's name replaced, keeping a qualifier such as <c>Wdm.</c>.</summary>
    internal static ExpressionSyntax Rename(ExpressionSyntax expression, string name) => expression switch
    {
        MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(access.Name)),
        _ => SyntaxFactory.IdentifierName(name).WithTriviaFrom(expression),
    };

    /// <summary>An argument written in place of <paramref name="original"/>, keeping its trivia, positionally.</summary>
    internal static ArgumentSyntax Argument(ArgumentSyntax original, ExpressionSyntax expression) =>
        original.WithNameColon(null).WithExpression(expression.WithTriviaFrom(original.Expression));

    /// <summary>The call's own separators (with their trivia) as far as they go, then <c>", "</c>.</summary>
    internal static IEnumerable<SyntaxToken> Separators(ArgumentListSyntax list, int argumentCount)
    {
        for (var i = 0; i < argumentCount - 1; i++)
        {
            yield return i < list.Arguments.SeparatorCount
                ? list.Arguments.GetSeparator(i)
                : SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
        }
    }
}
