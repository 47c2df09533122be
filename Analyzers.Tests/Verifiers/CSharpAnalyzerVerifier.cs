using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>
/// Verifies a C# analyzer with Microsoft.CodeAnalysis.Testing on a DriverBuffers project (see <see cref="DriverTestProject"/>).
/// Use through an alias: <c>using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier&lt;MyAnalyzer&gt;;</c>.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>A configurable test: <c>new Verify.Test { TestCode = …, ExpectedDiagnostics = { … } }.RunAsync()</c>.</summary>
    public class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>, IDriverProjectTest
    {
        public Test() => DriverTestProject.Configure(this);

        /// <inheritdoc/>
        public bool IncludeDriverUsings { get; set; } = true;

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            if (IncludeDriverUsings)
            {
                DriverTestProject.AddDriverUsings(new[] { TestState });
            }

            return base.RunImplAsync(cancellationToken);
        }

        protected override CompilationOptions CreateCompilationOptions() => DriverTestProject.CompilationOptions(base.CreateCompilationOptions());

        protected override Project ApplyCompilationOptions(Project project) =>
            DriverTestProject.WithoutDefaultSeverityEntries(base.ApplyCompilationOptions(project));

        protected override ParseOptions CreateParseOptions() => DriverTestProject.ParseOptions(base.CreateParseOptions());
    }

    /// <inheritdoc cref="AnalyzerVerifier{TAnalyzer, TTest, TVerifier}.Diagnostic()"/>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    /// <inheritdoc cref="AnalyzerVerifier{TAnalyzer, TTest, TVerifier}.Diagnostic(string)"/>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(diagnosticId);

    /// <inheritdoc cref="AnalyzerVerifier{TAnalyzer, TTest, TVerifier}.Diagnostic(DiagnosticDescriptor)"/>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(descriptor);

    /// <summary>Runs the analyzer on <paramref name="source"/> (markup allowed) and expects exactly these diagnostics.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
