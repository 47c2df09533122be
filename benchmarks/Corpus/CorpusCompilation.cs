using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Compiles generated files against .NET 8's reference assemblies and the driver-buffer API (the Runtime
/// assembly), single-threaded (<c>concurrentBuild: false</c>) so the compiler's time and the analyzers' time
/// (run with <c>concurrentAnalysis: false</c>) are both one thread's.
/// </summary>
public static class CorpusCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DriverBuffers.Wdf).Assembly.Location))
            .ToImmutableArray());

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Create(string name, IEnumerable<SourceFile> files) =>
        CSharpCompilation.Create(
            name,
            files.Select(Parse),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: false));

    public static CSharpCompilation Create(CorpusShape shape) => Create(shape.NameSpace, shape.Files);

    /// <summary>
    /// <paramref name="compilation"/> with every tree parsed again from its text: what a build sees. A clone would share
    /// the tree objects, and with them the analyzers' per-tree caches (name indexes, facts kept across IDE edits), so a
    /// measured run would reuse what the warm-up or an earlier run computed.
    /// </summary>
    public static Compilation Fresh(Compilation compilation) =>
        compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees.Select(tree =>
            CSharpSyntaxTree.ParseText(tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath)));

    public static SyntaxTree Parse(SourceFile file) => CSharpSyntaxTree.ParseText(file.Text, ParseOptions, path: "Corpus/" + file.Name);

    /// <summary>Throws when the corpus has a compile error: a shape that does not compile measures nothing real.</summary>
    public static void EnsureCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"The generated corpus '{compilation.AssemblyName}' does not compile ({errors.Count} errors): " +
                string.Join(Environment.NewLine, errors.Take(10)));
        }
    }
}
