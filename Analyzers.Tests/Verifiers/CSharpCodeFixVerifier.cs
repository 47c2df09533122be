using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>
/// Verifies a C# analyzer and its code fix (mirrors <c>CSharpCodeFixVerifier&lt;TAnalyzer, TCodeFix, DefaultVerifier&gt;</c>
/// of Microsoft.CodeAnalysis.Testing). Use through an alias:
/// <c>using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier&lt;MyAnalyzer, MyFix&gt;;</c>.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>A configurable test: <c>new Verify.Test { TestCode = …, FixedCode = …, … }.RunAsync()</c>.</summary>
    public class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix>
    {
    }

    /// <inheritdoc cref="CSharpAnalyzerVerifier{TAnalyzer}.Diagnostic()"/>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer>.Diagnostic();

    /// <inheritdoc cref="CSharpAnalyzerVerifier{TAnalyzer}.Diagnostic(string)"/>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <inheritdoc cref="CSharpAnalyzerVerifier{TAnalyzer}.VerifyAnalyzerAsync"/>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
        => CSharpAnalyzerVerifier<TAnalyzer>.VerifyAnalyzerAsync(source, expected);

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
