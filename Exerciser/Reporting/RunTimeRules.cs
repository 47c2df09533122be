using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>
/// The DRV rules the run-time verifier raises (the rule IDs among the runtime's violation names). A static finding of
/// another rule (DRV012, DRV021, DRV030, ...: no run-time twin, or one that only returns a status) cannot be confirmed
/// by a run and is listed apart from the findings a run did not reach.
/// </summary>
internal static class RunTimeRules
{
    /// <summary>RULES.md's run-time twins, used when the runtime's list cannot be read.</summary>
    private static readonly string[] Documented =
    [
        "DRV001", "DRV002", "DRV003", "DRV004", "DRV005", "DRV010", "DRV011", "DRV013", "DRV020", "DRV022", "DRV023",
        "DRV024", "DRV034", "DRV036", "DRV037", "DRV040", "DRV041", "DRV042", "DRV044", "DRV045", "DRV046",
    ];

    private static readonly Lazy<HashSet<string>> Raised = new(Read);

    public static bool IsCheckedAtRunTime(string rule) => Raised.Value.Contains(rule);

    /// <summary>The string constants of the runtime's rule-name class that are DRV IDs.</summary>
    private static HashSet<string> Read()
    {
        var rules = typeof(Wdf).Assembly.GetType("DriverBuffers.Verifier.Rules")?
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => v.StartsWith("DRV", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        return rules is { Count: > 0 } ? rules : Documented.ToHashSet(StringComparer.Ordinal);
    }
}
