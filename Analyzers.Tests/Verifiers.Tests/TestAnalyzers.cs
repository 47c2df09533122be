using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers.Tests;

/// <summary>
/// TST001 on every use of an identifier named <c>Bad</c> that refers to a local or field declared in
/// source; the declaration is the additional location. Declarations named <c>Bad</c> are not flagged.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BadNameAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        "TST001",
        "Bad name",
        "Identifier '{0}' should be renamed",
        "Test",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(AnalyzeIdentifier, SyntaxKind.IdentifierName);
    }

    private static void AnalyzeIdentifier(SyntaxNodeAnalysisContext context)
    {
        var identifier = (IdentifierNameSyntax)context.Node;
        if (identifier.Identifier.ValueText != "Bad")
        {
            return;
        }

        var symbol = context.SemanticModel.GetSymbolInfo(identifier, context.CancellationToken).Symbol;
        if (symbol is not (ILocalSymbol or IFieldSymbol) || symbol.DeclaringSyntaxReferences.IsEmpty)
        {
            return;
        }

        var declaration = symbol.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken);
        var declarationLocation = declaration switch
        {
            VariableDeclaratorSyntax v => v.Identifier.GetLocation(),
            _ => declaration.GetLocation(),
        };
        context.ReportDiagnostic(Diagnostic.Create(Rule, identifier.GetLocation(), new[] { declarationLocation }, identifier.Identifier.ValueText));
    }
}

/// <summary>
/// Two descriptors: TST010 on the whole declaration of a class named <c>Foo</c>, TST011 on the name of a
/// method named <c>Bar</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TwoRuleAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor ClassRule = new("TST010", "Class Foo", "Class '{0}'", "Test", DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor MethodRule = new("TST011", "Method Bar", "Method '{0}'", "Test", DiagnosticSeverity.Info, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ClassRule, MethodRule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var type = (ClassDeclarationSyntax)c.Node;
                if (type.Identifier.ValueText == "Foo")
                {
                    c.ReportDiagnostic(Diagnostic.Create(ClassRule, type.GetLocation(), "Foo"));
                }
            },
            SyntaxKind.ClassDeclaration);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var method = (MethodDeclarationSyntax)c.Node;
                if (method.Identifier.ValueText == "Bar")
                {
                    c.ReportDiagnostic(Diagnostic.Create(MethodRule, method.Identifier.GetLocation(), "Bar"));
                }
            },
            SyntaxKind.MethodDeclaration);
    }
}

/// <summary>Throws on every class declaration.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThrowingAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new("TST020", "Throws", "Never reported", "Test", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(_ => throw new System.InvalidOperationException("Boom from ThrowingAnalyzer"), SyntaxKind.ClassDeclaration);
    }
}

/// <summary>Reports TST099, which is not among its supported diagnostics.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsupportedDescriptorAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Supported = new("TST030", "Supported", "Supported", "Test", DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor Unsupported = new("TST099", "Unsupported", "Unsupported", "Test", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Supported);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
#pragma warning disable RS1005 // Reporting an unsupported descriptor is what this analyzer is for.
        context.RegisterSyntaxNodeAction(c => c.ReportDiagnostic(Diagnostic.Create(Unsupported, c.Node.GetLocation())), SyntaxKind.ClassDeclaration);
#pragma warning restore RS1005
    }
}
