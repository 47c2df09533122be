using System.Collections.Generic;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// Which calls allocate paged pool: a pool allocator or <c>WdfMemoryCreate</c> given <c>PagedPool</c>,
/// <c>PagedPoolCacheAligned</c> or flags with <c>POOL_FLAG_PAGED</c> (API constants, matched by symbol), and the
/// nonpaged constant that replaces each.
/// </summary>
internal static class PagedPool
{
    public const string FlagPaged = "POOL_FLAG_PAGED";
    public const string FlagNonPaged = "POOL_FLAG_NON_PAGED";

    private static readonly Dictionary<string, string> NonPagedForm = new(System.StringComparer.Ordinal)
    {
        [FlagPaged] = FlagNonPaged,
        ["PagedPool"] = "NonPagedPoolNx",
        ["PagedPoolCacheAligned"] = "NonPagedPoolNxCacheAligned",
    };

    /// <summary>
    /// The constant (<c>PagedPool</c>, <c>POOL_FLAG_PAGED</c>, …) that makes <paramref name="invocation"/> allocate
    /// paged pool, or null when it is not an allocation of paged pool.
    /// </summary>
    public static IFieldReferenceOperation? PagedConstantOf(DdiCatalog catalog, IInvocationOperation invocation)
    {
        if (!catalog.Has(invocation.TargetMethod, DdiRole.AllocatesPool | DdiRole.AllocatesPoolDeprecated | DdiRole.CreatesMemory))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: <= 1 } parameter && parameter.Name is "Flags" or "PoolType")
            {
                return PagedConstantIn(catalog.Api, argument.Value);
            }
        }

        return null;
    }

    /// <summary>The nonpaged constant that replaces the paged one named <paramref name="paged"/> (null when none).</summary>
    public static string? NonPagedReplacement(string paged) => NonPagedForm.TryGetValue(paged, out var replacement) ? replacement : null;

    private static IFieldReferenceOperation? PagedConstantIn(DriverApi api, IOperation value)
    {
        var pending = new Stack<IOperation>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            switch (operation)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } or:
                    pending.Push(or.RightOperand);
                    pending.Push(or.LeftOperand);
                    break;
                case IParenthesizedOperation parenthesized:
                    pending.Push(parenthesized.Operand);
                    break;
                case IFieldReferenceOperation field when NonPagedForm.ContainsKey(field.Field.Name) && api.IsConstant(field.Field, field.Field.Name):
                    return field;
            }
        }

        return null;
    }
}
