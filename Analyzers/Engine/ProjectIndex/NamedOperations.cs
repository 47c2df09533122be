using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// How the rules that judge single calls register (DRV030–DRV033, DRV035, DRV021's dropped status): one semantic-model action per tree, which asks
/// the tree's name index (<see cref="NameScreen"/>) where the names the rule cares about are written (the called method,
/// the referenced constant); only those nodes are bound (their operation asked of the semantic model; counted in
/// <see cref="EngineTelemetry.NamedNodesBound"/>). The rule then matches the bound symbol through the catalog, as before:
/// the name only spares the binding of every other call. A DDI or an API constant is always written with its own name
/// (directly, qualified, or through <c>using static</c>), so the screen loses nothing: a call through a delegate has no
/// DDI as its target. A tree that names none of them costs one lookup per rule, not a callback per call or identifier.
/// </summary>
internal static class NamedOperations
{
    /// <summary>Runs <paramref name="analyze"/> on the calls whose called name <paramref name="names"/> accepts.</summary>
    public static void RegisterInvocations(
        CompilationStartAnalysisContext context, AnalysisSession session, Func<string, bool> names,
        Action<IInvocationOperation, Action<Diagnostic>> analyze) =>
        RegisterNamed(context, session, new NameScreen(names), name => CallNamedBy(name), (operation, report) =>
        {
            if (operation is IInvocationOperation invocation)
            {
                analyze(invocation, report);
            }
        });

    /// <summary>Runs <paramref name="analyze"/> on the field references whose name <paramref name="names"/> accepts.</summary>
    public static void RegisterFieldReferences(
        CompilationStartAnalysisContext context, AnalysisSession session, Func<string, bool> names,
        Action<IFieldReferenceOperation, Action<Diagnostic>> analyze) =>
        RegisterNamed(
            context, session, new NameScreen(names),
            // `Wdm.X` is one operation: the member access, not its name.
            name => name is IdentifierNameSyntax identifier
                ? identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier
                : null,
            (operation, report) =>
            {
                if (operation is IFieldReferenceOperation reference)
                {
                    analyze(reference, report);
                }
            });

    /// <summary>
    /// For each tree, the names <paramref name="screen"/> accepts, each turned by <paramref name="nodeOf"/> into the node to
    /// bind (null: not one), bound in the order of the text.
    /// </summary>
    private static void RegisterNamed(
        CompilationStartAnalysisContext context, AnalysisSession session, NameScreen screen, Func<SimpleNameSyntax, SyntaxNode?> nodeOf,
        Action<IOperation, Action<Diagnostic>> analyze) =>
        context.RegisterSemanticModelAction(c =>
        {
            var model = c.SemanticModel;
            var cancellationToken = c.CancellationToken;
            var positions = screen.PositionsIn(model.SyntaxTree, session.Telemetry, cancellationToken);
            if (positions.Count == 0)
            {
                return;
            }

            var root = model.SyntaxTree.GetRoot(cancellationToken);
            foreach (var position in positions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (root.FindToken(position).Parent is not SimpleNameSyntax name || name.SpanStart != position || nodeOf(name) is not { } node)
                {
                    continue;
                }

                session.Telemetry.NamedNodeBound();
                if (model.GetOperation(node, cancellationToken) is { } operation)
                {
                    analyze(operation, c.ReportDiagnostic);
                }
            }
        });

    /// <summary>
    /// The call <paramref name="name"/> names (<c>F(...)</c>, <c>T.F(...)</c>, <c>F&lt;T&gt;(...)</c>, <c>x?.F(...)</c>,
    /// <c>a::F(...)</c>), or null.
    /// </summary>
    private static InvocationExpressionSyntax? CallNamedBy(SimpleNameSyntax name)
    {
        ExpressionSyntax expression = name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name => access,
            MemberBindingExpressionSyntax binding when binding.Name == name => binding,
            AliasQualifiedNameSyntax alias when alias.Name == name => alias,
            _ => name,
        };
        return expression.Parent is InvocationExpressionSyntax call && call.Expression == expression ? call : null;
    }
}
