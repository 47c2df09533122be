namespace DriverBuffers;

/// <summary>
/// A WDM completion routine (C's <c>IO_COMPLETION_ROUTINE</c>), set with <c>IoSetCompletionRoutine</c> and called
/// when a lower driver completes the IRP, possibly at DISPATCH_LEVEL. Returning
/// <c>STATUS_MORE_PROCESSING_REQUIRED</c> stops completion: the driver owns the IRP again and completes it later.
/// </summary>
public delegate NTSTATUS IO_COMPLETION_ROUTINE(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context);

/// <summary>An allocate function of a WDM lookaside list (C's <c>PALLOCATE_FUNCTION</c>).</summary>
public delegate PVOID ALLOCATE_FUNCTION(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag);

/// <summary>A free function of a WDM lookaside list (C's <c>PFREE_FUNCTION</c>).</summary>
public delegate void FREE_FUNCTION(PVOID Buffer);
