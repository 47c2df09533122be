using System;
using System.Collections.Generic;
using DriverBuffers.Exercising.Sources;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// One violation as it happened in one driver session: the rule, DDI and message, the driver's frames on the stack
/// (innermost first; none for what is found at unload), and the requests that led to it.
/// </summary>
internal sealed record Occurrence(
    string Rule,
    string Ddi,
    string Message,
    IReadOnlyList<DriverFrame> Frames,
    IReadOnlyList<int> SessionRequests,
    int? Trigger,
    bool AtUnload,
    int Threads)
{
    /// <summary>Where it is reported: the innermost driver frame, or null.</summary>
    public SourceLocation? Location => Frames.Count > 0 ? Frames[0].Location : null;

    /// <summary>What makes two occurrences the same violation: the rule and where (or the DDI, when found without a driver frame).</summary>
    public string Key => Location is { } where ? $"{Rule}@{where.FilePath}:{where.Line}" : $"{Rule}@{Ddi}";
}

/// <summary>A frame of the driver's code on a violation's stack: the line, and the lines its method spans.</summary>
internal sealed record DriverFrame(SourceLocation Location, string Method, int FirstLine, int LastLine)
{
    public bool Contains(SourceLocation other) =>
        other.SameFile(Location) && other.Line >= FirstLine && other.Line <= LastLine;
}
