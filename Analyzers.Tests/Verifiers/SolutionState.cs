using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>
/// Source files of a test. <c>Add(string)</c> names the file like Microsoft.CodeAnalysis.Testing
/// (<c>/0/Test0.cs</c>, <c>/0/Test1.cs</c>, …); <c>Add((name, text))</c> gives it a name. A name
/// that does not start with <c>/</c> is placed in the project folder <c>/0/</c>.
/// </summary>
public class SourceFileList : List<(string filename, SourceText content)>
{
    private readonly string _defaultPrefix;
    private readonly string _defaultExtension;

    public SourceFileList(string defaultPrefix, string defaultExtension)
    {
        _defaultPrefix = defaultPrefix;
        _defaultExtension = defaultExtension;
    }

    public void Add(string content) => Add(($"{_defaultPrefix}{Count}.{_defaultExtension}", content));

    public void Add((string filename, string content) file) => Add((file.filename, SourceText.From(file.content)));
}

/// <summary>Files given with their names: analyzer config and additional files.</summary>
public class SourceFileCollection : List<(string filename, SourceText content)>
{
    public void Add((string filename, string content) file) => Add((file.filename, SourceText.From(file.content)));
}

/// <summary>The input or the expected output of a test (mirrors Microsoft.CodeAnalysis.Testing's SolutionState).</summary>
public class SolutionState
{
    public const string DefaultFilePathPrefix = "/0/Test";

    public SolutionState(string defaultExtension = "cs")
    {
        Sources = new SourceFileList(DefaultFilePathPrefix, defaultExtension);
    }

    /// <summary>The C# documents; their text may contain markup.</summary>
    public SourceFileList Sources { get; }

    /// <summary>
    /// <c>.editorconfig</c> files (e.g. <c>("/.editorconfig", "root = true\n[*.cs]\n…")</c>) and global
    /// analyzer config files (any name, text starting with <c>is_global = true</c>).
    /// </summary>
    public SourceFileCollection AnalyzerConfigFiles { get; } = new();

    /// <summary>Non-code files passed to analyzers as <c>AdditionalFiles</c>.</summary>
    public SourceFileCollection AdditionalFiles { get; } = new();

    /// <summary>Extra metadata references, besides the .NET 8 reference assemblies and DriverBuffers.</summary>
    public List<MetadataReference> AdditionalReferences { get; } = new();

    /// <summary>Diagnostics expected besides those given by markup.</summary>
    public List<DiagnosticResult> ExpectedDiagnostics { get; } = new();
}
