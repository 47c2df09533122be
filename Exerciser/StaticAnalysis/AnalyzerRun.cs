using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using DriverBuffers.Exercising.Sources;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Exercising.StaticAnalysis;

/// <summary>
/// Runs the DriverBuffers analyzers that ship with the exerciser on the driver, in memory: the sources are the
/// documents its PDB names (from disk, or embedded), compiled with the preprocessor symbols and language version
/// the PDB records, against the assemblies beside the driver and the .NET framework. The same analyzers therefore
/// run whether the driver's project references them or not. Severities are the rules' defaults; <c>#pragma warning
/// disable</c> and <c>[SuppressMessage]</c> in the source are honoured, <c>.editorconfig</c> files are not read.
/// </summary>
internal static class AnalyzerRun
{
    /// <summary>The analyzers' findings and, when the sources did not compile cleanly, how many compiler errors there were.</summary>
    /// <param name="Findings">The analyzers' findings (empty when they were not asked to run).</param>
    /// <param name="Callbacks">The methods that receive each kind of request.</param>
    /// <param name="SourceFiles">How many source files were found.</param>
    /// <param name="CompilerErrors">Errors of the in-memory compilation (missing generated files, for example).</param>
    /// <param name="Note">Why the findings may be incomplete, or null.</param>
    public sealed record Result(IReadOnlyList<StaticFinding> Findings, IReadOnlyDictionary<Generation.RequestKind, IReadOnlyList<Running.DriverFrame>> Callbacks,
        int SourceFiles, int CompilerErrors, string? Note);

    public static Result Analyze(DriverSymbols symbols, string assemblyPath, bool runAnalyzers = true, CancellationToken cancellation = default)
    {
        var documents = symbols.Documents();
        var readable = documents.Where(d => d.Text is not null).ToList();
        if (readable.Count == 0)
        {
            return new Result(Array.Empty<StaticFinding>(), new Dictionary<Generation.RequestKind, IReadOnlyList<Running.DriverFrame>>(), 0, 0,
                "no source file of the driver was found (the PDB names none that exist here)");
        }

        var options = symbols.CompilationOptions();
        var parseOptions = new CSharpParseOptions(
            LanguageVersionOf(options),
            preprocessorSymbols: options.TryGetValue("define", out var defines) ? defines.Split(',', StringSplitOptions.RemoveEmptyEntries) : null);
        var trees = readable.Select(d => CSharpSyntaxTree.ParseText(d.Text!, parseOptions, d.Path, cancellationToken: cancellation)).ToList();
        var compilation = CSharpCompilation.Create(
            Path.GetFileNameWithoutExtension(assemblyPath) + ".Analyzed",
            trees,
            References(assemblyPath),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: options.TryGetValue("nullable", out var nullable) && Enum.TryParse<NullableContextOptions>(nullable, true, out var n) ? n : NullableContextOptions.Disable,
                allowUnsafe: options.TryGetValue("unsafe", out var unsafeCode) && unsafeCode == "True"));

        int errors = compilation.GetDiagnostics(cancellation).Count(d => d.Severity == DiagnosticSeverity.Error);
        var callbacks = CallbackMap.Build(compilation);
        if (!runAnalyzers)
        {
            return new Result(Array.Empty<StaticFinding>(), callbacks, readable.Count, errors, null);
        }
        var analyzers = LoadAnalyzers();
        var diagnostics = compilation
            .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
                concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false))
            .GetAnalyzerDiagnosticsAsync(cancellation).GetAwaiter().GetResult();

        var findings = diagnostics
            .Where(d => d.Id.StartsWith("DRV", StringComparison.Ordinal) && !d.IsSuppressed && d.Location.IsInSource)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                return new StaticFinding(d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                    new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
            })
            .OrderBy(f => f.Location.FilePath, StringComparer.Ordinal).ThenBy(f => f.Location.Line).ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ToList();
        string? note = errors > 0 ? $"the sources compiled here with {errors} error(s); findings may be incomplete" : null;
        return new Result(findings, callbacks, readable.Count, errors, note);
    }

    /// <summary>Every analyzer of the DriverBuffers.Analyzers assembly the exerciser ships with.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers()
    {
        var assembly = Assembly.Load(new AssemblyName("DriverBuffers.Analyzers"));
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                        && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    }

    private static LanguageVersion LanguageVersionOf(IReadOnlyDictionary<string, string> options) =>
        options.TryGetValue("language-version", out var text) && LanguageVersionFacts.TryParse(text, out var version)
            ? version
            : LanguageVersion.Latest;

    /// <summary>
    /// The assemblies beside the driver (the DriverBuffers API it was built against among them) and the framework's; the
    /// exerciser's own DriverBuffers API when none is beside the driver (a .dll copied out of its build folder).
    /// </summary>
    private static IEnumerable<MetadataReference> References(string assemblyPath)
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var file in Directory.EnumerateFiles(frameworkDirectory, "*.dll"))
        {
            byName[Path.GetFileNameWithoutExtension(file)] = file;
        }
        string driverDirectory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        foreach (var file in Directory.EnumerateFiles(driverDirectory, "*.dll"))
        {
            if (!string.Equals(Path.GetFullPath(file), Path.GetFullPath(assemblyPath), StringComparison.Ordinal))
            {
                byName[Path.GetFileNameWithoutExtension(file)] = file;
            }
        }
        string api = typeof(Wdf).Assembly.GetName().Name!;
        if (!byName.ContainsKey(api))
        {
            byName[api] = typeof(Wdf).Assembly.Location;
        }
        foreach (var file in byName.Values)
        {
            MetadataReference? reference = null;
            try
            {
                using var stream = File.OpenRead(file);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                if (pe.HasMetadata)
                {
                    reference = MetadataReference.CreateFromFile(file);
                }
            }
            catch (BadImageFormatException)
            {
                // A native library beside the driver.
            }
            if (reference is not null)
            {
                yield return reference;
            }
        }
    }
}
