using System.Collections.Generic;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.UserAddresses;

/// <summary>Which memory an invocation reads or writes through a <c>PVOID</c>.</summary>
internal static class UserMemoryAccess
{
    /// <summary>The <c>PVOID</c> members that touch the memory the pointer points to.</summary>
    private static readonly string[] PointerAccessors = { "Read", "Write", "CopyFrom", "CopyTo" };

    /// <summary>The DDI roles that read or write through every <c>PVOID</c> they are given.</summary>
    private const DdiRole TouchingRoles = DdiRole.CopiesMemory | DdiRole.CopiesMemoryObject | DdiRole.FillsMemory | DdiRole.ComparesMemory;

    /// <summary>
    /// The memory an invocation touches: the pointer of a <c>PVOID.Read/Write/CopyFrom/CopyTo</c>, every <c>PVOID</c>
    /// argument of a DDI that copies, fills or compares memory; empty for anything else.
    /// </summary>
    public static List<IOperation> TouchedAddresses(IInvocationOperation invocation, DdiCatalog catalog)
    {
        var touched = new List<IOperation>();
        var method = invocation.TargetMethod;
        var pvoid = catalog.Api.Pvoid;
        if (invocation.Instance is { } instance && IsPointerAccessor(method, pvoid))
        {
            touched.Add(instance);
            return touched;
        }

        if (!catalog.Has(method, TouchingRoles))
        {
            return touched;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.Type, pvoid))
            {
                touched.Add(argument.Value);
            }
        }

        return touched;
    }

    /// <summary>True for <c>PVOID.Read/Write/CopyFrom/CopyTo</c> (members of the API's <c>PVOID</c>).</summary>
    public static bool IsPointerAccessor(IMethodSymbol method, ITypeSymbol? pvoid)
    {
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, pvoid))
        {
            return false;
        }

        foreach (var accessor in PointerAccessors)
        {
            if (method.Name == accessor)
            {
                return true;
            }
        }

        return false;
    }
}
