using System;
using System.Linq;
using System.Numerics;
using DriverBuffers.Framework;
using DriverBuffers.Pool;

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

    /// <summary>
    /// Deprecated since Windows 10 2004: use <see cref="ExAllocatePool2"/> (the DRV030 rule). Still works; the
    /// memory is uninitialised (filled with a non-zero pattern) and tagged 'None'.
    /// </summary>
    public static PVOID ExAllocatePool(POOL_TYPE PoolType, nuint NumberOfBytes) =>
        AllocateDeprecated(nameof(ExAllocatePool), PoolType, NumberOfBytes, PoolTags.None, chargeQuota: false);

    /// <summary>
    /// Deprecated: use <see cref="ExAllocatePool2"/> (DRV030). Still works; the memory is uninitialised
    /// (pattern-filled). Raises on failure only with <c>POOL_RAISE_IF_ALLOCATION_FAILURE</c>.
    /// </summary>
    public static PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag) =>
        AllocateDeprecated(nameof(ExAllocatePoolWithTag), PoolType, NumberOfBytes, Tag, chargeQuota: false);

    /// <summary>
    /// Deprecated: use <see cref="ExAllocatePool2"/> with <c>POOL_FLAG_USE_QUOTA</c> (DRV030). Charges the
    /// process quota; raises on failure unless <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>. Uninitialised memory.
    /// </summary>
    public static PVOID ExAllocatePoolWithQuota(POOL_TYPE PoolType, nuint NumberOfBytes) =>
        AllocateDeprecated(nameof(ExAllocatePoolWithQuota), PoolType, NumberOfBytes, PoolTags.None, chargeQuota: true);

    /// <summary>
    /// Deprecated: use <see cref="ExAllocatePool2"/> with <c>POOL_FLAG_USE_QUOTA</c> (DRV030). Charges the
    /// process quota; raises on failure unless <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>. Uninitialised memory.
    /// </summary>
    public static PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag) =>
        AllocateDeprecated(nameof(ExAllocatePoolWithQuotaTag), PoolType, NumberOfBytes, Tag, chargeQuota: true);

    /// <summary>
    /// Deprecated: use <see cref="ExAllocatePool3(ulong, nuint, uint, POOL_EXTENDED_PARAMETER?, uint)"/> with a
    /// priority parameter (DRV030). Still works; uninitialised (pattern-filled) memory.
    /// </summary>
    public static PVOID ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag, EX_POOL_PRIORITY Priority) =>
        AllocateDeprecated(nameof(ExAllocatePoolWithTagPriority), PoolType, NumberOfBytes, Tag, chargeQuota: false);

    /// <summary>
    /// Allocates pool, zeroed unless <c>POOL_FLAG_UNINITIALIZED</c>. Returns NULL for tag 0, for flags that do
    /// not name exactly one of <c>POOL_FLAG_PAGED</c>/<c>NON_PAGED</c>/<c>NON_PAGED_EXECUTE</c> (a
    /// <c>POOL_TYPE</c> passed as flags, DRV033, lands here) and when memory runs out; with
    /// <c>POOL_FLAG_RAISE_ON_FAILURE</c> it raises <see cref="NtStatusException"/> instead.
    /// <c>POOL_FLAG_USE_QUOTA</c> charges the process quota.
    /// </summary>
    public static PVOID ExAllocatePool2(ulong Flags, nuint NumberOfBytes, uint Tag) =>
        AllocateWithFlags(nameof(ExAllocatePool2), Flags, NumberOfBytes, Tag, extendedParametersValid: true);

    /// <summary>
    /// <see cref="ExAllocatePool2"/> with extended parameters: only <c>PoolExtendedParameterPriority</c> is
    /// simulated. NULL when <paramref name="ExtendedParametersCount"/> does not match the parameters given.
    /// </summary>
    public static PVOID ExAllocatePool3(ulong Flags, nuint NumberOfBytes, uint Tag, POOL_EXTENDED_PARAMETER? ExtendedParameters, uint ExtendedParametersCount) =>
        AllocateWithFlags(nameof(ExAllocatePool3), Flags, NumberOfBytes, Tag,
            ExtendedParametersCount == (ExtendedParameters is null ? 0u : 1u) && ValidExtendedParameter(ExtendedParameters));

    /// <summary><see cref="ExAllocatePool3(ulong, nuint, uint, POOL_EXTENDED_PARAMETER?, uint)"/> taking an array of parameters.</summary>
    public static PVOID ExAllocatePool3(ulong Flags, nuint NumberOfBytes, uint Tag, POOL_EXTENDED_PARAMETER[]? ExtendedParameters, uint ExtendedParametersCount) =>
        AllocateWithFlags(nameof(ExAllocatePool3), Flags, NumberOfBytes, Tag,
            ExtendedParametersCount <= (uint)(ExtendedParameters?.Length ?? 0)
            && (ExtendedParameters ?? Array.Empty<POOL_EXTENDED_PARAMETER>()).Take((int)ExtendedParametersCount).All(ValidExtendedParameter));

    /// <summary>
    /// Allocates zeroed pool of a <c>POOL_TYPE</c> (the wdm.h wrapper for drivers that also run before Windows 10 2004,
    /// not deprecated): <c>ExAllocatePoolWithTag</c> semantics, zero-filled. Raises on failure only with
    /// <c>POOL_RAISE_IF_ALLOCATION_FAILURE</c>.
    /// </summary>
    public static PVOID ExAllocatePoolZero(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag) =>
        AllocateDeprecated(nameof(ExAllocatePoolZero), PoolType, NumberOfBytes, Tag, chargeQuota: false, zeroed: true);

    /// <summary>
    /// Allocates zeroed pool charged to the process quota (the wdm.h wrapper): raises on failure unless
    /// <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>.
    /// </summary>
    public static PVOID ExAllocatePoolQuotaZero(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag) =>
        AllocateDeprecated(nameof(ExAllocatePoolQuotaZero), PoolType, NumberOfBytes, Tag, chargeQuota: true, zeroed: true);

    /// <summary>Allocates zeroed pool with a priority (the wdm.h wrapper of <c>ExAllocatePoolWithTagPriority</c>).</summary>
    public static PVOID ExAllocatePoolPriorityZero(POOL_TYPE PoolType, nuint NumberOfBytes, uint Tag, EX_POOL_PRIORITY Priority) =>
        AllocateDeprecated(nameof(ExAllocatePoolPriorityZero), PoolType, NumberOfBytes, Tag, chargeQuota: false, zeroed: true);

    /// <summary>Frees pool. The tag must be the allocation's, and pool may be freed only once (DRV034).</summary>
    public static void ExFreePoolWithTag(PVOID P, uint Tag) => AmbientRuntime.Current.Pool.Free(P, Tag, nameof(ExFreePoolWithTag));

    /// <summary>Frees pool (no tag check). Freeing twice is DRV034.</summary>
    public static void ExFreePool(PVOID P) => AmbientRuntime.Current.Pool.Free(P, null, nameof(ExFreePool));

    private const ulong PoolFlagTypeBits = POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE;
    private const ulong PoolFlagKnownBits = PoolFlagTypeBits | POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED
        | POOL_FLAG_SESSION | POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE;

    private static PVOID AllocateDeprecated(string ddi, POOL_TYPE poolType, nuint numberOfBytes, uint tag, bool chargeQuota, bool zeroed = false)
    {
        bool raise = chargeQuota
            ? (poolType.Value & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE.Value) == 0
            : (poolType.Value & POOL_RAISE_IF_ALLOCATION_FAILURE.Value) != 0;
        return AmbientRuntime.Current.Pool.Allocate(new PoolRequest(ddi, numberOfBytes, tag, zeroed, chargeQuota, raise, IsPaged(poolType)));
    }

    /// <summary>The paged pool types have an odd base type (PagedPool, PagedPoolCacheAligned, ...).</summary>
    internal static bool IsPaged(POOL_TYPE poolType) => (poolType.Value & 1) != 0;

    private static PVOID AllocateWithFlags(string ddi, ulong flags, nuint numberOfBytes, uint tag, bool extendedParametersValid)
    {
        bool raise = (flags & POOL_FLAG_RAISE_ON_FAILURE) != 0;
        bool valid = extendedParametersValid && tag != 0
            && (flags & ~PoolFlagKnownBits) == 0
            && BitOperations.PopCount(flags & PoolFlagTypeBits) == 1;
        if (!valid)
        {
            if (raise)
            {
                throw new NtStatusException(STATUS_INSUFFICIENT_RESOURCES, $"{ddi}: invalid flags 0x{flags:X} or tag 0x{tag:X}");
            }
            return NULL;
        }
        return AmbientRuntime.Current.Pool.Allocate(new PoolRequest(ddi, numberOfBytes, tag,
            Zeroed: (flags & POOL_FLAG_UNINITIALIZED) == 0, ChargeQuota: (flags & POOL_FLAG_USE_QUOTA) != 0, raise,
            Paged: (flags & POOL_FLAG_PAGED) != 0));
    }

    private static bool ValidExtendedParameter(POOL_EXTENDED_PARAMETER? parameter) =>
        parameter is null || parameter.Type == PoolExtendedParameterPriority;
}
