using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Reuse;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DriverBuffers.CodeFixes.Reuse;

/// <summary>
/// DRV010: reuse the driver-created request before the completion (reading first what the completion takes from
/// it: its completion parameters, <c>WdfRequestGetStatus</c>). DRV011: reuse it before the format or send.
/// DRV012: set its completion routine and context again after the reuse. A Fix All over a document applies every
/// fix in one edit, with names that clash neither with the code nor with each other.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertReuseCodeFixProvider)), Shared]
public sealed class InsertReuseCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        RuleIdentifiers.MissingReuseBeforeCompletion,
        RuleIdentifiers.ReformatWithoutReuse,
        RuleIdentifiers.ReusedRequestWithoutCompletionRoutine);

    public override FixAllProvider GetFixAllProvider() =>
        DocumentBatchFixAll.Create((document, diagnostics, _, cancellationToken) => FixAsync(document, diagnostics, cancellationToken));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, semanticModel, diagnostic, context.CancellationToken) is null ||
                !await CompilesAsWellAsync(context.Document, semanticModel, diagnostic, context.CancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var title = diagnostic.Id == RuleIdentifiers.ReusedRequestWithoutCompletionRoutine
                ? $"Set the completion routine again after WdfRequestReuse"
                : $"Call WdfRequestReuse on '{diagnostic.Properties[DriverCreatedRequestAnalyzer.RequestProperty]}' first";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ct), diagnostic.Id),
                diagnostic);
        }
    }

    /// <summary>Where a fix goes: the anchor to insert at, and whether the new statements go after it.</summary>
    private sealed class Placement
    {
        public Placement(SyntaxNode anchor, InvocationExpressionSyntax call, bool after)
        {
            Anchor = anchor;
            Call = call;
            After = after;
        }

        public SyntaxNode Anchor { get; }

        /// <summary>The call the statements are placed around (the flagged call, or the reuse for DRV012).</summary>
        public InvocationExpressionSyntax Call { get; }

        public bool After { get; }
    }

    private static Placement? Plan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var placement = PlanAnywhere(root, diagnostic);
        if (placement is null || RunsAgainWithoutTheInsertion(placement))
        {
            return null;
        }

        if (placement.After || diagnostic.Id == RuleIdentifiers.ReusedRequestWithoutCompletionRoutine)
        {
            return placement;
        }

        return IsAssignedAt(semanticModel, placement.Anchor, diagnostic.Properties[DriverCreatedRequestAnalyzer.RequestProperty]!, cancellationToken)
            ? placement
            : null;
    }

    /// <summary>
    /// True when <paramref name="request"/> names, where <paramref name="anchor"/> starts, the same request and, if it
    /// is a local, one that is definitely assigned there (a completion after a <c>goto</c> from before the
    /// <c>WdfRequestCreate</c> could otherwise not compile).
    /// </summary>
    private static bool IsAssignedAt(SemanticModel semanticModel, SyntaxNode anchor, string request, CancellationToken cancellationToken)
    {
        var expression = SyntaxFactory.ParseExpression(request);
        var symbol = semanticModel.GetSpeculativeSymbolInfo(anchor.SpanStart, expression, SpeculativeBindingOption.BindAsExpression).Symbol;
        if (symbol is null)
        {
            return false;
        }

        if (symbol is not ILocalSymbol local)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var flow = anchor is StatementSyntax statement
                ? semanticModel.AnalyzeDataFlow(statement)
                : anchor is ExpressionSyntax body ? semanticModel.AnalyzeDataFlow(body) : null;
            return flow is { Succeeded: true } && flow.DefinitelyAssignedOnEntry.Contains(local, SymbolEqualityComparer.Default);
        }
        catch (ArgumentException)
        {
            return false; // not a region data flow analysis can take: offer nothing rather than guess
        }
    }

    /// <summary>The last safety net for the fix offered one at a time: it adds no compiler error to the document.</summary>
    private static async Task<bool> CompilesAsWellAsync(Document document, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var fixedDocument = await FixAsync(document, ImmutableArray.Create(diagnostic), cancellationToken).ConfigureAwait(false);
        var fixedModel = await fixedDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (fixedModel is null)
        {
            return false;
        }

        static int Errors(SemanticModel model, CancellationToken cancellationToken) =>
            model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);

        return Errors(fixedModel, cancellationToken) <= Errors(semanticModel, cancellationToken);
    }

    /// <summary>
    /// True when the call is part of a loop's condition or increment while the statements would go before the loop:
    /// they would run once, the call each iteration, and the finding would stay.
    /// </summary>
    private static bool RunsAgainWithoutTheInsertion(Placement placement)
    {
        if (placement.After)
        {
            return false;
        }

        var body = placement.Anchor switch
        {
            WhileStatementSyntax loop => loop.Statement,
            DoStatementSyntax loop => loop.Statement,
            ForStatementSyntax loop => loop.Statement,
            _ => null,
        };
        return body is not null && !body.Span.Contains(placement.Call.Span);
    }

    private static Placement? PlanAnywhere(SyntaxNode root, Diagnostic diagnostic)
    {
        if (DiagnosticCall.At(root, diagnostic.Location) is not { } flagged)
        {
            return null;
        }

        if (diagnostic.Id != RuleIdentifiers.ReusedRequestWithoutCompletionRoutine)
        {
            return diagnostic.Properties.ContainsKey(DriverCreatedRequestAnalyzer.RequestProperty) &&
                   StatementInsertion.Anchor(flagged) is { } anchor
                ? new Placement(anchor, flagged, after: false)
                : null;
        }

        if (!diagnostic.Properties.ContainsKey(DriverCreatedRequestAnalyzer.RoutineProperty) ||
            !diagnostic.Properties.ContainsKey(DriverCreatedRequestAnalyzer.ContextProperty))
        {
            return null;
        }

        // After the reuse when it is a statement of its own; otherwise just before the send.
        if (diagnostic.AdditionalLocations.Count > 0 &&
            DiagnosticCall.At(root, diagnostic.AdditionalLocations[0]) is { } reuse &&
            StatementInsertion.Anchor(reuse) is StatementSyntax reuseStatement &&
            CallStatement.Of(reuse)?.Statement == reuseStatement)
        {
            return new Placement(reuseStatement, reuse, after: true);
        }

        return StatementInsertion.Anchor(flagged) is { } sendAnchor ? new Placement(sendAnchor, flagged, after: false) : null;
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var semanticModel = editor.SemanticModel;
        var root = editor.OriginalRoot;
        var names = new LocalNames();
        var done = new HashSet<SyntaxNode>();

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Plan(root, semanticModel, diagnostic, cancellationToken) is not { } placement || !done.Add(placement.Anchor) ||
                done.Any(other => other != placement.Anchor && (other.Contains(placement.Anchor) || placement.Anchor.Contains(other))))
            {
                continue;
            }

            if (diagnostic.Id == RuleIdentifiers.ReusedRequestWithoutCompletionRoutine)
            {
                SetRoutineAgain(editor, diagnostic, placement);
            }
            else
            {
                InsertReuse(editor, semanticModel, names, diagnostic, placement, cancellationToken);
            }
        }

        return editor.GetChangedDocument();
    }

    private static void InsertReuse(
        DocumentEditor editor, SemanticModel semanticModel, LocalNames names, Diagnostic diagnostic, Placement placement,
        CancellationToken cancellationToken)
    {
        var request = diagnostic.Properties[DriverCreatedRequestAnalyzer.RequestProperty]!;
        var anchor = placement.Anchor;
        var before = new List<StatementSyntax>();
        var hoisted = new Dictionary<SyntaxNode, string>();

        if (diagnostic.Id == RuleIdentifiers.MissingReuseBeforeCompletion)
        {
            // The reuse reinitialises the request: read what the completion takes from it first.
            foreach (var read in ReadsOfReusedRequest(semanticModel, placement.Call, request, cancellationToken))
            {
                var name = names.Allocate(semanticModel, anchor, BaseName(read));
                hoisted[read] = name;
                before.Add(StatementInsertion.Statement($"var {name} = {read.WithoutTrivia()};"));
            }
        }

        var parameters = names.Allocate(semanticModel, anchor, "reuseParams");
        before.Add(StatementInsertion.Statement(
            $"WDF_REQUEST_REUSE_PARAMS_INIT(out var {parameters}, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);"));
        before.Add(StatementInsertion.Statement($"WdfRequestReuse({request}, {parameters});"));

        var replacement = hoisted.Count == 0
            ? anchor
            : anchor.ReplaceNodes(hoisted.Keys, (original, _) => SyntaxFactory.IdentifierName(hoisted[original]).WithTriviaFrom(original));
        StatementInsertion.Insert(editor, anchor, replacement, before, System.Array.Empty<StatementSyntax>(), ReturnsValue(semanticModel, anchor, cancellationToken));
    }

    private static void SetRoutineAgain(DocumentEditor editor, Diagnostic diagnostic, Placement placement)
    {
        var request = placement.Call.ArgumentList.Arguments.Count > 0
            ? placement.Call.ArgumentList.Arguments[0].Expression.WithoutTrivia().ToString()
            : diagnostic.Properties[DriverCreatedRequestAnalyzer.RequestProperty];
        var routine = diagnostic.Properties[DriverCreatedRequestAnalyzer.RoutineProperty];
        var context = diagnostic.Properties[DriverCreatedRequestAnalyzer.ContextProperty];
        var statement = new[] { StatementInsertion.Statement($"WdfRequestSetCompletionRoutine({request}, {routine}, {context});") };
        var none = System.Array.Empty<StatementSyntax>();
        if (placement.After)
        {
            StatementInsertion.Insert(editor, placement.Anchor, placement.Anchor, none, statement, returnsValue: false);
        }
        else
        {
            StatementInsertion.Insert(editor, placement.Anchor, placement.Anchor, statement, none,
                ReturnsValue(editor.SemanticModel, placement.Anchor, CancellationToken.None));
        }
    }

    /// <summary>
    /// The outermost reads, in the completion's arguments after the request, of the reused request's completion
    /// parameters (<c>Params.IoStatus.Status</c>) or of <c>WdfRequestGetStatus</c>/<c>WdfRequestGetInformation</c> on it.
    /// </summary>
    private static List<ExpressionSyntax> ReadsOfReusedRequest(
        SemanticModel semanticModel, InvocationExpressionSyntax completion, string request, CancellationToken cancellationToken)
    {
        var reads = new List<ExpressionSyntax>();
        var normalizedRequest = Normalize(request);
        foreach (var argument in completion.ArgumentList.Arguments.Skip(1))
        {
            var stack = new Stack<SyntaxNode>();
            stack.Push(argument.Expression);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (node is MemberAccessExpressionSyntax access && IsCompletionParamsRead(semanticModel, access, cancellationToken))
                {
                    reads.Add(access);
                    continue;
                }

                if (node is InvocationExpressionSyntax call &&
                    semanticModel.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol
                    {
                        Name: "WdfRequestGetStatus" or "WdfRequestGetInformation",
                        ContainingType: { Name: "Wdf", ContainingNamespace.Name: "DriverBuffers" },
                    } &&
                    call.ArgumentList.Arguments.Count == 1 &&
                    Normalize(call.ArgumentList.Arguments[0].Expression.ToString()) == normalizedRequest)
                {
                    reads.Add(call);
                    continue;
                }

                foreach (var child in node.ChildNodes())
                {
                    stack.Push(child);
                }
            }
        }

        return reads;
    }

    /// <summary><c>Params.IoStatus.Status</c>: a member chain on a <c>WDF_REQUEST_COMPLETION_PARAMS</c> parameter, taken whole.</summary>
    private static bool IsCompletionParamsRead(SemanticModel semanticModel, MemberAccessExpressionSyntax access, CancellationToken cancellationToken)
    {
        ExpressionSyntax leftmost = access;
        while (leftmost is MemberAccessExpressionSyntax member)
        {
            leftmost = member.Expression;
        }

        return semanticModel.GetSymbolInfo(leftmost, cancellationToken).Symbol is IParameterSymbol
        {
            Type.Name: "WDF_REQUEST_COMPLETION_PARAMS",
        };
    }

    private static string BaseName(ExpressionSyntax read)
    {
        var name = read switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            InvocationExpressionSyntax { Expression: var expression } =>
                (expression is MemberAccessExpressionSyntax m ? m.Name.Identifier.ValueText : expression.ToString()).Replace("WdfRequestGet", string.Empty),
            _ => "value",
        };
        if (name.Length == 0)
        {
            return "value";
        }

        name = char.ToLowerInvariant(name[0]) + name.Substring(1);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }

    private static string Normalize(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static bool ReturnsValue(SemanticModel semanticModel, SyntaxNode anchor, CancellationToken cancellationToken) =>
        anchor.Parent is AnonymousFunctionExpressionSyntax lambda &&
        semanticModel.GetSymbolInfo(lambda, cancellationToken).Symbol is IMethodSymbol { ReturnsVoid: false };
}
