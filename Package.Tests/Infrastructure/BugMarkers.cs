using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>A <c>// BUG DRVnnn: why</c> comment: the sample's promise that rule DRVnnn reports on that line.</summary>
public sealed record BugMarker(string FileName, int Line, string Id)
{
    public override string ToString() => $"{FileName}({Line}): {Id}";
}

public static class BugMarkers
{
    // "// BUG DRV001: why" or, where one line holds two bugs, "// BUG DRV001, DRV003: why".
    private static readonly Regex MarkerPattern = new(@"//\s*BUG\s+(?<ids>DRV\d{3}(?:\s*,\s*DRV\d{3})*)\s*:", RegexOptions.CultureInvariant);

    /// <summary>Every marker in the C# files of <paramref name="directory"/> (bin and obj excluded), by file name and 1-based line.</summary>
    public static IReadOnlyList<BugMarker> Read(string directory)
    {
        var markers = new List<BugMarker>();
        foreach (var file in SourceFiles(directory))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in MarkerPattern.Matches(lines[i]))
                {
                    foreach (var id in match.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        markers.Add(new BugMarker(Path.GetFileName(file), i + 1, id));
                    }
                }
            }
        }

        return markers;
    }

    /// <summary>The C# files of a project folder, without its build output.</summary>
    public static IEnumerable<string> SourceFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsUnder(directory, f, "bin") && !IsUnder(directory, f, "obj"))
            .OrderBy(f => f, StringComparer.Ordinal);

    private static bool IsUnder(string root, string file, string folder)
    {
        var relative = Path.GetRelativePath(root, file);
        return relative.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
