using System;

namespace DriverBuffers;

/// <summary>Pool allocation: types, flags, priorities and the <c>ExAllocatePool*</c>/<c>ExFreePool*</c> DDIs.</summary>
public static partial class Wdm
{
    public static readonly POOL_TYPE NonPagedPool = new(0);
    public static readonly POOL_TYPE NonPagedPoolExecute = new(0);
    public static readonly POOL_TYPE PagedPool = new(1);
    public static readonly POOL_TYPE NonPagedPoolMustSucceed = new(2);
    public static readonly POOL_TYPE NonPagedPoolCacheAligned = new(4);
    public static readonly POOL_TYPE PagedPoolCacheAligned = new(5);
    public static readonly POOL_TYPE POOL_QUOTA_FAIL_INSTEAD_OF_RAISE = new(8);
    public static readonly POOL_TYPE POOL_RAISE_IF_ALLOCATION_FAILURE = new(16);
    public static readonly POOL_TYPE NonPagedPoolNx = new(512);
    public static readonly POOL_TYPE NonPagedPoolNxCacheAligned = new(516);

    public const ulong POOL_FLAG_USE_QUOTA = 0x0000000000000001UL;
    public const ulong POOL_FLAG_UNINITIALIZED = 0x0000000000000002UL;
    public const ulong POOL_FLAG_SESSION = 0x0000000000000004UL;
    public const ulong POOL_FLAG_CACHE_ALIGNED = 0x0000000000000008UL;
    public const ulong POOL_FLAG_RAISE_ON_FAILURE = 0x0000000000000020UL;
    public const ulong POOL_FLAG_NON_PAGED = 0x0000000000000040UL;
    public const ulong POOL_FLAG_NON_PAGED_EXECUTE = 0x0000000000000080UL;
    public const ulong POOL_FLAG_PAGED = 0x0000000000000100UL;

    public const EX_POOL_PRIORITY LowPoolPriority = EX_POOL_PRIORITY.LowPoolPriority;
    public const EX_POOL_PRIORITY LowPoolPrioritySpecialPoolOverrun = EX_POOL_PRIORITY.LowPoolPrioritySpecialPoolOverrun;
    public const EX_POOL_PRIORITY LowPoolPrioritySpecialPoolUnderrun = EX_POOL_PRIORITY.LowPoolPrioritySpecialPoolUnderrun;
    public const EX_POOL_PRIORITY NormalPoolPriority = EX_POOL_PRIORITY.NormalPoolPriority;
    public const EX_POOL_PRIORITY NormalPoolPrioritySpecialPoolOverrun = EX_POOL_PRIORITY.NormalPoolPrioritySpecialPoolOverrun;
    public const EX_POOL_PRIORITY NormalPoolPrioritySpecialPoolUnderrun = EX_POOL_PRIORITY.NormalPoolPrioritySpecialPoolUnderrun;
    public const EX_POOL_PRIORITY HighPoolPriority = EX_POOL_PRIORITY.HighPoolPriority;
    public const EX_POOL_PRIORITY HighPoolPrioritySpecialPoolOverrun = EX_POOL_PRIORITY.HighPoolPrioritySpecialPoolOverrun;
    public const EX_POOL_PRIORITY HighPoolPrioritySpecialPoolUnderrun = EX_POOL_PRIORITY.HighPoolPrioritySpecialPoolUnderrun;

    public const POOL_EXTENDED_PARAMETER_TYPE PoolExtendedParameterPriority = POOL_EXTENDED_PARAMETER_TYPE.PoolExtendedParameterPriority;

    /// <summary>Deprecated (Windows 10 2004): use <see cref="ExAllocatePool2"/>. Returns uninitialised (pattern-filled) memory, tag 'None'.</summary>
    public static PVOID ExAllocatePool(POOL_TYPE PoolType, nuint NumberOfBytes) => throw new NotImplementedException();

    /// <summary>Deprecated: use <see cref="ExAllocatePool2"/>. Returns uninitialised (pattern-filled) memory.</summary>
    public static PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag) => throw new NotImplementedException();

    /// <summary>Deprecated: use <see cref="ExAllocatePool2"/> with <c>POOL_FLAG_USE_QUOTA</c>. Charges quota; raises on failure unless <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>.</summary>
    public static PVOID ExAllocatePoolWithQuota(POOL_TYPE PoolType, nuint NumberOfBytes) => throw new NotImplementedException();

    /// <summary>Deprecated: use <see cref="ExAllocatePool2"/> with <c>POOL_FLAG_USE_QUOTA</c>. Charges quota; raises on failure unless <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>.</summary>
    public static PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag) => throw new NotImplementedException();

    /// <summary>Deprecated: use <see cref="ExAllocatePool3(ulong, nuint, uint, POOL_EXTENDED_PARAMETER?, uint)"/> with a priority parameter.</summary>
    public static PVOID ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag, EX_POOL_PRIORITY Priority) =>
        throw new NotImplementedException();

    /// <summary>Allocates zeroed pool (unless <c>POOL_FLAG_UNINITIALIZED</c>); NULL for tag 0 or invalid flags.</summary>
    public static PVOID ExAllocatePool2(ulong Flags, nuint NumberOfBytes, uint Tag) => throw new NotImplementedException();

    /// <summary><see cref="ExAllocatePool2"/> with extended parameters (priority).</summary>
    public static PVOID ExAllocatePool3(ulong Flags, nuint NumberOfBytes, uint Tag, POOL_EXTENDED_PARAMETER? ExtendedParameters, uint ExtendedParametersCount) =>
        throw new NotImplementedException();

    /// <summary><see cref="ExAllocatePool3(ulong, nuint, uint, POOL_EXTENDED_PARAMETER?, uint)"/> taking an array of parameters.</summary>
    public static PVOID ExAllocatePool3(ulong Flags, nuint NumberOfBytes, uint Tag, POOL_EXTENDED_PARAMETER[]? ExtendedParameters, uint ExtendedParametersCount) =>
        throw new NotImplementedException();

    /// <summary>Frees pool; the tag must be the allocation's (DRV034).</summary>
    public static void ExFreePoolWithTag(PVOID P, uint Tag) => throw new NotImplementedException();

    /// <summary>Frees pool.</summary>
    public static void ExFreePool(PVOID P) => throw new NotImplementedException();
}
