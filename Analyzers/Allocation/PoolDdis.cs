using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// The pool and mapping DDIs of the Allocation rules (DRV030–DRV034), where their pool type, flags and tag
/// parameters are, and how to find an invocation's argument for a parameter whatever order the call wrote
/// them in. DDIs are matched through <see cref="DriverApi"/> (containing type and name).
/// </summary>
internal static class PoolDdis
{
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
    public const string WdfMemoryCreate = nameof(WdfMemoryCreate);
    public const string WdfLookasideListCreate = nameof(WdfLookasideListCreate);

    public const string MdlMappingNoExecute = nameof(MdlMappingNoExecute);
    public const string NormalPagePriority = nameof(NormalPagePriority);
    public const string PoolFlagNonPagedExecute = "POOL_FLAG_NON_PAGED_EXECUTE";
    public const string StatusInsufficientResources = "STATUS_INSUFFICIENT_RESOURCES";
    public const string Null = "NULL";

    /// <summary>The five deprecated allocators of DRV030.</summary>
    public static readonly ImmutableArray<string> Deprecated = ImmutableArray.Create(
        ExAllocatePool, ExAllocatePoolWithTag, ExAllocatePoolWithQuota, ExAllocatePoolWithQuotaTag,
        ExAllocatePoolWithTagPriority);

    /// <summary>The name of the deprecated allocator <paramref name="method"/> is, or null.</summary>
    public static string? DeprecatedAllocator(DriverApi api, IMethodSymbol? method)
    {
        if (method is null || !SymbolEqualityComparer.Default.Equals(method.ContainingType, api.Wdm))
        {
            return null;
        }

        return Deprecated.Contains(method.Name) ? method.Name : null;
    }

    /// <summary>True for <c>ExAllocatePool2</c> and <c>ExAllocatePool3</c>, which take <c>POOL_FLAGS</c>.</summary>
    public static bool IsFlagsAllocator(DriverApi api, IMethodSymbol? method) =>
        api.IsWdm(method, ExAllocatePool2) || api.IsWdm(method, ExAllocatePool3);

    /// <summary>True for the deprecated allocators that charge quota.</summary>
    public static bool ChargesQuota(string deprecatedName) =>
        deprecatedName is ExAllocatePoolWithQuota or ExAllocatePoolWithQuotaTag;

    /// <summary>True for the deprecated allocators without a tag parameter.</summary>
    public static bool IsUntagged(string deprecatedName) =>
        deprecatedName is ExAllocatePool or ExAllocatePoolWithQuota;

    /// <summary>
    /// The ordinal of the pool tag parameter of an allocating DDI (pool allocators, <c>WdfMemoryCreate</c>,
    /// <c>WdfLookasideListCreate</c>), or -1 when <paramref name="method"/> takes no tag.
    /// </summary>
    public static int TagOrdinal(DriverApi api, IMethodSymbol? method)
    {
        if (method is null)
        {
            return -1;
        }

        if (api.IsWdf(method, WdfMemoryCreate))
        {
            return 2;
        }

        if (api.IsWdf(method, WdfLookasideListCreate))
        {
            return 4;
        }

        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, api.Wdm))
        {
            return -1;
        }

        return method.Name switch
        {
            ExAllocatePoolWithTag or ExAllocatePoolWithQuotaTag or ExAllocatePoolWithTagPriority or
                ExAllocatePool2 or ExAllocatePool3 => 2,
            _ => -1,
        };
    }

    /// <summary>The ordinal of the <c>POOL_TYPE</c> parameter of <c>WdfMemoryCreate</c>/<c>WdfLookasideListCreate</c>, or -1.</summary>
    public static int WdfPoolTypeOrdinal(DriverApi api, IMethodSymbol? method) =>
        api.IsWdf(method, WdfMemoryCreate) ? 1 : api.IsWdf(method, WdfLookasideListCreate) ? 2 : -1;

    /// <summary>The argument given for the parameter at <paramref name="ordinal"/>, whatever order the call wrote its arguments in.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The operation under any implicit or explicit conversions.</summary>
    public static IOperation WithoutConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>True when <paramref name="operation"/> is C's <c>NULL</c>, <c>default</c> or <c>null</c>.</summary>
    public static bool IsNull(DriverApi api, IOperation? operation)
    {
        if (operation is null)
        {
            return false;
        }

        operation = WithoutConversions(operation);
        return operation switch
        {
            IFieldReferenceOperation field => api.IsConstant(field.Field, Null),
            IDefaultValueOperation => true,
            ILiteralOperation literal => literal.ConstantValue.HasValue && literal.ConstantValue.Value is null,
            _ => false,
        };
    }
}
