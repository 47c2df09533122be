using System.Collections.Generic;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>
/// The one list of DDI names the rules know, each with its roles. Names are never matched alone: <see cref="DdiCatalog"/>
/// resolves each to the symbol of <c>DriverBuffers.Wdf</c> or <c>DriverBuffers.Wdm</c> it names. A new DDI is added
/// here, with its roles, and nowhere else.
/// </summary>
internal static class DdiNames
{
    public const string WdfRequestComplete = nameof(WdfRequestComplete);
    public const string WdfRequestCompleteWithInformation = nameof(WdfRequestCompleteWithInformation);
    public const string WdfRequestCompleteWithPriorityBoost = nameof(WdfRequestCompleteWithPriorityBoost);
    public const string WdfRequestCreate = nameof(WdfRequestCreate);
    public const string WdfRequestReuse = nameof(WdfRequestReuse);
    public const string WdfRequestSend = nameof(WdfRequestSend);
    public const string WdfRequestSetCompletionRoutine = nameof(WdfRequestSetCompletionRoutine);
    public const string WdfObjectDelete = nameof(WdfObjectDelete);
    public const string WdfRequestGetStatus = nameof(WdfRequestGetStatus);
    public const string WdfMemoryGetBuffer = nameof(WdfMemoryGetBuffer);
    public const string NtSuccess = "NT_SUCCESS";
    public const string ExAllocatePool = nameof(ExAllocatePool);
    public const string ExAllocatePoolWithTag = nameof(ExAllocatePoolWithTag);
    public const string ExAllocatePoolWithQuota = nameof(ExAllocatePoolWithQuota);
    public const string ExAllocatePoolWithQuotaTag = nameof(ExAllocatePoolWithQuotaTag);
    public const string ExAllocatePoolWithTagPriority = nameof(ExAllocatePoolWithTagPriority);
    public const string ExAllocatePool2 = nameof(ExAllocatePool2);
    public const string ExAllocatePool3 = nameof(ExAllocatePool3);
    public const string ExFreePool = nameof(ExFreePool);
    public const string ExFreePoolWithTag = nameof(ExFreePoolWithTag);
    public const string RtlZeroMemory = nameof(RtlZeroMemory);
    public const string MmGetSystemAddressForMdl = nameof(MmGetSystemAddressForMdl);
    public const string MmGetSystemAddressForMdlSafe = nameof(MmGetSystemAddressForMdlSafe);

    /// <summary>The three DDIs that complete a request.</summary>
    public static readonly string[] Completions =
    {
        WdfRequestComplete, WdfRequestCompleteWithInformation, WdfRequestCompleteWithPriorityBoost,
    };

    /// <summary>Every DDI name the rules reason about, with its roles.</summary>
    public static readonly IReadOnlyDictionary<string, DdiRole> Roles = new Dictionary<string, DdiRole>(System.StringComparer.Ordinal)
    {
        // Requests: retrieving what belongs to them.
        ["WdfRequestRetrieveInputMemory"] = DdiRole.RetrievesFromRequest,
        ["WdfRequestRetrieveOutputMemory"] = DdiRole.RetrievesFromRequest,
        ["WdfRequestRetrieveInputBuffer"] = DdiRole.RetrievesFromRequest,
        ["WdfRequestRetrieveOutputBuffer"] = DdiRole.RetrievesFromRequest,
        ["WdfRequestRetrieveInputWdmMdl"] = DdiRole.RetrievesFromRequest,
        ["WdfRequestRetrieveOutputWdmMdl"] = DdiRole.RetrievesFromRequest,
        ["WdfRequestRetrieveUnsafeUserInputBuffer"] = DdiRole.RetrievesFromRequest | DdiRole.RetrievesUserAddress,
        ["WdfRequestRetrieveUnsafeUserOutputBuffer"] = DdiRole.RetrievesFromRequest | DdiRole.RetrievesUserAddress,
        ["WdfRequestProbeAndLockUserBufferForRead"] = DdiRole.RetrievesFromRequest | DdiRole.ProbesUserAddress,
        ["WdfRequestProbeAndLockUserBufferForWrite"] = DdiRole.RetrievesFromRequest | DdiRole.ProbesUserAddress,
        [WdfMemoryGetBuffer] = DdiRole.DerivesFromArgument,
        [MmGetSystemAddressForMdlSafe] = DdiRole.DerivesFromArgument | DdiRole.MapsMdl,
        [MmGetSystemAddressForMdl] = DdiRole.DerivesFromArgument | DdiRole.MapsMdl,
        ["MmGetMdlVirtualAddress"] = DdiRole.DerivesFromArgument | DdiRole.RetrievesUserAddress,

        // Requests: completing, handing off, creating, reusing.
        [WdfRequestComplete] = DdiRole.CompletesRequest,
        [WdfRequestCompleteWithInformation] = DdiRole.CompletesRequest,
        [WdfRequestCompleteWithPriorityBoost] = DdiRole.CompletesRequest,
        ["WdfIoTargetFormatRequestForRead"] = DdiRole.FormatsRequest,
        ["WdfIoTargetFormatRequestForWrite"] = DdiRole.FormatsRequest,
        ["WdfIoTargetFormatRequestForIoctl"] = DdiRole.FormatsRequest,
        ["WdfIoTargetFormatRequestForInternalIoctl"] = DdiRole.FormatsRequest,
        [WdfRequestSend] = DdiRole.SendsRequest,
        ["WdfIoTargetSendReadSynchronously"] = DdiRole.SendsSynchronously,
        ["WdfIoTargetSendWriteSynchronously"] = DdiRole.SendsSynchronously,
        ["WdfIoTargetSendIoctlSynchronously"] = DdiRole.SendsSynchronously,
        ["WdfIoTargetSendInternalIoctlSynchronously"] = DdiRole.SendsSynchronously,
        ["WdfRequestForwardToIoQueue"] = DdiRole.ForwardsRequest,
        ["WdfDeviceEnqueueRequest"] = DdiRole.ForwardsRequest,
        [WdfRequestReuse] = DdiRole.ReusesRequest,
        [WdfRequestCreate] = DdiRole.CreatesRequest,
        ["WdfIoQueueRetrieveNextRequest"] = DdiRole.ReceivesRequest,
        [WdfRequestSetCompletionRoutine] = DdiRole.SetsCompletionRoutine | DdiRole.RegistersDispatchCallback,
        [WdfObjectDelete] = DdiRole.DeletesObject,
        ["WdfObjectDereference"] = DdiRole.ReleasesReference,
        ["WdfMemoryCreate"] = DdiRole.CreatesMemory,
        ["WdfMemoryCreatePreallocated"] = DdiRole.CreatesMemory | DdiRole.WrapsBuffer,
        ["WdfMemoryCreateFromLookaside"] = DdiRole.CreatesMemory,
        ["WDF_REQUEST_SEND_OPTIONS_INIT"] = DdiRole.InitializesSendOptions,
        [NtSuccess] = DdiRole.ChecksStatus,
        ["WdfObjectGetTypedContext"] = DdiRole.AccessesContext,
        [WdfRequestGetStatus] = DdiRole.QueriesRequest,
        ["WdfRequestGetInformation"] = DdiRole.QueriesRequest,
        ["WdfRequestMarkCancelable"] = DdiRole.MarksCancelable | DdiRole.RegistersDispatchCallback,
        ["WdfRequestMarkCancelableEx"] = DdiRole.MarksCancelable | DdiRole.RegistersDispatchCallback,
        ["WdfRequestUnmarkCancelable"] = DdiRole.UnmarksCancelable,
        ["WdfRequestCancelSentRequest"] = DdiRole.CancelsSentRequest,

        // Copies and sizes.
        ["RtlCopyMemory"] = DdiRole.CopiesMemory,
        ["RtlMoveMemory"] = DdiRole.CopiesMemory,
        ["WdfMemoryCopyFromBuffer"] = DdiRole.CopiesMemoryObject,
        ["WdfMemoryCopyToBuffer"] = DdiRole.CopiesMemoryObject,
        [RtlZeroMemory] = DdiRole.FillsMemory,
        ["RtlFillMemory"] = DdiRole.FillsMemory,
        ["RtlCompareMemory"] = DdiRole.ComparesMemory,
        ["MmGetMdlByteCount"] = DdiRole.MeasuresMdl,
        ["WdfLookasideListCreate"] = DdiRole.CreatesLookaside,

        // WDM IRPs: completed, passed down, kept pending.
        ["IoCompleteRequest"] = DdiRole.CompletesIrp,
        ["IoCallDriver"] = DdiRole.PassesIrpDown,
        ["IoMarkIrpPending"] = DdiRole.MarksIrpPending,

        // Pool.
        [ExAllocatePool] = DdiRole.AllocatesPoolDeprecated,
        [ExAllocatePoolWithTag] = DdiRole.AllocatesPoolDeprecated,
        [ExAllocatePoolWithQuota] = DdiRole.AllocatesPoolDeprecated,
        [ExAllocatePoolWithQuotaTag] = DdiRole.AllocatesPoolDeprecated,
        [ExAllocatePoolWithTagPriority] = DdiRole.AllocatesPoolDeprecated,
        [ExAllocatePool2] = DdiRole.AllocatesPool,
        [ExAllocatePool3] = DdiRole.AllocatesPool,
        ["ExAllocatePoolZero"] = DdiRole.AllocatesPool,
        ["ExAllocatePoolQuotaZero"] = DdiRole.AllocatesPool,
        ["ExAllocatePoolPriorityZero"] = DdiRole.AllocatesPool,
        [ExFreePool] = DdiRole.FreesPool,
        [ExFreePoolWithTag] = DdiRole.FreesPool,
        ["IoAllocateMdl"] = DdiRole.AllocatesMdl,
        ["IoFreeMdl"] = DdiRole.FreesMdl,
        ["ExAllocateFromNPagedLookasideList"] = DdiRole.AllocatesLookasideEntry,
        ["ExFreeToNPagedLookasideList"] = DdiRole.FreesLookasideEntry,
        ["ExInitializeNPagedLookasideList"] = DdiRole.InitializesLookasideList,

        // User addresses and I/O modes.
        ["ProbeForRead"] = DdiRole.ProbesUserAddress,
        ["ProbeForWrite"] = DdiRole.ProbesUserAddress,
        ["MmProbeAndLockPages"] = DdiRole.ProbesUserAddress,
        ["WdfMemoryAssignBuffer"] = DdiRole.AssignsBuffer,
        ["IoGetCurrentIrpStackLocation"] = DdiRole.GetsStackLocation,
        ["WdfDeviceCreate"] = DdiRole.CreatesDevice,

        // Execution level (IRQL): callbacks that run at DISPATCH_LEVEL, raising and lowering, pageable code.
        ["IoSetCompletionRoutine"] = DdiRole.RegistersDispatchCallback,
        ["WDF_TIMER_CONFIG_INIT"] = DdiRole.RegistersDispatchCallback,
        ["WDF_TIMER_CONFIG_INIT_PERIODIC"] = DdiRole.RegistersDispatchCallback,
        ["WDF_DPC_CONFIG_INIT"] = DdiRole.RegistersDispatchCallback,
        ["WdfSpinLockAcquire"] = DdiRole.RaisesIrql,
        ["KeAcquireSpinLock"] = DdiRole.RaisesIrql,
        ["KeAcquireSpinLockAtDpcLevel"] = DdiRole.RaisesIrql,
        ["KeRaiseIrql"] = DdiRole.RaisesIrql,
        ["KeRaiseIrqlToDpcLevel"] = DdiRole.RaisesIrql,
        ["WdfSpinLockRelease"] = DdiRole.LowersIrql,
        ["KeReleaseSpinLock"] = DdiRole.LowersIrql,
        ["KeReleaseSpinLockFromDpcLevel"] = DdiRole.LowersIrql,
        ["KeLowerIrql"] = DdiRole.LowersIrql,
        ["PAGED_CODE"] = DdiRole.MarksPageable,
    };

    /// <summary>The roles of the DDI called <paramref name="name"/>, for a cheap syntactic pre-filter; confirm by symbol.</summary>
    public static DdiRole RolesOfName(string name) => Roles.TryGetValue(name, out var roles) ? roles : DdiRole.None;
}
