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
    /// <summary>A request completed while still marked cancelable, or a cancel routine that did not complete its request.</summary>
    public const string CancelableRequestMisuse = "DRV005";
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
    /// <summary>A <c>PVOID</c> accessor (<c>Read</c>, <c>Write</c>, <c>CopyFrom</c>, <c>CopyTo</c>) outside its allocation.</summary>
    public const string PointerAccessOutOfBounds = "DRV024";
    /// <summary>Pool freed with the wrong tag, or freed twice.</summary>
    public const string BadPoolFree = "DRV034";
    /// <summary>Freed pool, a freed MDL or lookaside entry, or a stale mapping, used (RULES.md DRV036).</summary>
    public const string UseAfterFree = "DRV036";
    /// <summary>A deleted framework object or device object used (RULES.md DRV036).</summary>
    public const string UseAfterDelete = "DRV036";
    /// <summary>Paged pool (or pageable user memory) touched or allocated, or <c>PAGED_CODE()</c> reached, above APC_LEVEL.</summary>
    public const string PagedMemoryAboveApcLevel = "DRV037";
    /// <summary>A preallocated buffer freed while a request using it is pending.</summary>
    public const string PreallocatedBufferFreedWhilePending = "DRV040";
    /// <summary><c>WdfMemoryAssignBuffer</c> on memory not created preallocated.</summary>
    public const string AssignBufferOnOwnedMemory = "DRV041";
    /// <summary>An unprobed neither-I/O user address touched.</summary>
    public const string UnprobedUserAddress = "DRV042";
    /// <summary>Buffering flags changed after the device object was set up.</summary>
    public const string BufferingModeChanged = "DRV044";
    /// <summary>A <c>WDFDEVICE_INIT</c> used after <c>WdfDeviceCreate</c> consumed it.</summary>
    public const string DeviceInitUsedAfterCreate = "DRV044";
    /// <summary>The same bytes of a neither-I/O user buffer read twice (the application can change them in between).</summary>
    public const string UserBufferFetchedTwice = "DRV045";
    /// <summary><c>DriverEntry</c>'s <c>RegistryPath</c> (or its buffer) used after <c>DriverEntry</c> returned.</summary>
    public const string RegistryPathUsedAfterDriverEntry = "DRV046";

    /// <summary>A required parameter passed as null (KMDF bug check 0x10D, WDF_REQUIRED_PARAMETER_IS_NULL).</summary>
    public const string RequiredParameterIsNull = "RequiredParameterIsNull";
    /// <summary>A <c>WDFOBJECT</c> cast to a handle type it is not.</summary>
    public const string WrongHandleType = "WrongHandleType";
    /// <summary>A DDI called above the IRQL it allows, <c>KeRaiseIrql</c>/<c>KeLowerIrql</c> the wrong way, or a callback returning at another IRQL than it was called at.</summary>
    public const string WrongIrql = "WrongIrql";
    /// <summary>A spin or wait lock acquired twice by one thread, released without being held, used uninitialised, or still held when a callback returns.</summary>
    public const string LockMisuse = "LockMisuse";
    /// <summary><c>WdfObjectGetTypedContext</c> for a context type the object was never given.</summary>
    public const string ContextNotAllocated = "ContextNotAllocated";
    /// <summary><c>IoCallDriver</c>, <c>IoSetCompletionRoutine</c> or <c>IoCopyCurrentIrpStackLocationToNext</c> past the IRP's last stack location.</summary>
    public const string NoMoreIrpStackLocations = "NoMoreIrpStackLocations";
    /// <summary>A <c>LOCAL_BUFFER</c> used after its <c>using</c> scope ended.</summary>
    public const string StackBufferOutOfScope = "StackBufferOutOfScope";
    /// <summary>A <c>LOCAL_BUFFER</c> larger than a kernel stack.</summary>
    public const string KernelStackOverflow = "KernelStackOverflow";
    /// <summary>A WDM device object its driver never deleted (found at driver unload).</summary>
    public const string DeviceObjectLeak = "DeviceObjectLeak";
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
    /// <summary>An <c>ASSERT</c>/<c>NT_ASSERT</c> of a driver built with <c>DBG</c> (a checked build) found its expression false.</summary>
    public const string AssertionFailure = "AssertionFailure";
    /// <summary>An MDL misused (unlocked twice, mapped before it describes locked or nonpaged memory, ...).</summary>
    public const string InvalidMdl = "InvalidMdl";
}
