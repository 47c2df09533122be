using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Exercising.StaticAnalysis;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>
/// Pairs a run-time violation with the static finding that predicted it: a finding of the same rule on the line of one
/// of the driver's frames on the violation's stack (innermost first). A few rules report where the bug is set up while
/// the verifier sees it later, elsewhere: for those a finding in the method of such a frame also counts (DRV004: the
/// callback, found at unload; DRV005: the completion of a cancelable request, seen when the cancel routine runs;
/// DRV040: the asynchronous send, seen when its buffer is freed), and for DRV046 (the store of RegistryPath in
/// DriverEntry, seen at a later use) any finding of the rule.
/// </summary>
internal static class StaticMatching
{
    private static readonly HashSet<string> ReportedAtTheSetUp = new(StringComparer.Ordinal) { "DRV004", "DRV005", "DRV040" };

    private const string RegistryPathKept = "DRV046";

    public static StaticFinding? Match(Occurrence occurrence, IReadOnlyList<StaticFinding> findings)
    {
        var sameRule = findings.Where(f => f.Rule == occurrence.Rule).ToList();
        if (sameRule.Count == 0)
        {
            return null;
        }
        foreach (var frame in occurrence.Frames)
        {
            if (sameRule.FirstOrDefault(f => f.Location.SameLine(frame.Location)) is { } onTheLine)
            {
                return onTheLine;
            }
        }
        if (ReportedAtTheSetUp.Contains(occurrence.Rule))
        {
            foreach (var frame in occurrence.Frames)
            {
                if (sameRule.Where(f => frame.Contains(f.Location)).OrderBy(f => Math.Abs(f.Location.Line - frame.Location.Line)).FirstOrDefault() is { } inTheMethod)
                {
                    return inTheMethod;
                }
            }
        }
        return occurrence.Rule == RegistryPathKept ? sameRule[0] : null;
    }
}
