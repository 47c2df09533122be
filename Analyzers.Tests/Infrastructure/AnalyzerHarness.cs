using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs analyzers over plain source text, outside the verifier: for corpus tests (valid code, every prefix of a
/// file, generated stress input) that check "no diagnostic" or "no analyzer exception" rather than exact results.
/// </summary>
internal static class AnalyzerHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> ReferencesWithoutApi = new(() =>
        Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>().ToImmutableArray());

    /// <summary>Every <see cref="DiagnosticAnalyzer"/> type of the Analyzers assembly, found by reflection.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(DriverBuffers.Analyzers.Rules.Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) &&
                        t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>Every <see cref="CodeFixProvider"/> type of the CodeFixes assembly, found by reflection (exported or not).</summary>
    public static ImmutableArray<Type> AllCodeFixProviderTypes() =>
        typeof(DriverBuffers.CodeFixes.Copies.StatusCheckCodeFix).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();

    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources, bool withApi = true)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        if (withApi)
        {
            trees.Add(CSharpSyntaxTree.ParseText(Verifiers.DriverTestProject.DriverUsingsText, parse, Verifiers.DriverTestProject.DriverUsingsPath));
        }

        return CSharpCompilation.Create(
            "HarnessProject",
            trees,
            withApi ? Verifiers.DriverTestProject.References : ReferencesWithoutApi.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    /// <summary>The analyzers' diagnostics and every exception an analyzer threw.</summary>
    public static Task<HarnessResult> RunAsync(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default) =>
        RunAsync(compilation, analyzers, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), cancellationToken);

    private static async Task<HarnessResult> RunAsync(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions analyzerOptions, CancellationToken cancellationToken)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            analyzerOptions,
            (exception, analyzer, _) => { lock (exceptions) { exceptions.Add(analyzer.GetType().Name + ": " + exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()));
        return new HarnessResult(diagnostics.Where(d => d.Id != "AD0001").ToImmutableArray(), exceptions, withAnalyzers);
    }

    /// <summary>
    /// A workspace project (for code fixes) with the verifiers' settings (<see cref="Verifiers.DriverTestProject"/>):
    /// <paramref name="sources"/> by path, plus <c>/0/DriverUsings.cs</c> when <paramref name="includeDriverUsings"/>.
    /// </summary>
    public static Project CreateProject(IEnumerable<(string Path, string Text)> sources, bool includeDriverUsings)
    {
        var compilationOptions = Verifiers.DriverTestProject.CompilationOptions(
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var parseOptions = Verifiers.DriverTestProject.ParseOptions(new CSharpParseOptions(documentationMode: DocumentationMode.Diagnose));
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId("TestProject");
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "TestProject", "TestProject", LanguageNames.CSharp,
            compilationOptions: compilationOptions, parseOptions: parseOptions, metadataReferences: Verifiers.DriverTestProject.References));
        var all = includeDriverUsings
            ? sources.Append((Verifiers.DriverTestProject.DriverUsingsPath, Verifiers.DriverTestProject.DriverUsingsText))
            : sources;
        foreach (var (path, text) in all)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, path), Path.GetFileName(path), SourceText.From(text), filePath: path);
        }

        return solution.GetProject(projectId)!;
    }

    /// <summary>
    /// The compiler's and the analyzers' diagnostics on <paramref name="project"/> (not suppressed, in document order).
    /// Fails on an analyzer exception (AD0001) and on a diagnostic whose ID its analyzer does not support.
    /// </summary>
    public static async Task<(ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Analyzer)> RunOnProjectAsync(
        Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        var result = await RunAsync(compilation, analyzers, project.AnalyzerOptions, cancellationToken).ConfigureAwait(false);
        Assert.True(result.Exceptions.Count == 0, "An analyzer threw an exception (AD0001):\n\n" + string.Join("\n\n", result.Exceptions));
        var supported = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet();
        var unsupported = result.Diagnostics.Where(d => !supported.Contains(d.Id)).ToList();
        Assert.True(unsupported.Count == 0, "A diagnostic whose ID is not in its analyzer's SupportedDiagnostics:\n" + string.Join("\n", unsupported));
        return (Sort(compilation.GetDiagnostics(cancellationToken).Where(d => !d.IsSuppressed)), Sort(result.Diagnostics.Where(d => !d.IsSuppressed)));
    }

    private static ImmutableArray<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>The repository root (the folder holding <c>Analyzers.sln</c>).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}

internal sealed class HarnessResult
{
    public HarnessResult(ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<string> exceptions, CompilationWithAnalyzers compilation)
    {
        Diagnostics = diagnostics;
        Exceptions = exceptions;
        Compilation = compilation;
    }

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public IReadOnlyList<string> Exceptions { get; }

    public CompilationWithAnalyzers Compilation { get; }
}
