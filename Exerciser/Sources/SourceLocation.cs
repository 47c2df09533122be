using System;
using System.IO;

namespace DriverBuffers.Exercising.Sources;

/// <summary>A place in the driver's source: a file (as found on disk where possible) and a 1-based line and column.</summary>
public sealed record SourceLocation(string FilePath, int Line, int Column)
{
    /// <summary>The path relative to the current directory when it lies below it, else as is; forward slashes.</summary>
    public string DisplayPath
    {
        get
        {
            string path = FilePath;
            if (Path.IsPathFullyQualified(path))
            {
                string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
                if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathFullyQualified(relative))
                {
                    path = relative;
                }
            }
            return path.Replace('\\', '/');
        }
    }

    /// <summary>True when both name the same file (compared by full path) and line.</summary>
    public bool SameLine(SourceLocation other) => Line == other.Line && SameFile(other);

    /// <summary>True when both name the same file.</summary>
    public bool SameFile(SourceLocation other) =>
        string.Equals(Normalize(FilePath), Normalize(other.FilePath), StringComparison.Ordinal);

    public override string ToString() => $"{DisplayPath}:{Line}";

    private static string Normalize(string path) => Path.GetFullPath(path).Replace('\\', '/');
}
