using DriverBuffers.Memory;

using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Lookaside lists of fixed-size buffers.</summary>
public static partial class Wdf
{
    /// <summary>
    /// Creates a lookaside list of <paramref name="BufferSize"/>-byte buffers for
    /// <see cref="WdfMemoryCreateFromLookaside"/>. STATUS_INVALID_PARAMETER for size 0. A buffer whose memory
    /// object is still alive when the driver unloads is reported as a LookasideLeak.
    /// </summary>
    public static NTSTATUS WdfLookasideListCreate(WDF_OBJECT_ATTRIBUTES? LookasideAttributes, nuint BufferSize,
        POOL_TYPE PoolType, WDF_OBJECT_ATTRIBUTES? MemoryAttributes, uint PoolTag, out WDFLOOKASIDE Lookaside)
    {
        Lookaside = default;
        var runtime = RuntimeFor(LookasideAttributes, nameof(WdfLookasideListCreate), out bool parentValid);
        if (!parentValid || BufferSize == 0)
        {
            return STATUS_INVALID_PARAMETER;
        }
        var lookaside = new WdfLookasideObject(runtime, BufferSize, PoolTag == 0 ? DefaultDriverTag : PoolTag, MemoryAttributes, IsPaged(PoolType));
        lookaside.ApplyAttributes(LookasideAttributes, runtime.Driver);
        runtime.RegisterLookaside(lookaside);
        Lookaside = new WDFLOOKASIDE(lookaside);
        return STATUS_SUCCESS;
    }
}
