namespace DriverBuffers.Verifier;

/// <summary>
/// The rule names carried by <see cref="WdfViolationException.Rule"/>: the analyzer's IDs from RULES.md
/// where a rule exists, descriptive names for checks that have no analyzer twin.
/// </summary>
internal static class Rules
{
    /// <summary>Memory, buffer pointer or MDL used after the request it came from was completed.</summary>
    public const string UseAfterCompletion = "DRV001";
    /// <summary>A request completed twice.</summary>
    public const string DoubleCompletion = "DRV002";
    /// <summary>A <c>WdfRequest*</c> call on a completed request.</summary>
    public const string RequestAccessAfterCompletion = "DRV003";
    /// <summary>A request never completed (found at queue stop or driver unload).</summary>
    public const string RequestNeverCompleted = "DRV004";
    /// <summary>Original request completed while a driver-created request still references its memory.</summary>
    public const string MissingReuseBeforeCompletion = "DRV010";
    /// <summary>A driver-created request formatted or sent again without <c>WdfRequestReuse</c>.</summary>
    public const string ResendWithoutReuse = "DRV011";
    /// <summary><c>WdfRequestComplete*</c> on a driver-created request.</summary>
    public const string CompletingDriverCreatedRequest = "DRV013";
    /// <summary>Access outside an allocation's bounds.</summary>
    public const string OutOfBounds = "DRV020";
    /// <summary>A null handle or NULL buffer used (typically from a failed retrieve).</summary>
    public const string NullHandleUse = "DRV022";
    /// <summary>Completion information larger than the request's buffer.</summary>
    public const string InformationTooLarge = "DRV023";
    /// <summary>Pool freed with the wrong tag, or freed twice.</summary>
    public const string BadPoolFree = "DRV034";
    /// <summary>A preallocated buffer freed while a request using it is pending.</summary>
    public const string PreallocatedBufferFreedWhilePending = "DRV040";
    /// <summary><c>WdfMemoryAssignBuffer</c> on memory not created preallocated.</summary>
    public const string AssignBufferOnOwnedMemory = "DRV041";
    /// <summary>An unprobed neither-I/O user address touched.</summary>
    public const string UnprobedUserAddress = "DRV042";
    /// <summary>Buffering flags changed after the device object was set up.</summary>
    public const string BufferingModeChanged = "DRV044";

    /// <summary>Freed pool (or a freed MDL) used.</summary>
    public const string UseAfterFree = "UseAfterFree";
    /// <summary>A deleted framework object used.</summary>
    public const string UseAfterDelete = "UseAfterDelete";
    /// <summary>A pool allocation still outstanding at driver unload.</summary>
    public const string PoolLeak = "PoolLeak";
    /// <summary>A lookaside buffer never returned (its memory object never deleted) at driver unload.</summary>
    public const string LookasideLeak = "LookasideLeak";
    /// <summary>Something that is not a pool allocation start passed to <c>ExFreePool*</c>.</summary>
    public const string InvalidPoolFree = "InvalidPoolFree";
    /// <summary>Reference count dropped below zero, or object deleted that the driver may not delete.</summary>
    public const string InvalidObjectDelete = "InvalidObjectDelete";
    /// <summary>A request used in a way its state does not allow (completed or reused while pending at a target).</summary>
    public const string InvalidRequestState = "InvalidRequestState";
    /// <summary><c>WdfObjectDereference</c> without a matching <c>WdfObjectReference</c>.</summary>
    public const string ReferenceCountUnderflow = "ReferenceCountUnderflow";
    /// <summary>A non-null pointer converted to an optional handle, structure or offset (only C's NULL converts).</summary>
    public const string InvalidNullConversion = "InvalidNullConversion";
    /// <summary>An MDL misused (unlocked twice, mapped before it describes locked or nonpaged memory, ...).</summary>
    public const string InvalidMdl = "InvalidMdl";
}
