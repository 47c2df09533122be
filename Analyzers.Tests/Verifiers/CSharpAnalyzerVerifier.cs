using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>
/// Verifies a C# analyzer (mirrors <c>CSharpAnalyzerVerifier&lt;TAnalyzer, DefaultVerifier&gt;</c> of
/// Microsoft.CodeAnalysis.Testing). Use through an alias:
/// <c>using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier&lt;MyAnalyzer&gt;;</c>.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>A configurable test: <c>new Verify.Test { TestCode = …, ExpectedDiagnostics = { … } }.RunAsync()</c>.</summary>
    public class Test : CSharpAnalyzerTest<TAnalyzer>
    {
    }

    /// <summary>A diagnostic of the analyzer's single supported descriptor.</summary>
    public static DiagnosticResult Diagnostic() => VerifierDiagnostics.Single(new TAnalyzer(), null);

    /// <summary>A diagnostic of the analyzer's supported descriptor with ID <paramref name="diagnosticId"/>.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => VerifierDiagnostics.Single(new TAnalyzer(), diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Runs the analyzer on <paramref name="source"/> (markup allowed) and expects exactly these diagnostics.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

internal static class VerifierDiagnostics
{
    public static DiagnosticResult Single(DiagnosticAnalyzer analyzer, string? id)
    {
        var matching = analyzer.SupportedDiagnostics.Where(d => id is null || d.Id == id).ToList();
        if (matching.Count != 1)
        {
            throw new InvalidOperationException(id is null
                ? $"Diagnostic() needs an analyzer with exactly one supported diagnostic; {analyzer.GetType().Name} has {matching.Count}: use Diagnostic(id)."
                : $"Diagnostic(\"{id}\") needs exactly one supported diagnostic with that ID; {analyzer.GetType().Name} has {matching.Count}.");
        }

        return new DiagnosticResult(matching[0]);
    }
}
