using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DriverBuffers.Exercising.Generation;

/// <summary>Request numbers as the command line writes them: "17", "3,17", "12-17" (lists and ranges mixed).</summary>
public static class RequestNumbers
{
    /// <summary>Parses a list; on failure returns the error message for the user.</summary>
    public static string? TryParse(string? text, out IReadOnlyList<int>? numbers)
    {
        numbers = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "--replay needs request numbers, e.g. 17 or 3,17 or 12-17.";
        }
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int to)
                || from > to)
            {
                return $"--replay: '{part}' is not a request number or range.";
            }
            list.AddRange(Enumerable.Range(from, to - from + 1));
        }
        numbers = list;
        return null;
    }

    /// <summary>Writes a list the way <see cref="TryParse"/> reads it, with runs as ranges: 3,12-17.</summary>
    public static string Format(IEnumerable<int> numbers)
    {
        var text = new StringBuilder();
        var sorted = numbers.ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            int start = sorted[i];
            while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(start.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != start)
            {
                text.Append(sorted[i] == start + 1 ? ',' : '-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }
}
