using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Exercising.StaticAnalysis;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>
/// Pairs a run-time violation with the static finding that predicted it: a finding of the same rule on the line of
/// one of the driver's frames on the violation's stack (innermost first), else one inside the method of such a frame
/// (a rule may report at the call that sets the bug up, the verifier where it bites: an asynchronous send, then the
/// free of its buffer).
/// </summary>
internal static class StaticMatching
{
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
        foreach (var frame in occurrence.Frames)
        {
            if (sameRule.Where(f => frame.Contains(f.Location)).OrderBy(f => System.Math.Abs(f.Location.Line - frame.Location.Line)).FirstOrDefault() is { } inTheMethod)
            {
                return inTheMethod;
            }
        }
        return null;
    }
}
