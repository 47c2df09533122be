namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// A helper's summary: the first thing in its body (or in a helper it calls) that is wrong above APC_LEVEL, e.g.
/// "reaches PAGED_CODE() (line 719)"; a helper without one has no summary.
/// </summary>
internal sealed class PageableReach
{
    public PageableReach(string what) => What = what;

    /// <summary>"reaches PAGED_CODE() (line 719)", "allocates paged pool (line 12)", "calls 'Inner', which …".</summary>
    public string What { get; }
}
