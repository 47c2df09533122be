using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using DriverBuffers.Exercising.Sources;

namespace DriverBuffers.Exercising.Running;

/// <summary>Finds the driver's frames on a violation's stack and their source lines (through the driver's PDB).</summary>
internal sealed class FrameLocator
{
    private readonly DriverSymbols? symbols;

    public FrameLocator(DriverSymbols? symbols) => this.symbols = symbols;

    /// <summary>The frames of <paramref name="exception"/>'s stack that belong to <paramref name="driver"/>, innermost first.</summary>
    public IReadOnlyList<DriverFrame> DriverFrames(Exception exception, Assembly driver) =>
        DriverFrames(new StackTrace(exception, fNeedFileInfo: false), driver);

    /// <summary>The frames of <paramref name="stack"/> (an allocation's, for a leak) that belong to <paramref name="driver"/>, innermost first.</summary>
    public IReadOnlyList<DriverFrame> DriverFrames(StackTrace stack, Assembly driver)
    {
        var frames = new List<DriverFrame>();
        if (symbols is null)
        {
            return frames;
        }
        foreach (var frame in stack.GetFrames())
        {
            if (frame.GetMethod() is { } method && method.Module.Assembly == driver && Describe(method, frame.GetILOffset()) is { } found)
            {
                frames.Add(found);
            }
        }
        return frames;
    }

    /// <summary>The driver method's start as a frame (for a request that method received and never completed).</summary>
    public DriverFrame? MethodFrame(MethodBase method) => Describe(method, ilOffset: 0);

    private DriverFrame? Describe(MethodBase method, int ilOffset)
    {
        if (symbols?.Locate(method, Math.Max(0, ilOffset)) is not { } location || symbols.LineRange(method) is not { } range)
        {
            return null;
        }
        string name = $"{method.DeclaringType?.Name}.{method.Name}";
        return new DriverFrame(location, name, range.First, range.Last);
    }
}
