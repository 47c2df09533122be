namespace DriverBuffers.Memory;

/// <summary>Where a memory object's buffer comes from, which decides who owns the buffer.</summary>
internal enum MemoryOrigin
{
    /// <summary><c>WdfMemoryCreate</c>: the object owns a pool buffer and frees it when deleted.</summary>
    Created,
    /// <summary><c>WdfMemoryCreatePreallocated</c>: the driver owns the buffer; the object only points at it.</summary>
    Preallocated,
    /// <summary><c>WdfMemoryCreateFromLookaside</c>: the buffer goes back to the list when the object is deleted.</summary>
    Lookaside,
    /// <summary>A request's input buffer (<c>WdfRequestRetrieveInputMemory</c>); dies with the request.</summary>
    RequestInput,
    /// <summary>A request's output buffer (<c>WdfRequestRetrieveOutputMemory</c>); dies with the request.</summary>
    RequestOutput,
    /// <summary>A neither-I/O user buffer locked by <c>WdfRequestProbeAndLockUserBufferFor*</c>; dies with the request.</summary>
    ProbedUserBuffer,
}
