using System;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// Recognizes, one call at a time, what is wrong above APC_LEVEL: <c>PAGED_CODE()</c>, a paged allocation, a touch of
/// paged pool (<c>PVOID.Read/Write/CopyFrom/CopyTo</c> on it, or a copy, fill or compare DDI given it), or a call of a
/// helper whose <see cref="PageableReach"/> summary says it does one of these.
/// </summary>
internal static class PageableSites
{
    private const DdiRole TouchingDdis = DdiRole.CopiesMemory | DdiRole.CopiesMemoryObject | DdiRole.FillsMemory | DdiRole.ComparesMemory;

    /// <summary>The site <paramref name="call"/> is, or null; <paramref name="helperSummary"/> gives a callee's summary.</summary>
    public static PageableSite? Find(
        IInvocationOperation call, DdiCatalog catalog, PagedValues paged, Func<IMethodSymbol, PageableReach?> helperSummary)
    {
        var method = call.TargetMethod;
        if (catalog.Has(method, DdiRole.MarksPageable))
        {
            return new PageableSite(call, PageableKind.PagedCode, "PAGED_CODE() is reached");
        }

        if (PagedPool.PagedConstantOf(catalog, call) is { } constant)
        {
            return new PageableSite(call, PageableKind.PagedAllocation, $"{method.Name} allocates paged pool ({constant.Field.Name})", constant);
        }

        if (catalog.Has(method, TouchingDdis))
        {
            foreach (var argument in call.Arguments)
            {
                if (paged.AllocationLineOf(argument.Value) is var line and > 0)
                {
                    return new PageableSite(call, PageableKind.PagedTouch, $"{method.Name} touches '{argument.Value.Syntax}', paged pool allocated at line {line},", allocationLine: line);
                }
            }

            return null;
        }

        if (catalog.Api.Pvoid is { } pvoid && SymbolEqualityComparer.Default.Equals(method.ContainingType, pvoid) &&
            method.Name is "Read" or "Write" or "CopyFrom" or "CopyTo")
        {
            return paged.AllocationLineOf(call.Instance) is var line and > 0
                ? new PageableSite(call, PageableKind.PagedTouch, $"'{call.Instance!.Syntax}' is paged pool (allocated at line {line}) and is {(method.Name is "Read" or "CopyTo" ? "read" : "written")}", allocationLine: line)
                : null;
        }

        if (catalog.IsDdi(method) || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) ||
            helperSummary(method) is not { } reach)
        {
            return null;
        }

        return new PageableSite(call, PageableKind.Helper, $"'{method.Name}' {reach.What}", helperReach: reach);
    }

    /// <summary>What a helper's summary says of <paramref name="site"/>, found in its body.</summary>
    public static PageableReach ReachOf(PageableSite site)
    {
        var line = DispatchContext.LineOf(site.Call.Syntax.GetLocation());
        return site.Kind switch
        {
            PageableKind.PagedCode => new PageableReach($"reaches PAGED_CODE() (line {line})"),
            PageableKind.PagedAllocation => new PageableReach($"allocates paged pool (line {line})"),
            PageableKind.PagedTouch => new PageableReach($"touches paged pool (line {line})"),
            _ => new PageableReach($"calls '{site.Call.TargetMethod.Name}', which {site.HelperReach?.What}"),
        };
    }
}
