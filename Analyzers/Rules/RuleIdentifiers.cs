namespace DriverBuffers.Analyzers.Rules;

/// <summary>
/// The rule IDs of <c>shared/RULES.md</c>. An ID never changes and is never reused.
/// </summary>
public static class RuleIdentifiers
{
    // Lifetime: handles and buffers after completion
    public const string UseAfterRequestCompleted = "DRV001";
    public const string RequestCompletedTwice = "DRV002";
    public const string RequestDdiAfterCompletion = "DRV003";
    public const string RequestNotCompleted = "DRV004";
    public const string CancelableRequestMisuse = "DRV005";

    // Reuse: driver-created requests
    public const string MissingReuseBeforeCompletion = "DRV010";
    public const string ReformatWithoutReuse = "DRV011";
    public const string ReusedRequestWithoutCompletionRoutine = "DRV012";
    public const string DriverCreatedRequestCompleted = "DRV013";

    // Copies: sizes and statuses
    public const string UnboundedCopy = "DRV020";
    public const string CopyStatusIgnored = "DRV021";
    public const string RetrieveStatusNotChecked = "DRV022";
    public const string InformationExceedsBuffer = "DRV023";
    public const string PointerAccessOutOfBounds = "DRV024";

    // Deprecated and unsafe allocation
    public const string DeprecatedPoolAllocation = "DRV030";
    public const string ExecutableMemory = "DRV031";
    public const string ObsoleteMdlMapping = "DRV032";
    public const string PoolTypeAsPoolFlags = "DRV033";
    public const string PoolFreeMismatch = "DRV034";
    public const string DefaultPoolTag = "DRV035";
    public const string UseAfterFree = "DRV036";
    public const string PagedPoolAtDispatch = "DRV037";

    // Buffer ownership and I/O modes
    public const string PreallocatedMemorySentAsynchronously = "DRV040";
    public const string AssignBufferOnOwnedMemory = "DRV041";
    public const string UnprobedUserAddress = "DRV042";
    public const string DirectIoLengthFromParameters = "DRV043";
    public const string BufferingModeChangedAfterSetup = "DRV044";
    public const string UserBufferFetchedTwice = "DRV045";
    public const string RegistryPathKept = "DRV046";
}
