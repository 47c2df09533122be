using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// How the Allocation rules (DRV030–DRV036) read pool and mapping calls: which allocator a call is (matched by symbol
/// through the <see cref="DdiCatalog"/>'s roles, never by name alone), where its pool type, flags and tag are, and the
/// API constants the rules and fixes name. DDI names live in <see cref="DdiNames"/>.
/// </summary>
internal static class PoolCalls
{
    public const string MdlMappingNoExecute = nameof(MdlMappingNoExecute);
    public const string NormalPagePriority = nameof(NormalPagePriority);
    public const string PoolFlagNonPagedExecute = "POOL_FLAG_NON_PAGED_EXECUTE";
    public const string StatusInsufficientResources = "STATUS_INSUFFICIENT_RESOURCES";
    public const string Null = "NULL";

    /// <summary>The name of the deprecated allocator (DRV030) <paramref name="method"/> is, or null.</summary>
    public static string? DeprecatedAllocator(DdiCatalog catalog, IMethodSymbol? method) =>
        catalog.Has(method, DdiRole.AllocatesPoolDeprecated) ? method!.Name : null;

    /// <summary>True for <c>ExAllocatePool2</c> and <c>ExAllocatePool3</c>, the allocators that take <c>POOL_FLAGS</c>.</summary>
    public static bool IsFlagsAllocator(DdiCatalog catalog, IMethodSymbol? method) =>
        catalog.Has(method, DdiRole.AllocatesPool) && method!.Parameters.Length > 0 &&
        !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, catalog.Api.PoolType);

    /// <summary>True for every pool allocator, deprecated or not.</summary>
    public static bool IsPoolAllocator(DdiCatalog catalog, IMethodSymbol? method) =>
        catalog.Has(method, DdiRole.AllocatesPool | DdiRole.AllocatesPoolDeprecated);

    /// <summary>True for the deprecated allocators that charge quota.</summary>
    public static bool ChargesQuota(string deprecatedName) =>
        deprecatedName is DdiNames.ExAllocatePoolWithQuota or DdiNames.ExAllocatePoolWithQuotaTag;

    /// <summary>True for the deprecated allocators without a tag parameter.</summary>
    public static bool IsUntagged(string deprecatedName) =>
        deprecatedName is DdiNames.ExAllocatePool or DdiNames.ExAllocatePoolWithQuota;

    /// <summary>
    /// The ordinal of the pool tag parameter (<c>Tag</c>, <c>PoolTag</c>) of an allocating DDI (pool allocators,
    /// <c>WdfMemoryCreate</c>, <c>WdfLookasideListCreate</c>, <c>ExInitializeNPagedLookasideList</c>), or -1 when
    /// <paramref name="method"/> takes no tag.
    /// </summary>
    public static int TagOrdinal(DdiCatalog catalog, IMethodSymbol? method)
    {
        if (!catalog.Has(method, DdiRole.AllocatesPool | DdiRole.AllocatesPoolDeprecated | DdiRole.CreatesMemory | DdiRole.CreatesLookaside |
                                 DdiRole.InitializesLookasideList))
        {
            return -1;
        }

        foreach (var parameter in method!.Parameters)
        {
            if (parameter.Name is "Tag" or "PoolTag")
            {
                return parameter.Ordinal;
            }
        }

        return -1;
    }

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
            IFieldReferenceOperation field => api.IsConstant(field.Field, Null) || api.IsConstant(field.Field, "WDF_NO_HANDLE"),
            IDefaultValueOperation => true,
            ILiteralOperation literal => literal.ConstantValue.HasValue && literal.ConstantValue.Value is null,
            _ => false,
        };
    }
}
