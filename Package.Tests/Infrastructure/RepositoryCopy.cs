using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>The repository these tests belong to, and copies of its sources (what a clean clone holds).</summary>
public static class RepositoryCopy
{
    private static readonly string[] BuildFolders = ["bin", "obj", "artifacts", "TestResults", ".git", ".vs", "BenchmarkDotNet.Artifacts"];

    /// <summary>The repository root: the folder above this test assembly that holds <c>Analyzers.sln</c>.</summary>
    public static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Analyzers.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// Copies the repository's sources to <paramref name="destination"/>: the files git tracks plus new files it
    /// does not ignore (so uncommitted work is tested too), or, without git, every file outside build output.
    /// </summary>
    public static void CopyTo(string root, string destination)
    {
        foreach (var relative in SourceFiles(root))
        {
            var source = Path.Combine(root, relative);
            if (!File.Exists(source))
            {
                continue; // Tracked but deleted in the working tree.
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
        }
    }

    private static IEnumerable<string> SourceFiles(string root) => GitFiles(root) ?? WalkedFiles(root);

    private static IReadOnlyList<string>? GitFiles(string root)
    {
        try
        {
            var startInfo = new ProcessStartInfo("git")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "ls-files", "-z", "--cached", "--others", "--exclude-standard" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var git = Process.Start(startInfo)!;
            var output = git.StandardOutput.ReadToEnd();
            git.StandardError.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode != 0)
            {
                return null;
            }

            var files = output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Where(f => !f.Split('/').Any(BuildFolders.Contains))
                .ToList();
            return files.Count == 0 ? null : files;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // No git on this machine.
        }
    }

    private static IEnumerable<string> WalkedFiles(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!BuildFolders.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                yield return Path.GetRelativePath(root, file);
            }
        }
    }
}
