using System;

namespace DriverBuffers;

/// <summary>Lookaside lists of fixed-size buffers.</summary>
public static partial class Wdf
{
    /// <summary>Creates a lookaside list of <paramref name="BufferSize"/>-byte buffers.</summary>
    public static NTSTATUS WdfLookasideListCreate(WDF_OBJECT_ATTRIBUTES? LookasideAttributes, nuint BufferSize,
        POOL_TYPE PoolType, WDF_OBJECT_ATTRIBUTES? MemoryAttributes, uint PoolTag, out WDFLOOKASIDE Lookaside) =>
        throw new NotImplementedException();
}
