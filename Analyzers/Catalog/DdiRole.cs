using System;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>
/// What a DDI does, as the rules reason about it. A DDI may have several roles (<c>WdfRequestProbeAndLockUserBufferForRead</c>
/// retrieves from a request and probes). <see cref="DdiNames"/> assigns them; <see cref="DdiCatalog"/> resolves them to
/// the API's symbols once per compilation.
/// </summary>
[Flags]
internal enum DdiRole : long
{
    None = 0,

    // ------------------------------------------------------------------ requests
    /// <summary>Its <c>out</c> memory object, buffer or MDL belongs to the request it is given.</summary>
    RetrievesFromRequest = 1L << 0,

    /// <summary>Its result belongs to whatever its first argument belongs to (<c>WdfMemoryGetBuffer</c>, MDL mappings).</summary>
    DerivesFromArgument = 1L << 1,

    /// <summary>Completes the request it is given.</summary>
    CompletesRequest = 1L << 2,

    /// <summary>Formats a request for an I/O target (takes a reference on the memory it is given).</summary>
    FormatsRequest = 1L << 3,

    /// <summary><c>WdfRequestSend</c>: sends a formatted request (asynchronously unless its options say otherwise).</summary>
    SendsRequest = 1L << 4,

    /// <summary><c>WdfIoTargetSend*Synchronously</c>: formats the request again and sends it, waiting.</summary>
    SendsSynchronously = 1L << 5,

    /// <summary>Hands the request to another queue; returns an <c>NTSTATUS</c>.</summary>
    ForwardsRequest = 1L << 6,

    /// <summary><c>WdfRequestReuse</c>.</summary>
    ReusesRequest = 1L << 7,

    /// <summary><c>WdfRequestCreate</c>: a driver-created request.</summary>
    CreatesRequest = 1L << 8,

    /// <summary><c>WdfIoQueueRetrieveNextRequest</c>: a request the framework presents from a manual queue.</summary>
    ReceivesRequest = 1L << 9,

    /// <summary><c>WdfRequestSetCompletionRoutine</c>.</summary>
    SetsCompletionRoutine = 1L << 10,

    /// <summary><c>WdfObjectDelete</c>.</summary>
    DeletesObject = 1L << 11,

    /// <summary>Creates a memory object the driver owns (<c>WdfMemoryCreate</c>, <c>…Preallocated</c>, <c>…FromLookaside</c>).</summary>
    CreatesMemory = 1L << 12,

    /// <summary><c>WDF_REQUEST_SEND_OPTIONS_INIT</c>.</summary>
    InitializesSendOptions = 1L << 13,

    /// <summary><c>NT_SUCCESS</c>.</summary>
    ChecksStatus = 1L << 14,

    /// <summary>Returns an object's typed context (<c>WdfObjectGetTypedContext&lt;T&gt;</c>).</summary>
    AccessesContext = 1L << 15,

    /// <summary>Reads a request's status or information without changing it.</summary>
    QueriesRequest = 1L << 16,

    /// <summary>Marks a request cancelable with a cancel routine (<c>WdfRequestMarkCancelable</c>, <c>…Ex</c>).</summary>
    MarksCancelable = 1L << 17,

    /// <summary>Makes a request not cancelable again; returns <c>STATUS_CANCELLED</c> when the cancel routine runs or will run.</summary>
    UnmarksCancelable = 1L << 18,

    /// <summary>Cancels a request the driver sent (<c>WdfRequestCancelSentRequest</c>): its completion routine runs.</summary>
    CancelsSentRequest = 1L << 19,

    /// <summary><c>IoCompleteRequest</c>: completes the WDM <c>IRP</c> it is given.</summary>
    CompletesIrp = 1L << 26,

    /// <summary><c>IoCallDriver</c>: passes the <c>IRP</c> to the next lower driver, which completes it (whatever status it returns).</summary>
    PassesIrpDown = 1L << 27,

    /// <summary><c>IoMarkIrpPending</c>: the driver keeps the <c>IRP</c> to complete it later (and returns <c>STATUS_PENDING</c>).</summary>
    MarksIrpPending = 1L << 28,

    // ------------------------------------------------------------------ copies
    /// <summary><c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>.</summary>
    CopiesMemory = 1L << 20,

    /// <summary><c>WdfMemoryCopyFromBuffer</c>, <c>WdfMemoryCopyToBuffer</c>: checked copies that return a status.</summary>
    CopiesMemoryObject = 1L << 21,

    /// <summary><c>RtlZeroMemory</c>, <c>RtlFillMemory</c>.</summary>
    FillsMemory = 1L << 22,

    /// <summary><c>RtlCompareMemory</c>.</summary>
    ComparesMemory = 1L << 23,

    /// <summary><c>MmGetMdlByteCount</c>: the size of an MDL's buffer.</summary>
    MeasuresMdl = 1L << 24,

    /// <summary><c>WdfLookasideListCreate</c>.</summary>
    CreatesLookaside = 1L << 25,

    // ------------------------------------------------------------------ allocation
    /// <summary><c>ExAllocatePool2/3</c> and the zeroing wrappers.</summary>
    AllocatesPool = 1L << 30,

    /// <summary>The deprecated <c>ExAllocatePool*</c> allocators.</summary>
    AllocatesPoolDeprecated = 1L << 31,

    /// <summary><c>ExFreePool</c>, <c>ExFreePoolWithTag</c>.</summary>
    FreesPool = 1L << 32,

    /// <summary>Maps an MDL to a system address.</summary>
    MapsMdl = 1L << 33,

    /// <summary><c>IoFreeMdl</c>: frees the MDL it is given.</summary>
    FreesMdl = 1L << 34,

    /// <summary><c>IoAllocateMdl</c>: returns a new MDL.</summary>
    AllocatesMdl = 1L << 35,

    /// <summary><c>ExFreeToNPagedLookasideList</c>: gives its entry back to the list.</summary>
    FreesLookasideEntry = 1L << 36,

    /// <summary><c>ExAllocateFromNPagedLookasideList</c>: returns a lookaside entry.</summary>
    AllocatesLookasideEntry = 1L << 37,

    /// <summary><c>ExInitializeNPagedLookasideList</c>: sets up a WDM lookaside list whose entries carry its tag.</summary>
    InitializesLookasideList = 1L << 38,

    // ------------------------------------------------------------------ I/O modes
    /// <summary>Probes (or probes and locks) a user address.</summary>
    ProbesUserAddress = 1L << 40,

    /// <summary>Hands out an unprobed user address (<c>WdfRequestRetrieveUnsafeUser*</c>, <c>MmGetMdlVirtualAddress</c>).</summary>
    RetrievesUserAddress = 1L << 41,

    /// <summary><c>WdfMemoryAssignBuffer</c>.</summary>
    AssignsBuffer = 1L << 42,

    /// <summary><c>IoGetCurrentIrpStackLocation</c>.</summary>
    GetsStackLocation = 1L << 43,

    /// <summary><c>WdfMemoryCreatePreallocated</c>: a memory object over the caller's buffer, which it does not own.</summary>
    WrapsBuffer = 1L << 44,

    /// <summary><c>WdfDeviceCreate</c>: consumes the <c>WDFDEVICE_INIT</c> it is given (any later use is DRV044).</summary>
    CreatesDevice = 1L << 45,

    // ------------------------------------------------------------------ execution level (IRQL)
    /// <summary>Registers a callback that runs at DISPATCH_LEVEL (completion routines, timer and DPC callbacks): its callback is its second argument.</summary>
    RegistersDispatchCallback = 1L << 46,

    /// <summary>Raises the IRQL to DISPATCH_LEVEL until its release (<c>WdfSpinLockAcquire</c>, <c>KeAcquireSpinLock</c>, <c>KeRaiseIrql</c>).</summary>
    RaisesIrql = 1L << 47,

    /// <summary>Lowers the IRQL a <see cref="RaisesIrql"/> call raised (<c>WdfSpinLockRelease</c>, <c>KeReleaseSpinLock</c>, <c>KeLowerIrql</c>).</summary>
    LowersIrql = 1L << 48,

    /// <summary><c>PAGED_CODE()</c>: the function is pageable and may run only at APC_LEVEL or below.</summary>
    MarksPageable = 1L << 49,

    /// <summary>
    /// <c>WdfObjectDereference</c>: releases a reference the driver took with <c>WdfObjectReference</c>; valid after the
    /// request's completion (the reference kept its handle valid), so it is no request DDI call after completion (DRV003).
    /// </summary>
    ReleasesReference = 1L << 50,

    // ------------------------------------------------------------------ groups
    /// <summary>Every role that changes or hands off a request.</summary>
    RequestLifetime = CompletesRequest | FormatsRequest | SendsRequest | SendsSynchronously | ForwardsRequest |
        ReusesRequest | CreatesRequest | ReceivesRequest | SetsCompletionRoutine,

    /// <summary>Every role that changes or hands off a WDM <c>IRP</c>.</summary>
    IrpLifetime = CompletesIrp | PassesIrpDown | MarksIrpPending,

    /// <summary>Every role that ends a block's or object's life (pool, MDL, lookaside entry, framework object).</summary>
    Frees = FreesPool | FreesMdl | FreesLookasideEntry | DeletesObject,

    /// <summary>Every role that returns a new block (pool, MDL, lookaside entry).</summary>
    AllocatesBlock = AllocatesPool | AllocatesPoolDeprecated | AllocatesMdl | AllocatesLookasideEntry,
}
