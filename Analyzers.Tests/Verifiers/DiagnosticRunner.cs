using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>Runs the analyzers under test on a project, as the compiler would.</summary>
internal static class DiagnosticRunner
{
    /// <summary>
    /// Every diagnostic the compiler and the analyzers report (pragmas, suppressions, generated code and
    /// .editorconfig severities applied by Roslyn), in document order. Fails the test on an analyzer
    /// exception (AD0001) and on a diagnostic whose ID the analyzer does not support.
    /// </summary>
    public static async Task<(ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Analyzer)> RunAsync(
        Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The test project has no compilation.");
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().FullName} threw: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var analyzerDiagnostics = await compilation.WithAnalyzers(analyzers, options)
            .GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);

        var failures = exceptions.ToList();
        failures.AddRange(analyzerDiagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        if (failures.Count > 0)
        {
            throw new VerifierException("An analyzer threw an exception (AD0001):\n\n" + string.Join("\n\n", failures.Distinct()));
        }

        var supported = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet();
        var unsupported = analyzerDiagnostics.Where(d => !supported.Contains(d.Id)).ToList();
        if (unsupported.Count > 0)
        {
            throw new VerifierException(
                "An analyzer reported a diagnostic whose ID is not in its SupportedDiagnostics:\n" + string.Join("\n", unsupported));
        }

        var compilerDiagnostics = compilation.GetDiagnostics(cancellationToken).Where(d => !d.IsSuppressed);
        return (Sort(compilerDiagnostics), Sort(analyzerDiagnostics.Where(d => !d.IsSuppressed)));
    }

    /// <summary>
    /// The diagnostics that a test compares: compiler diagnostics at <paramref name="level"/> or worse and
    /// analyzer diagnostics that are not hidden (hidden ones only when their descriptor is hidden by default).
    /// </summary>
    public static ImmutableArray<Diagnostic> Visible(
        ImmutableArray<Diagnostic> compiler, ImmutableArray<Diagnostic> analyzer, CompilerDiagnostics level, IReadOnlyCollection<string> disabled)
    {
        var minimum = level switch
        {
            CompilerDiagnostics.Errors => DiagnosticSeverity.Error,
            CompilerDiagnostics.Warnings => DiagnosticSeverity.Warning,
            CompilerDiagnostics.Suggestions => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Hidden,
        };
        var fromCompiler = level == CompilerDiagnostics.None ? Enumerable.Empty<Diagnostic>() : compiler.Where(d => d.Severity >= minimum);
        var fromAnalyzer = analyzer.Where(d => d.Severity != DiagnosticSeverity.Hidden || d.Descriptor.DefaultSeverity == DiagnosticSeverity.Hidden);
        return Sort(fromCompiler.Concat(fromAnalyzer).Where(d => !disabled.Contains(d.Id)));
    }

    public static ImmutableArray<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics)
        => diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.End)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
}

/// <summary>A <see cref="FixAllContext.DiagnosticProvider"/> that runs the analyzers under test.</summary>
internal sealed class TestDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly ConcurrentDictionary<Project, Task<ImmutableArray<Diagnostic>>> _cache = new();

    public TestDiagnosticProvider(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        _analyzers = analyzers;
    }

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => await AllAsync(project, cancellationToken).ConfigureAwait(false);

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        var all = await AllAsync(document.Project, cancellationToken).ConfigureAwait(false);
        return all.Where(d => d.Location.SourceTree == tree);
    }

    public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var all = await AllAsync(project, cancellationToken).ConfigureAwait(false);
        return all.Where(d => !d.Location.IsInSource);
    }

    private Task<ImmutableArray<Diagnostic>> AllAsync(Project project, CancellationToken cancellationToken)
        => _cache.GetOrAdd(project, async p =>
        {
            var (compiler, analyzer) = await DiagnosticRunner.RunAsync(p, _analyzers, cancellationToken).ConfigureAwait(false);
            return DiagnosticRunner.Sort(compiler.Concat(analyzer));
        });
}
