using System.Collections.Generic;
using System.Linq;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>A named shape of the corpus at one size: what the budget table has one row for.</summary>
public sealed class CorpusShape
{
    private IReadOnlyList<SourceFile>? _files;

    public CorpusShape(string name, string description, CodeKind kind, IShapeGenerator generator, int size)
    {
        Name = name;
        Description = description;
        Kind = kind;
        Generator = generator;
        Size = size;
    }

    public string Name { get; }

    public string Description { get; }

    public CodeKind Kind { get; }

    public IShapeGenerator Generator { get; }

    public int Size { get; }

    /// <summary>The shape's files, generated once.</summary>
    public IReadOnlyList<SourceFile> Files => _files ??= Generator.Generate(Size, NameSpace);

    public int Lines => Files.Sum(f => f.Lines);

    public int Statements => Files.Sum(f => f.Statements);

    /// <summary>The namespace of the shape's code: its name in Pascal case.</summary>
    public string NameSpace => string.Concat(Name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

    public override string ToString() => Name;
}
