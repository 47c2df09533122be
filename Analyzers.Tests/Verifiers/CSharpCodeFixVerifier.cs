using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>
/// Verifies a C# analyzer and its code fix with Microsoft.CodeAnalysis.Testing on a DriverBuffers project (see
/// <see cref="DriverTestProject"/>): the fix one diagnostic at a time, then Fix All in document, project and solution.
/// Use through an alias: <c>using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier&lt;MyAnalyzer, MyFix&gt;;</c>.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>A configurable test: <c>new Verify.Test { TestCode = …, FixedCode = …, … }.RunAsync()</c>.</summary>
    public class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>, IDriverProjectTest
    {
        public Test() => DriverTestProject.Configure(this);

        /// <inheritdoc/>
        public bool IncludeDriverUsings { get; set; } = true;

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            if (IncludeDriverUsings)
            {
                DriverTestProject.AddDriverUsings(new[] { TestState, FixedState, BatchFixedState });
            }

            return base.RunImplAsync(cancellationToken);
        }

        protected override CompilationOptions CreateCompilationOptions() => DriverTestProject.CompilationOptions(base.CreateCompilationOptions());

        protected override Project ApplyCompilationOptions(Project project) =>
            DriverTestProject.WithoutDefaultSeverityEntries(base.ApplyCompilationOptions(project));

        protected override ParseOptions CreateParseOptions() => DriverTestProject.ParseOptions(base.CreateParseOptions());
    }

    /// <inheritdoc cref="CSharpAnalyzerVerifier{TAnalyzer}.Diagnostic()"/>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer>.Diagnostic();

    /// <inheritdoc cref="CSharpAnalyzerVerifier{TAnalyzer}.Diagnostic(string)"/>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer>.Diagnostic(diagnosticId);

    /// <inheritdoc cref="CSharpAnalyzerVerifier{TAnalyzer}.Diagnostic(DiagnosticDescriptor)"/>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpAnalyzerVerifier<TAnalyzer>.Diagnostic(descriptor);

    /// <summary>Runs the analyzer on <paramref name="source"/> (markup allowed) and expects exactly these diagnostics.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Expects the diagnostics given by markup in <paramref name="source"/> and the fix to give <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource)
        => VerifyCodeFixAsync(source, DiagnosticResult.EmptyDiagnosticResults, fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult expected, string fixedSource)
        => VerifyCodeFixAsync(source, new[] { expected }, fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
