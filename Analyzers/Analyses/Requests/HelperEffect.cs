using System;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>What a method does to a driver-created request it is given or shares (a "may" summary of its whole body).</summary>
[Flags]
internal enum HelperEffect
{
    None = 0,
    Reuses = 1,
    Deletes = 2,
    Formats = 4,
    SetsRoutine = 8,
    Sends = 16,
    Completes = 32,
}
