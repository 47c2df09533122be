using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs analyzers over plain source text, outside the verifier: for corpus tests (valid code, every prefix of a
/// file, generated stress input) that check "no diagnostic" or "no analyzer exception" rather than exact results.
/// </summary>
internal static class AnalyzerHarness
{
    public const string DriverUsings =
        "global using System; global using DriverBuffers; global using static DriverBuffers.Wdf; global using static DriverBuffers.Wdm;";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DriverBuffers.Wdf).Assembly.Location))
            .ToImmutableArray());

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

    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources, bool withApi = true)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        if (withApi)
        {
            trees.Add(CSharpSyntaxTree.ParseText(DriverUsings, parse, "/0/DriverUsings.cs"));
        }

        return CSharpCompilation.Create(
            "HarnessProject",
            trees,
            withApi ? References.Value : ReferencesWithoutApi.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    /// <summary>The analyzers' diagnostics and every exception an analyzer threw.</summary>
    public static async Task<HarnessResult> RunAsync(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => { lock (exceptions) { exceptions.Add(analyzer.GetType().Name + ": " + exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()));
        return new HarnessResult(diagnostics.Where(d => d.Id != "AD0001").ToImmutableArray(), exceptions, withAnalyzers);
    }

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
