using System;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>Which buffer a <c>WdfRequestRetrieve*</c> call produces.</summary>
internal enum RetrieveKind
{
    None,
    Buffer,
    Memory,
    Mdl,
}

/// <summary>
/// The DDIs of the size and status analyses, matched by symbol through the one <see cref="DdiCatalog"/> (by role; a
/// name only tells apart DDIs of one role whose arguments differ).
/// </summary>
internal sealed class SizeDdis
{
    public const string WdfMemoryCreate = nameof(WdfMemoryCreate);
    public const string WdfMemoryCreatePreallocated = nameof(WdfMemoryCreatePreallocated);
    public const string WdfMemoryCreateFromLookaside = nameof(WdfMemoryCreateFromLookaside);
    public const string StatusSuccess = "STATUS_SUCCESS";

    /// <summary>Every role whose DDIs make a body worth the size and status analyses.</summary>
    public const DdiRole Relevant = DdiRole.CopiesMemory | DdiRole.CopiesMemoryObject | DdiRole.RetrievesFromRequest | DdiRole.CompletesRequest;

    public SizeDdis(AnalysisSession session)
    {
        Catalog = session.Catalog;
        Api = Catalog.Api;
        LocalBuffers = new LocalBufferSizes(Api);
        PoolFields = new PoolFieldSizes(session, this);
        LocalBufferPointers = new LocalBufferPointers(session, this);
        SystemBuffers = new SystemBuffers(Api, session.Compilation);
    }

    /// <summary>The METHOD_BUFFERED system buffer of an IRP's current stack location (the WDM fact source).</summary>
    public SystemBuffers SystemBuffers { get; }

    /// <summary>Pointer members that only ever hold the address of a fixed-size buffer kept in a field.</summary>
    public LocalBufferPointers LocalBufferPointers { get; }

    /// <summary>Pool blocks kept in a field together with their size (a member that holds it), across the driver's methods.</summary>
    public PoolFieldSizes PoolFields { get; }

    /// <summary>Fixed-size buffers (<c>LOCAL_BUFFER</c>) and the sizes of those held in readonly fields.</summary>
    public LocalBufferSizes LocalBuffers { get; }

    public DdiCatalog Catalog { get; }

    public DriverApi Api { get; }

    /// <summary>The kind of <c>WdfRequestRetrieve*</c> DDI <paramref name="method"/> is, and whether it retrieves the output buffer.</summary>
    public RetrieveKind Retrieve(IMethodSymbol? method, out bool output)
    {
        output = false;
        if (!Catalog.Has(method, DdiRole.RetrievesFromRequest) || !method!.Name.StartsWith("WdfRequestRetrieve", StringComparison.Ordinal))
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
    public bool IsPoolAllocation(IMethodSymbol? method) =>
        Catalog.Has(method, DdiRole.AllocatesPool | DdiRole.AllocatesPoolDeprecated) && method!.Parameters.Length >= 2;

    /// <summary><c>IoAllocateMdl(VirtualAddress, Length, …)</c>: an MDL describing <c>Length</c> bytes.</summary>
    public bool IsMdlAllocation(IMethodSymbol? method) =>
        Catalog.Has(method, DdiRole.AllocatesMdl) && method!.Name == "IoAllocateMdl" && method.Parameters.Length >= 2;

    /// <summary>A DDI that maps or describes the buffer of an MDL (its result derives from the MDL it is given).</summary>
    public bool IsMdlMapping(IMethodSymbol? method) =>
        Catalog.Has(method, DdiRole.DerivesFromArgument) && method!.Parameters.Length >= 1 &&
        SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, Api.Pmdl);

    /// <summary><c>WdfMemoryGetBuffer</c>.</summary>
    public bool IsMemoryGetBuffer(IMethodSymbol? method) =>
        Catalog.Has(method, DdiRole.DerivesFromArgument) && method!.Name == DdiNames.WdfMemoryGetBuffer;

    /// <summary>A DDI that creates a memory object, called <paramref name="name"/>.</summary>
    public bool IsMemoryCreation(IMethodSymbol? method, string name) => Catalog.Has(method, DdiRole.CreatesMemory) && method!.Name == name;

    public bool IsLookasideCreation(IMethodSymbol? method) => Catalog.Has(method, DdiRole.CreatesLookaside);

    public bool IsMdlByteCount(IMethodSymbol? method) => Catalog.Has(method, DdiRole.MeasuresMdl);

    public bool IsNtSuccess(IMethodSymbol? method) => Catalog.Has(method, DdiRole.ChecksStatus);

    /// <summary><c>WdfMemoryCopyFromBuffer</c> or <c>WdfMemoryCopyToBuffer</c>: the checked copies.</summary>
    public bool IsCheckedCopy(IMethodSymbol? method) => Catalog.Has(method, DdiRole.CopiesMemoryObject);

    /// <summary><c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>.</summary>
    public bool IsRawCopy(IMethodSymbol? method) => Catalog.Has(method, DdiRole.CopiesMemory);

    /// <summary><c>WdfRequestCompleteWithInformation</c>.</summary>
    public bool IsCompleteWithInformation(IMethodSymbol? method) =>
        Catalog.Has(method, DdiRole.CompletesRequest) && method!.Name == DdiNames.WdfRequestCompleteWithInformation;

    public bool IsPvoidAccessor(IMethodSymbol? method) =>
        method is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, Api.Pvoid) &&
        method.Name is "Read" or "Write" or "CopyFrom" or "CopyTo";

    /// <summary>True when the identifier may name a call the analyses care about (a pre-filter; confirm by symbol).</summary>
    public static bool MayBeRelevant(string identifier) =>
        (DdiNames.RolesOfName(identifier) & Relevant) != 0 || identifier is "Read" or "Write" or "CopyFrom" or "CopyTo";

    /// <summary>True when <paramref name="method"/> makes a body worth the analyses (by symbol).</summary>
    public bool IsRelevant(IMethodSymbol? method) => Catalog.Has(method, Relevant) || IsPvoidAccessor(method);

    /// <summary>The copy site of <paramref name="invocation"/>, or null when it is not a raw copy.</summary>
    public CopySite? TryGetCopySite(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (IsRawCopy(method) && invocation.Arguments.Length == 3)
        {
            return new CopySite(method, Argument(invocation, 0), Argument(invocation, 1), Argument(invocation, 2), null, null, null);
        }

        if (!IsPvoidAccessor(method) || invocation.Instance is null)
        {
            return null;
        }

        switch (method.Name)
        {
            case "Read" when method.TypeArguments.Length == 1 && invocation.Arguments.Length == 1:
                return new CopySite(method, null, invocation.Instance, null,
                    method.TypeArguments[0], Argument(invocation, 0), null);
            case "Write" when method.TypeArguments.Length == 1 && invocation.Arguments.Length == 2:
                return new CopySite(method, invocation.Instance, null, null,
                    method.TypeArguments[0], Argument(invocation, 0), null);
            case "CopyFrom" when invocation.Arguments.Length == 2:
                return new CopySite(method, invocation.Instance, null, null, null, Argument(invocation, 1), Argument(invocation, 0));
            case "CopyTo" when invocation.Arguments.Length == 2:
                return new CopySite(method, null, invocation.Instance, null, null, Argument(invocation, 1), Argument(invocation, 0));
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
}
