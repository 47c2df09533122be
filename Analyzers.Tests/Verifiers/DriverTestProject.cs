using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>What the DriverBuffers verifiers' tests add to Microsoft.CodeAnalysis.Testing's.</summary>
public interface IDriverProjectTest
{
    /// <summary>
    /// Adds <c>/0/DriverUsings.cs</c> (<c>global using System; global using DriverBuffers; global using static
    /// DriverBuffers.Wdf; global using static DriverBuffers.Wdm;</c>) after the test's sources. True by default.
    /// </summary>
    bool IncludeDriverUsings { get; set; }
}

/// <summary>
/// The project every analyzer and code-fix test compiles, the same for <see cref="CSharpAnalyzerVerifier{TAnalyzer}.Test"/>
/// and <see cref="CSharpCodeFixVerifier{TAnalyzer, TCodeFix}.Test"/>: C# latest, a DLL with unsafe code and nullable
/// warnings as errors (as in the Microsoft.CodeAnalysis.Testing templates), the .NET 8 reference assemblies of
/// Basic.Reference.Assemblies (on disk after restore: nothing is downloaded while tests run) and the DriverBuffers runtime.
/// </summary>
internal static class DriverTestProject
{
    /// <summary>The file the verifiers add so that test code can call the DDIs as driver code does.</summary>
    public const string DriverUsingsPath = "/0/DriverUsings.cs";

    public const string DriverUsingsText =
        "global using System;\nglobal using DriverBuffers;\nglobal using static DriverBuffers.Wdf;\nglobal using static DriverBuffers.Wdm;\n";

    /// <summary>
    /// No reference-assembly package: <see cref="ReferenceAssemblies.ResolveAsync"/> then has nothing to fetch, and the
    /// framework comes from <see cref="References"/>. (The framework's own <c>ReferenceAssemblies.Net.Net80</c> would
    /// download Microsoft.NETCore.App.Ref from NuGet on first use.)
    /// </summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net8.0");

    /// <summary>The .NET 8 reference assemblies and the DriverBuffers runtime.</summary>
    public static ImmutableArray<MetadataReference> References { get; } =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DriverBuffers.Wdf).Assembly.Location))
            .ToImmutableArray();

    private static readonly ImmutableDictionary<string, ReportDiagnostic> NullableWarningsAsErrors =
        CSharpCommandLineParser.Default
            .Parse(new[] { "/warnaserror:nullable" }, Environment.CurrentDirectory, Environment.CurrentDirectory)
            .CompilationOptions.SpecificDiagnosticOptions;

    /// <summary>Gives a new test its references (called from the tests' constructors).</summary>
    public static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = ReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(References);
    }

    public static CompilationOptions CompilationOptions(CompilationOptions options) =>
        ((CSharpCompilationOptions)options)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.SetItems(NullableWarningsAsErrors));

    /// <summary>
    /// Takes out the <see cref="ReportDiagnostic.Default"/> entries that the framework puts into the compilation's
    /// specific options for every rule under test that is enabled by default: in a compilation's options an entry
    /// wins over <c>.editorconfig</c>, so a <c>dotnet_diagnostic.DRVnnn.severity</c> line in a test would have no
    /// effect, unlike in a real build, where the compilation has no such entry.
    /// </summary>
    public static Project WithoutDefaultSeverityEntries(Project project)
    {
        var options = project.CompilationOptions!;
        var entries = options.SpecificDiagnosticOptions.Where(entry => entry.Value != ReportDiagnostic.Default);
        return project.WithCompilationOptions(options.WithSpecificDiagnosticOptions(entries));
    }

    public static ParseOptions ParseOptions(ParseOptions options) =>
        ((CSharpParseOptions)options).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>
    /// Adds <see cref="DriverUsingsPath"/> after the test's own sources (so that they keep the names /0/Test0.cs, …)
    /// to every state that lists sources; a state without sources inherits them from the test state.
    /// </summary>
    public static void AddDriverUsings(IEnumerable<SolutionState> states)
    {
        foreach (var state in states)
        {
            if (state.Sources.Count > 0 && !state.Sources.Any(s => s.filename == DriverUsingsPath))
            {
                state.Sources.Add((DriverUsingsPath, DriverUsingsText));
            }
        }
    }
}
