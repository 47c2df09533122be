namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>Why a function is analyzed by <see cref="RequestOwnershipDomain"/>: what it starts from and what it follows.</summary>
internal enum RequestAnalysisPurpose
{
    /// <summary>A body the rules report on (a method, lambda or local function of the analyzed body).</summary>
    Body,

    /// <summary>
    /// A helper summarized for its callers (<see cref="RequestSummaries"/>): a request it retrieves from a queue parameter
    /// is the request in that queue, whose effect the caller maps to the requests it forwarded to the queue it passes.
    /// </summary>
    HelperSummary,

    /// <summary>
    /// A function replayed to find what it stores in fields (<see cref="HeldRequestStores"/>): a request loaded from a field
    /// starts fresh, and what the stores of other calls left there is not asked (no cycle).
    /// </summary>
    StoresReplay,
}
