namespace DriverBuffers.Analyzers.Api;

/// <summary>
/// Names of the DDIs the rules reason about, and the groups they fall in. Always used together with
/// <see cref="DriverApi"/>, which checks the containing type.
/// </summary>
internal static class DdiNames
{
    public const string WdfRequestComplete = nameof(WdfRequestComplete);
    public const string WdfRequestCompleteWithInformation = nameof(WdfRequestCompleteWithInformation);
    public const string WdfRequestCompleteWithPriorityBoost = nameof(WdfRequestCompleteWithPriorityBoost);

    /// <summary>The three DDIs that complete a request.</summary>
    public static readonly string[] Completions =
    {
        WdfRequestComplete, WdfRequestCompleteWithInformation, WdfRequestCompleteWithPriorityBoost,
    };
}
