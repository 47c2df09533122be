using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// The text of a twin driver file: the very code the runtime twin executes is what the analyzer test analyzes.
/// Located next to the calling test file through <see cref="CallerFilePathAttribute"/>.
/// </summary>
internal static class TwinSource
{
    public static string Read(string fileName, [CallerFilePath] string callerPath = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, fileName);
        Assert.True(File.Exists(path), $"twin driver source not found: {path}");
        return File.ReadAllText(path);
    }

    /// <summary>
    /// Wraps in <c>{|id:…|}</c> markup the first occurrence of <paramref name="flagged"/> after the single occurrence
    /// of <paramref name="within"/> (e.g. the buggy method's signature).
    /// </summary>
    public static string Expect(string source, string id, string flagged, string within)
    {
        var anchor = source.IndexOf(within, StringComparison.Ordinal);
        Assert.True(anchor >= 0, $"'{within}' not found in the twin source");
        Assert.True(source.IndexOf(within, anchor + 1, StringComparison.Ordinal) < 0, $"'{within}' occurs more than once");
        var first = source.IndexOf(flagged, anchor, StringComparison.Ordinal);
        Assert.True(first >= 0, $"'{flagged}' not found after '{within}'");
        return source.Substring(0, first) + "{|" + id + ":" + flagged + "|}" + source.Substring(first + flagged.Length);
    }
}
