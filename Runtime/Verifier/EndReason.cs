namespace DriverBuffers.Verifier;

/// <summary>
/// Why an allocation, pointer, MDL or handle may no longer be used: the rule a later use breaks, and what
/// ended it.
/// </summary>
/// <param name="Rule">The rule a later use violates (DRV001 after request completion, UseAfterFree, ...).</param>
/// <param name="Detail">What ended it, e.g. "it belongs to WDFREQUEST#3, which was completed by WdfRequestComplete".</param>
internal sealed record EndReason(string Rule, string Detail);
