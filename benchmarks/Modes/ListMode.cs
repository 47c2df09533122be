using System;
using DriverBuffers.Benchmarks.Corpus;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary><c>--list</c>: the shapes with their sizes, lines and statements (generation only, nothing measured).</summary>
public static class ListMode
{
    public static int Run(Options options)
    {
        foreach (var shape in options.Shapes)
        {
            Console.WriteLine($"{shape.Name,-20} {shape.Kind,-8} size {shape.Size,5} {shape.Generator.SizeUnit,-22} {shape.Lines,7:N0} lines {shape.Statements,7:N0} statements  {shape.Description}");
        }

        var ide = IdeProject.Create();
        Console.WriteLine($"{"IDE project",-20} {ide.Lines:N0} lines, the edited document {ide.DocumentLines:N0} lines");
        return 0;
    }
}
