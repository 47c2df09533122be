namespace DriverBuffers;

/// <summary>C's <c>POOL_EXTENDED_PARAMETER_TYPE</c>.</summary>
public enum POOL_EXTENDED_PARAMETER_TYPE
{
    PoolExtendedParameterInvalidType = 0,
    PoolExtendedParameterPriority,
    PoolExtendedParameterSecurePool,
    PoolExtendedParameterNumaNode,
    PoolExtendedParameterMax,
}

/// <summary>C's <c>POOL_EXTENDED_PARAMETER</c> for <c>ExAllocatePool3</c> (only the priority kind is simulated).</summary>
public sealed class POOL_EXTENDED_PARAMETER
{
    public POOL_EXTENDED_PARAMETER_TYPE Type { get; set; }

    public EX_POOL_PRIORITY Priority { get; set; }

    /// <summary>C's <c>NULL</c>; only NULL converts.</summary>
    public static implicit operator POOL_EXTENDED_PARAMETER?(PVOID pointer) =>
        NullOnly.Convert<POOL_EXTENDED_PARAMETER?>(pointer, null);
}
