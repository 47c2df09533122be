using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Fields;

/// <summary>One write of a field or property somewhere in the driver.</summary>
internal sealed class MemberStore
{
    public MemberStore(SemanticModel model, SyntaxNode site, ExpressionSyntax? receiver, ExpressionSyntax? value, ArgumentSyntax? outArgument = null)
    {
        Model = model;
        Site = site;
        Receiver = receiver;
        Value = value;
        OutArgument = outArgument;
    }

    /// <summary>For a member given as an <c>out</c> argument (<c>WdfMemoryCreatePreallocated(..., out BlockMemory)</c>), that argument.</summary>
    public ArgumentSyntax? OutArgument { get; }

    public SemanticModel Model { get; }

    /// <summary>The assignment (or the field's declarator, for an initializer).</summary>
    public SyntaxNode Site { get; }

    /// <summary>What the member is read from (<c>devExt</c> of <c>devExt.FileContext = p</c>); null for <c>this</c> or an initializer.</summary>
    public ExpressionSyntax? Receiver { get; }

    /// <summary>The value stored by a simple assignment or an initializer; null when the member is written some other way (a <c>ref</c>/<c>out</c> argument, a compound assignment, <c>++</c>).</summary>
    public ExpressionSyntax? Value { get; }
}

/// <summary>
/// Cross-method facts about what the driver stores into a field or property: every write of the member in the
/// compilation, found in the syntax trees whose <see cref="SyntaxTreeIndex"/> mentions its name (the others are not
/// read), and the values a method assigns to one of its locals. Callers cache what they derive per member.
/// </summary>
internal static class MemberStores
{
    /// <summary>Every write of <paramref name="member"/> (its original definition) in the compilation.</summary>
    public static List<MemberStore> Of(AnalysisSession session, ISymbol member, CancellationToken cancellationToken)
    {
        var stores = new List<MemberStore>();
        var compilation = session.Compilation;
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer: { } initializer } declarator &&
                compilation.ContainsSyntaxTree(declarator.SyntaxTree))
            {
                stores.Add(new MemberStore(ModelOf(compilation, declarator.SyntaxTree), declarator, null, initializer.Value));
            }
        }

        foreach (var (model, _, access) in MemberMentions.For(session).WritesOf(member, cancellationToken))
        {
            var receiver = access is MemberAccessExpressionSyntax { Expression: var expression } && expression is not ThisExpressionSyntax
                ? expression
                : null;
            switch (access.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == access:
                    stores.Add(new MemberStore(model, assignment, receiver, assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ? assignment.Right : null));
                    break;
                case ArgumentSyntax argument when argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword):
                    stores.Add(new MemberStore(model, argument, receiver, null, argument));
                    break;
                case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None):
                case PrefixUnaryExpressionSyntax prefix when IsWriteOperator(prefix):
                case PostfixUnaryExpressionSyntax postfix when IsWriteOperator(postfix):
                    stores.Add(new MemberStore(model, access.Parent, receiver, null));
                    break;
            }
        }

        return stores;
    }

    /// <summary>Every call in the compilation that gives <paramref name="member"/> (read, by value) as an argument, with its model.</summary>
    public static List<(SemanticModel Model, InvocationExpressionSyntax Call)> PassedTo(
        AnalysisSession session, ISymbol member, CancellationToken cancellationToken)
    {
        var calls = new List<(SemanticModel, InvocationExpressionSyntax)>();
        foreach (var (model, _, access) in MemberMentions.For(session).PassesOf(member, cancellationToken))
        {
            if (access.Parent is ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.None, Parent.Parent: InvocationExpressionSyntax call })
            {
                calls.Add((model, call));
            }
        }

        return calls;
    }

    /// <summary>The method, accessor, local function or lambda <paramref name="node"/> is in, or null.</summary>
    public static SyntaxNode? BodyOf(SyntaxNode node) =>
        node.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);

    /// <summary>
    /// Every value <paramref name="body"/> assigns to <paramref name="local"/> (its initializer and simple assignments), or
    /// null when the local is also written some other way (a <c>ref</c>/<c>out</c> argument, a compound assignment).
    /// </summary>
    public static List<ExpressionSyntax>? LocalValues(SemanticModel model, SyntaxNode body, ILocalSymbol local, CancellationToken cancellationToken)
    {
        var values = new List<ExpressionSyntax>();
        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax { Initializer: { } initializer } declarator when declarator.Identifier.ValueText == local.Name &&
                    SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, cancellationToken), local):
                    values.Add(initializer.Value);
                    break;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment when target.Identifier.ValueText == local.Name &&
                    SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, local):
                    if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                    {
                        return null;
                    }

                    values.Add(assignment.Right);
                    break;
                case ArgumentSyntax { Expression: IdentifierNameSyntax argument } byReference when
                    !byReference.RefKindKeyword.IsKind(SyntaxKind.None) && argument.Identifier.ValueText == local.Name:
                case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation } when designation.Identifier.ValueText == local.Name:
                case PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax prefixed } prefix when prefixed.Identifier.ValueText == local.Name && IsWriteOperator(prefix):
                case PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax postfixed } postfix when postfixed.Identifier.ValueText == local.Name && IsWriteOperator(postfix):
                    return null;
            }
        }

        return values;
    }

    /// <summary>A mention that writes the member: an assignment's target, a <c>ref</c>/<c>out</c> argument, <c>++</c>/<c>--</c>, <c>&amp;</c>.</summary>
    internal static bool IsWrite(ExpressionSyntax access) => access.Parent switch
    {
        AssignmentExpressionSyntax assignment => assignment.Left == access,
        ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
        PrefixUnaryExpressionSyntax prefix => IsWriteOperator(prefix),
        PostfixUnaryExpressionSyntax postfix => IsWriteOperator(postfix),
        _ => false,
    };

    internal static bool IsPassedByValue(ExpressionSyntax access) =>
        access.Parent is ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.None, Parent.Parent: InvocationExpressionSyntax };

    private static bool IsWriteOperator(ExpressionSyntax unary) =>
        unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression) ||
        unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression) ||
        unary.IsKind(SyntaxKind.AddressOfExpression);

    private static SemanticModel ModelOf(Compilation compilation, SyntaxTree tree) => MemberMentions.ModelOf(compilation, tree);
}
