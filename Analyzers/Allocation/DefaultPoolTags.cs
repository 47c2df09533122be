using System.Collections.Generic;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// The default and placeholder pool tags of DRV035 (PREfast C28147, CodeQL DefaultPoolTag): <c>'Ddk '</c> (what the
/// kernel substitutes for an untagged allocation), <c>'Wdm '</c> and <c>'None'</c>, each as C's multi-character
/// constant writes it and in the other byte order (the way the tag reads in a pool dump).
/// </summary>
internal static class DefaultPoolTags
{
    private static readonly Dictionary<uint, string> Tags = Create("Ddk ", "Wdm ", "None");

    /// <summary>True when <paramref name="tag"/> is a default or placeholder tag.</summary>
    public static bool IsDefault(uint tag) => Tags.ContainsKey(tag);

    /// <summary>The tag as C writes it (<c>'Ddk '</c>), for a default tag; null otherwise.</summary>
    public static string? NameOf(uint tag) => Tags.TryGetValue(tag, out var name) ? name : null;

    private static Dictionary<uint, string> Create(params string[] names)
    {
        var tags = new Dictionary<uint, string>();
        foreach (var name in names)
        {
            uint multiCharacter = 0;
            uint dumpOrder = 0;
            for (var i = 0; i < 4; i++)
            {
                multiCharacter = (multiCharacter << 8) | name[i];
                dumpOrder = (dumpOrder << 8) | name[3 - i];
            }

            tags[multiCharacter] = "'" + name + "'";
            tags[dumpOrder] = "'" + name + "'";
        }

        return tags;
    }
}
