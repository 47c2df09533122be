using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace DriverBuffers.Exercising.Sources;

/// <summary>
/// Finds a source file named in a PDB on this machine. A reproducible build (<c>ContinuousIntegrationBuild</c>) maps
/// the repository root to <c>/_/</c>; such a path is looked up below the folders that hold the driver and their parents.
/// </summary>
internal static partial class SourcePaths
{
    /// <summary>The file on disk, or null when it is not there.</summary>
    public static string? Find(string pdbPath, IEnumerable<string> searchRoots)
    {
        if (File.Exists(pdbPath))
        {
            return Path.GetFullPath(pdbPath);
        }
        var mapped = MappedPrefix().Match(pdbPath);
        if (!mapped.Success)
        {
            return null;
        }
        string relative = pdbPath[mapped.Length..].Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);
        foreach (string root in searchRoots)
        {
            for (var folder = new DirectoryInfo(root); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>The path map prefixes the SDK writes: /_/, /_1/, /_2/, ...</summary>
    [GeneratedRegex(@"^[/\\]_\d*[/\\]")]
    private static partial Regex MappedPrefix();
}
