using System;
using System.Collections.Generic;
using System.Linq;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>One generated C# file: its name, text, and the statements its generator wrote.</summary>
public sealed record SourceFile(string Name, string Text, int Statements)
{
    public int Lines => Text.Split('\n').Length - 1;

    public static SourceFile From(string name, SourceWriter writer) => new(name, writer.ToString(), writer.Statements);

    /// <summary>
    /// Units 0 to <paramref name="size"/> - 1 (classes, methods, ...) spread over files of <paramref name="perFile"/>:
    /// <paramref name="write"/> gets the file's index and its first and past-the-last unit.
    /// </summary>
    public static IReadOnlyList<SourceFile> InFiles(int size, int perFile, Func<int, int, int, SourceFile> write) =>
        Enumerable.Range(0, (size + perFile - 1) / perFile)
            .Select(file => write(file, file * perFile, Math.Min(size, (file + 1) * perFile)))
            .ToList();
}
