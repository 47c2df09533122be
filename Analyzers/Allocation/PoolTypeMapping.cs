using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// The <c>POOL_TYPE</c> to <c>POOL_FLAGS</c> mapping of the DRV030 and DRV033 fixes. A pool type expression maps
/// when it is one known pool type constant, optionally combined with <c>|</c> with the modifiers
/// <c>POOL_RAISE_IF_ALLOCATION_FAILURE</c> and <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>. A pool type held in a
/// variable, a cast integer or <c>NonPagedPoolMustSucceed</c> does not map: the rules report it without a fix.
/// </summary>
internal sealed class PoolTypeMapping
{
    public const string FlagNonPaged = "POOL_FLAG_NON_PAGED";
    public const string FlagNonPagedExecute = "POOL_FLAG_NON_PAGED_EXECUTE";
    public const string FlagPaged = "POOL_FLAG_PAGED";
    public const string FlagCacheAligned = "POOL_FLAG_CACHE_ALIGNED";
    public const string FlagUseQuota = "POOL_FLAG_USE_QUOTA";
    public const string FlagRaiseOnFailure = "POOL_FLAG_RAISE_ON_FAILURE";

    private const string RaiseModifier = "POOL_RAISE_IF_ALLOCATION_FAILURE";
    private const string QuotaFailModifier = "POOL_QUOTA_FAIL_INSTEAD_OF_RAISE";

    /// <summary>The base pool types: their flag, whether they are executable, whether they are cache aligned.</summary>
    private static readonly Dictionary<string, (string Flag, bool Executable, bool CacheAligned)> BaseTypes = new()
    {
        ["NonPagedPoolNx"] = (FlagNonPaged, false, false),
        ["NonPagedPoolNxCacheAligned"] = (FlagNonPaged, false, true),
        ["PagedPool"] = (FlagPaged, false, false),
        ["PagedPoolCacheAligned"] = (FlagPaged, false, true),
        ["NonPagedPool"] = (FlagNonPaged, true, false),
        ["NonPagedPoolExecute"] = (FlagNonPaged, true, false),
        ["NonPagedPoolCacheAligned"] = (FlagNonPaged, true, true),
    };

    /// <summary>The executable pool types (DRV031) and their non-executable form.</summary>
    public static readonly ImmutableDictionary<string, string> ExecutableTypes = new Dictionary<string, string>
    {
        ["NonPagedPool"] = "NonPagedPoolNx",
        ["NonPagedPoolExecute"] = "NonPagedPoolNx",
        ["NonPagedPoolCacheAligned"] = "NonPagedPoolNxCacheAligned",
        ["NonPagedPoolMustSucceed"] = "NonPagedPoolNx",
    }.ToImmutableDictionary();

    private PoolTypeMapping(
        string baseType, string baseFlag, bool executable, bool cacheAligned, bool raise, bool quotaFailInsteadOfRaise)
    {
        BaseType = baseType;
        BaseFlag = baseFlag;
        IsExecutable = executable;
        IsCacheAligned = cacheAligned;
        RaisesOnFailure = raise;
        QuotaFailsInsteadOfRaise = quotaFailInsteadOfRaise;
    }

    /// <summary>The pool type constant the call named, e.g. <c>PagedPool</c>.</summary>
    public string BaseType { get; }

    public string BaseFlag { get; }

    /// <summary>
    /// True for <c>NonPagedPool</c>, <c>NonPagedPoolExecute</c> and <c>NonPagedPoolCacheAligned</c>: the fix offers
    /// the non-executable <c>POOL_FLAG_NON_PAGED</c> first and <c>POOL_FLAG_NON_PAGED_EXECUTE</c> second.
    /// </summary>
    public bool IsExecutable { get; }

    public bool IsCacheAligned { get; }

    /// <summary>The call combined <c>POOL_RAISE_IF_ALLOCATION_FAILURE</c>.</summary>
    public bool RaisesOnFailure { get; }

    /// <summary>The call combined <c>POOL_QUOTA_FAIL_INSTEAD_OF_RAISE</c>.</summary>
    public bool QuotaFailsInsteadOfRaise { get; }

    /// <summary>
    /// The flags, in the order the fix writes them: the pool, <c>POOL_FLAG_CACHE_ALIGNED</c>,
    /// <c>POOL_FLAG_USE_QUOTA</c>, <c>POOL_FLAG_RAISE_ON_FAILURE</c>.
    /// </summary>
    /// <param name="keepExecutable">For an executable pool type: <c>POOL_FLAG_NON_PAGED_EXECUTE</c> instead of <c>POOL_FLAG_NON_PAGED</c>.</param>
    /// <param name="chargesQuota">The allocator charged quota and raised on failure (<c>…WithQuota</c>, <c>…WithQuotaTag</c>).</param>
    public ImmutableArray<string> Flags(bool keepExecutable, bool chargesQuota)
    {
        var flags = ImmutableArray.CreateBuilder<string>();
        flags.Add(IsExecutable && keepExecutable ? FlagNonPagedExecute : BaseFlag);
        if (IsCacheAligned)
        {
            flags.Add(FlagCacheAligned);
        }

        if (chargesQuota)
        {
            flags.Add(FlagUseQuota);
        }

        if (chargesQuota ? !QuotaFailsInsteadOfRaise : RaisesOnFailure)
        {
            flags.Add(FlagRaiseOnFailure);
        }

        return flags.ToImmutable();
    }

    /// <summary>
    /// Maps the pool type expression <paramref name="poolType"/> (conversions are looked through), or returns null
    /// when it is not made of known constants.
    /// </summary>
    public static PoolTypeMapping? TryMap(DriverApi api, IOperation poolType)
    {
        string? baseType = null;
        var raise = false;
        var quotaFail = false;

        var pending = new Stack<IOperation>();
        pending.Push(poolType);
        while (pending.Count > 0)
        {
            var operation = PoolCalls.WithoutConversions(pending.Pop());
            switch (operation)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } or:
                    pending.Push(or.RightOperand);
                    pending.Push(or.LeftOperand);
                    break;
                case IFieldReferenceOperation field when IsApiField(api, field.Field):
                    var name = field.Field.Name;
                    if (name == RaiseModifier)
                    {
                        raise = true;
                    }
                    else if (name == QuotaFailModifier)
                    {
                        quotaFail = true;
                    }
                    else if (baseType is null && BaseTypes.ContainsKey(name))
                    {
                        baseType = name;
                    }
                    else
                    {
                        return null;
                    }

                    break;
                default:
                    return null;
            }
        }

        if (baseType is null)
        {
            return null;
        }

        var (flag, executable, cacheAligned) = BaseTypes[baseType];
        return new PoolTypeMapping(baseType, flag, executable, cacheAligned, raise, quotaFail);
    }

    private static bool IsApiField(DriverApi api, IFieldSymbol field) =>
        SymbolEqualityComparer.Default.Equals(field.ContainingType, api.Wdm) ||
        SymbolEqualityComparer.Default.Equals(field.ContainingType, api.Wdf);
}
