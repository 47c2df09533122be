using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Conventions;

/// <summary>What a fresh clone on another machine needs: no file names a path of the machine it was written on.</summary>
public class RepositoryConventionTests
{
    private static readonly string[] BuildFolders = { "bin", "obj", ".git", "artifacts", "TestResults", "BenchmarkDotNet.Artifacts", ".vs" };

    private static readonly string[] TextExtensions = { ".cs", ".md", ".csproj", ".props", ".targets", ".json", ".sln", ".globalconfig", ".editorconfig", ".resx", ".xml", ".yml", ".txt", "" };

    [Fact]
    public void NoFileNamesAnAbsoluteMachinePath()
    {
        // Built from parts, so that this file does not name them itself.
        var machinePaths = new[] { "work", "root", "home" }.Select(folder => "/" + folder + "/").ToArray();
        var root = AnalyzerHarness.RepositoryRoot();
        var offending = new List<string>();
        foreach (var file in Files(root))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (machinePaths.Any(p => lines[i].Contains(p, StringComparison.Ordinal) && !lines[i].Contains("https://", StringComparison.Ordinal)))
                {
                    offending.Add($"{Path.GetRelativePath(root, file)}({i + 1}): {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offending.Count == 0, "Absolute machine paths:\n" + string.Join("\n", offending));
    }

    private static IEnumerable<string> Files(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory).Where(d => !BuildFolders.Contains(Path.GetFileName(d))))
            {
                pending.Push(sub);
            }

            foreach (var file in Directory.EnumerateFiles(directory).Where(f => TextExtensions.Contains(Path.GetExtension(f))))
            {
                yield return file;
            }
        }
    }
}
