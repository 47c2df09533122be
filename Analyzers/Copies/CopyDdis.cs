using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>Which buffer a <c>WdfRequestRetrieve*</c> call produces.</summary>
internal enum RetrieveKind
{
    None,
    Buffer,
    Memory,
    Mdl,
}

/// <summary>
/// A place where bytes move into or out of a buffer without a size check: <c>RtlCopyMemory</c>,
/// <c>RtlMoveMemory</c> or a <c>PVOID</c> accessor.
/// </summary>
internal sealed class CopySite
{
    public CopySite(string ddi, IOperation? destination, IOperation? source, IOperation? length, ITypeSymbol? elementType,
        IOperation? accessorOffset, IOperation? span)
    {
        Ddi = ddi;
        Destination = destination;
        Source = source;
        Length = length;
        ElementType = elementType;
        AccessorOffset = accessorOffset;
        Span = span;
    }

    /// <summary>How the copy is named in messages: <c>RtlCopyMemory</c>, <c>PVOID.Write&lt;int&gt;</c>, ...</summary>
    public string Ddi { get; }

    /// <summary>The pointer written (the argument, or the accessor's receiver).</summary>
    public IOperation? Destination { get; }

    /// <summary>The pointer read.</summary>
    public IOperation? Source { get; }

    /// <summary>The length argument of <c>RtlCopyMemory</c>/<c>RtlMoveMemory</c>.</summary>
    public IOperation? Length { get; }

    /// <summary>The <c>T</c> of <c>Read&lt;T&gt;</c>/<c>Write&lt;T&gt;</c>: the length is its size.</summary>
    public ITypeSymbol? ElementType { get; }

    /// <summary>The offset argument of an accessor, added to its receiver.</summary>
    public IOperation? AccessorOffset { get; }

    /// <summary>The span of <c>CopyFrom</c>/<c>CopyTo</c>: the length is its length.</summary>
    public IOperation? Span { get; }

    public bool IsRtlCopy => Length is not null;
}

/// <summary>The DDIs of the copy rules, matched by containing type and name through <see cref="DriverApi"/>.</summary>
internal static class CopyDdis
{
    public const string RtlCopyMemory = nameof(RtlCopyMemory);
    public const string RtlMoveMemory = nameof(RtlMoveMemory);
    public const string WdfMemoryCopyFromBuffer = nameof(WdfMemoryCopyFromBuffer);
    public const string WdfMemoryCopyToBuffer = nameof(WdfMemoryCopyToBuffer);
    public const string WdfMemoryGetBuffer = nameof(WdfMemoryGetBuffer);
    public const string WdfMemoryCreate = nameof(WdfMemoryCreate);
    public const string WdfMemoryCreatePreallocated = nameof(WdfMemoryCreatePreallocated);
    public const string WdfMemoryCreateFromLookaside = nameof(WdfMemoryCreateFromLookaside);
    public const string WdfLookasideListCreate = nameof(WdfLookasideListCreate);
    public const string MmGetMdlByteCount = nameof(MmGetMdlByteCount);
    public const string NtSuccess = "NT_SUCCESS";
    public const string StatusSuccess = "STATUS_SUCCESS";

    private static readonly string[] MdlMappings = { "MmGetSystemAddressForMdlSafe", "MmGetSystemAddressForMdl", "MmGetMdlVirtualAddress" };

    /// <summary>The kind of <c>WdfRequestRetrieve*</c> DDI <paramref name="method"/> is, and whether it retrieves the output buffer.</summary>
    public static RetrieveKind Retrieve(DriverApi api, IMethodSymbol? method, out bool output)
    {
        output = false;
        if (method is null || !SymbolEqualityComparer.Default.Equals(method.ContainingType, api.Wdf) ||
            !method.Name.StartsWith("WdfRequestRetrieve", StringComparison.Ordinal))
        {
            return RetrieveKind.None;
        }

        var name = method.Name;
        output = name.Contains("Output");
        if (name.EndsWith("Buffer", StringComparison.Ordinal))
        {
            return RetrieveKind.Buffer;
        }

        if (name.EndsWith("Memory", StringComparison.Ordinal))
        {
            return RetrieveKind.Memory;
        }

        return name.EndsWith("WdmMdl", StringComparison.Ordinal) ? RetrieveKind.Mdl : RetrieveKind.None;
    }

    /// <summary><c>ExAllocatePool*</c>: every form takes the number of bytes second.</summary>
    public static bool IsPoolAllocation(DriverApi api, IMethodSymbol? method) =>
        method is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, api.Wdm) &&
        method.Name.StartsWith("ExAllocatePool", StringComparison.Ordinal) && method.Parameters.Length >= 2;

    /// <summary>A DDI that maps or describes the buffer of an MDL.</summary>
    public static bool IsMdlMapping(DriverApi api, IMethodSymbol? method) =>
        method is not null && Array.Exists(MdlMappings, name => api.IsWdm(method, name));

    /// <summary><c>WdfMemoryCopyFromBuffer</c> or <c>WdfMemoryCopyToBuffer</c>: the checked copies.</summary>
    public static bool IsCheckedCopy(DriverApi api, IMethodSymbol? method) =>
        api.IsWdf(method, WdfMemoryCopyFromBuffer) || api.IsWdf(method, WdfMemoryCopyToBuffer);

    /// <summary>The DDIs whose presence makes a method worth a flow analysis for the size rules.</summary>
    public static bool IsSizeRelevant(DriverApi api, IMethodSymbol? method) =>
        api.IsWdm(method, RtlCopyMemory) || api.IsWdm(method, RtlMoveMemory) ||
        api.IsWdf(method, "WdfRequestCompleteWithInformation") || IsPvoidAccessor(api, method);

    public static bool IsPvoidAccessor(DriverApi api, IMethodSymbol? method) =>
        method is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, api.Pvoid) &&
        method.Name is "Read" or "Write" or "CopyFrom" or "CopyTo";

    /// <summary>The copy site of <paramref name="invocation"/>, or null when it is not a raw copy.</summary>
    public static CopySite? TryGetCopySite(DriverApi api, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if ((api.IsWdm(method, RtlCopyMemory) || api.IsWdm(method, RtlMoveMemory)) && invocation.Arguments.Length == 3)
        {
            return new CopySite(method.Name, Argument(invocation, 0), Argument(invocation, 1), Argument(invocation, 2), null, null, null);
        }

        if (!IsPvoidAccessor(api, method) || invocation.Instance is null)
        {
            return null;
        }

        var name = "PVOID." + method.Name;
        switch (method.Name)
        {
            case "Read" when method.TypeArguments.Length == 1 && invocation.Arguments.Length == 1:
                return new CopySite(name + "<" + TypeName(method.TypeArguments[0]) + ">", null, invocation.Instance, null,
                    method.TypeArguments[0], Argument(invocation, 0), null);
            case "Write" when method.TypeArguments.Length == 1 && invocation.Arguments.Length == 2:
                return new CopySite(name + "<" + TypeName(method.TypeArguments[0]) + ">", invocation.Instance, null, null,
                    method.TypeArguments[0], Argument(invocation, 0), null);
            case "CopyFrom" when invocation.Arguments.Length == 2:
                return new CopySite(name, invocation.Instance, null, null, null, Argument(invocation, 1), Argument(invocation, 0));
            case "CopyTo" when invocation.Arguments.Length == 2:
                return new CopySite(name, null, invocation.Instance, null, null, Argument(invocation, 1), Argument(invocation, 0));
            default:
                return null;
        }
    }

    /// <summary>The argument bound to parameter <paramref name="ordinal"/>, whatever order the call names them in.</summary>
    public static IOperation? Argument(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
