using System;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// How the per-call Allocation rules (DRV030–DRV033, DRV035) register: a syntax-node action whose first question is the
/// name the code writes (the called method, the referenced constant), and only a name the rule cares about is bound
/// (its operation asked of the semantic model; counted in <see cref="EngineTelemetry.NamedNodesBound"/>). The rule then
/// matches the bound symbol through the catalog, as before: the name only spares the binding of every other call. A DDI
/// or an API constant is always written with its own name (directly, qualified, or through <c>using static</c>), so the
/// screen loses nothing: a call through a delegate has no DDI as its target.
/// </summary>
internal static class NamedOperations
{
    /// <summary>Runs <paramref name="analyze"/> on the calls whose called name <paramref name="names"/> accepts.</summary>
    public static void RegisterInvocations(
        CompilationStartAnalysisContext context, AnalysisSession session, Func<string, bool> names,
        Action<IInvocationOperation, Action<Diagnostic>> analyze) =>
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var call = (InvocationExpressionSyntax)c.Node;
                if (NameOf(call.Expression) is not { } name || !names(name))
                {
                    return;
                }

                session.Telemetry.NamedNodeBound();
                if (c.SemanticModel.GetOperation(call, c.CancellationToken) is IInvocationOperation invocation)
                {
                    analyze(invocation, c.ReportDiagnostic);
                }
            },
            SyntaxKind.InvocationExpression);

    /// <summary>Runs <paramref name="analyze"/> on the field references whose name <paramref name="names"/> accepts.</summary>
    public static void RegisterFieldReferences(
        CompilationStartAnalysisContext context, AnalysisSession session, Func<string, bool> names,
        Action<IFieldReferenceOperation, Action<Diagnostic>> analyze) =>
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var identifier = (IdentifierNameSyntax)c.Node;
                if (!names(identifier.Identifier.ValueText))
                {
                    return;
                }

                // `Wdm.X` is one operation: the member access, not its name.
                SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                session.Telemetry.NamedNodeBound();
                if (c.SemanticModel.GetOperation(node, c.CancellationToken) is IFieldReferenceOperation reference)
                {
                    analyze(reference, c.ReportDiagnostic);
                }
            },
            SyntaxKind.IdentifierName);

    /// <summary>The name a call is written with (<c>F(...)</c>, <c>T.F(...)</c>, <c>F&lt;T&gt;(...)</c>, <c>x?.F(...)</c>), or null.</summary>
    private static string? NameOf(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };
}
