using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>A source file of a test after markup parsing.</summary>
internal sealed record TestSource(string Path, SourceText Text);

/// <summary>What goes into the project besides its C# sources.</summary>
internal sealed record ProjectSettings(
    IReadOnlyList<(string Path, SourceText Text)> AnalyzerConfigFiles,
    IReadOnlyList<(string Path, SourceText Text)> AdditionalFiles,
    IReadOnlyList<MetadataReference> AdditionalReferences,
    IReadOnlyList<string> DisabledDiagnostics,
    bool IncludeDriverUsings,
    IReadOnlyList<Func<Solution, ProjectId, Solution>> SolutionTransforms);

/// <summary>Builds the <see cref="AdhocWorkspace"/> project that a test analyzes.</summary>
internal static class TestProjectFactory
{
    public const string ProjectFolder = "/0/";
    public const string DefaultFilePath = SolutionState.DefaultFilePathPrefix + "0.cs";
    public const string DriverUsingsFileName = "DriverUsings.cs";
    public const string DriverUsingsPath = ProjectFolder + DriverUsingsFileName;

    private const string DriverUsingsText =
        "global using System;\nglobal using DriverBuffers;\nglobal using static DriverBuffers.Wdf;\nglobal using static DriverBuffers.Wdm;\n";

    private static readonly Lazy<Assembly> RuntimeAssembly = new(() => Assembly.Load("DriverBuffers"));

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(RuntimeAssembly.Value.Location))
            .ToImmutableArray());

    /// <summary>Nullable warnings are errors, as in the Microsoft.CodeAnalysis.Testing templates.</summary>
    private static readonly Lazy<ImmutableDictionary<string, ReportDiagnostic>> NullableWarnings = new(() =>
        CSharpCommandLineParser.Default
            .Parse(new[] { "/warnaserror:nullable" }, Environment.CurrentDirectory, Environment.CurrentDirectory)
            .CompilationOptions.SpecificDiagnosticOptions);

    /// <summary>True when the DriverBuffers runtime defines the static classes <c>Wdf</c> and <c>Wdm</c>.</summary>
    public static bool RuntimeHasDriverClasses =>
        RuntimeAssembly.Value.GetType("DriverBuffers.Wdf") is not null && RuntimeAssembly.Value.GetType("DriverBuffers.Wdm") is not null;

    /// <summary>Where a file named by a test goes: names not starting with '/' go into the project folder.</summary>
    public static string NormalizePath(string fileName) => fileName.StartsWith('/') ? fileName : ProjectFolder + fileName;

    /// <summary>True when a path given by a test (maybe without the project folder) names <paramref name="actualPath"/>.</summary>
    public static bool PathMatches(string expectedPath, string actualPath) => NormalizePath(expectedPath) == actualPath;

    public static Project CreateProject(IEnumerable<TestSource> sources, ProjectSettings settings)
    {
        var specificOptions = NullableWarnings.Value.SetItems(
            settings.DisabledDiagnostics.Select(id => KeyValuePair.Create(id, ReportDiagnostic.Suppress)));
        var compilationOptions = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(specificOptions);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);

        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId("TestProject");
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            name: "TestProject",
            assemblyName: "TestProject",
            language: LanguageNames.CSharp,
            compilationOptions: compilationOptions,
            parseOptions: parseOptions,
            metadataReferences: References.Value.Concat(settings.AdditionalReferences)));

        foreach (var source in sources)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, source.Path), FileName(source.Path), source.Text, Folders(source.Path), source.Path);
        }

        if (settings.IncludeDriverUsings && RuntimeHasDriverClasses)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, DriverUsingsPath), DriverUsingsFileName, SourceText.From(DriverUsingsText), filePath: DriverUsingsPath);
        }

        foreach (var (path, text) in settings.AnalyzerConfigFiles)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId, path), FileName(path), text, filePath: path);
        }

        foreach (var (path, text) in settings.AdditionalFiles)
        {
            solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId, path), FileName(path), text, filePath: path);
        }

        foreach (var transform in settings.SolutionTransforms)
        {
            solution = transform(solution, projectId);
        }

        return solution.GetProject(projectId)!;
    }

    /// <summary>The documents of the test's own sources (not <c>DriverUsings.cs</c>).</summary>
    public static IEnumerable<Document> TestDocuments(Project project)
        => project.Documents.Where(d => d.FilePath != DriverUsingsPath).OrderBy(d => d.FilePath, StringComparer.Ordinal);

    private static string FileName(string path) => path.Substring(path.LastIndexOf('/') + 1);

    private static IEnumerable<string> Folders(string path)
    {
        if (!path.StartsWith(ProjectFolder, StringComparison.Ordinal))
        {
            return Array.Empty<string>();
        }

        var parts = path.Substring(ProjectFolder.Length).Split('/');
        return parts.Take(parts.Length - 1);
    }
}
