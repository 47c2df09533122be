using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Writes one shape of code (a driver idiom, or ordinary code) as C# files, scaled by a size parameter whose unit
/// the generator names (classes, statements per method, ...). The files compile against the driver-buffer API.
/// </summary>
public interface IShapeGenerator
{
    /// <summary>What the size counts, for the report ("classes", "statements per method", ...).</summary>
    string SizeUnit { get; }

    /// <summary>The files of the shape at <paramref name="size"/>, in namespace <c>Corpus.{nameSpace}</c>.</summary>
    IReadOnlyList<SourceFile> Generate(int size, string nameSpace);
}
