using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace DriverBuffers.Exercising.Tests.HiddenDrivers;

/// <summary>
/// Compiles a driver of HiddenDrivers/Sources (test data, not part of the test assembly) into a .dll with its portable
/// PDB, as `dotnet build` would in Debug, in a folder of its own under the temporary directory: the exerciser then gets
/// a driver it has never seen, as a user's built assembly.
/// </summary>
internal static class HiddenDriverBuild
{
    private static readonly object Gate = new();

    private static string SourcesDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Sources");

    /// <summary>The source file of <paramref name="name"/> (Sources/<paramref name="name"/>.cs).</summary>
    public static string SourcePath(string name) => Path.Combine(SourcesDirectory(), name + ".cs");

    /// <summary>The line of <paramref name="name"/>'s source that carries <paramref name="marker"/> (1-based).</summary>
    public static int LineOf(string name, string marker) =>
        Array.FindIndex(File.ReadAllLines(SourcePath(name)), line => line.Contains(marker, StringComparison.Ordinal)) + 1;

    /// <summary>Builds <paramref name="name"/> once per test process; returns the path of its .dll.</summary>
    public static string Build(string name)
    {
        lock (Gate)
        {
            string directory = Path.Combine(Path.GetTempPath(), "driverbuffers-hidden-drivers", Environment.ProcessId.ToString(), name);
            string assemblyPath = Path.Combine(directory, name + ".dll");
            if (File.Exists(assemblyPath))
            {
                return assemblyPath;
            }
            Directory.CreateDirectory(directory);
            string source = SourcePath(name);
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(source), new CSharpParseOptions(LanguageVersion.Latest), source,
                System.Text.Encoding.UTF8);
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                    || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
                .Append(typeof(Wdf).Assembly.Location)
                .Select(path => MetadataReference.CreateFromFile(path));
            var compilation = CSharpCompilation.Create(name, [tree], references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Debug, nullableContextOptions: NullableContextOptions.Enable));
            using (var assembly = File.Create(assemblyPath + ".partial"))
            using (var pdb = File.Create(Path.Combine(directory, name + ".pdb")))
            {
                var result = compilation.Emit(assembly, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
                if (!result.Success)
                {
                    throw new InvalidOperationException($"{name} does not compile:{Environment.NewLine}" +
                        string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }
            }
            File.Move(assemblyPath + ".partial", assemblyPath);
            return assemblyPath;
        }
    }
}
