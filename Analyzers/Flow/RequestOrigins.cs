using System.Collections.Generic;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// Which values belong to a request, by the DDIs that produce them: the memory objects, buffers and MDLs
/// retrieved from a request, the buffer of such a memory object, the address mapped from such an MDL; and which
/// DDIs complete, send, forward or create requests. DDIs are matched by symbol through <see cref="DriverApi"/>.
/// </summary>
internal sealed class RequestOrigins
{
    /// <summary>DDIs whose <c>out</c> memory object, buffer or MDL belongs to the request passed first.</summary>
    private static readonly HashSet<string> Retrievals = new()
    {
        "WdfRequestRetrieveInputMemory", "WdfRequestRetrieveOutputMemory",
        "WdfRequestRetrieveInputBuffer", "WdfRequestRetrieveOutputBuffer",
        "WdfRequestRetrieveInputWdmMdl", "WdfRequestRetrieveOutputWdmMdl",
        "WdfRequestRetrieveUnsafeUserInputBuffer", "WdfRequestRetrieveUnsafeUserOutputBuffer",
        "WdfRequestProbeAndLockUserBufferForRead", "WdfRequestProbeAndLockUserBufferForWrite",
    };

    /// <summary><c>Wdf</c> DDIs whose result belongs to whatever their first argument belongs to.</summary>
    private static readonly HashSet<string> WdfDerivations = new() { "WdfMemoryGetBuffer" };

    /// <summary><c>Wdm</c> DDIs whose result belongs to whatever their first argument (an MDL) belongs to.</summary>
    private static readonly HashSet<string> WdmDerivations = new()
    {
        "MmGetSystemAddressForMdlSafe", "MmGetSystemAddressForMdl", "MmGetMdlVirtualAddress",
    };

    /// <summary>DDIs whose <c>out WDFREQUEST</c> is a new request.</summary>
    private static readonly HashSet<string> Creations = new() { "WdfRequestCreate", "WdfIoQueueRetrieveNextRequest" };

    /// <summary>DDIs that hand a request to another queue; they return an <c>NTSTATUS</c>.</summary>
    private static readonly HashSet<string> Forwards = new() { "WdfRequestForwardToIoQueue", "WdfDeviceEnqueueRequest" };

    private static readonly HashSet<string> Completions = new(DdiNames.Completions);

    public const string WdfRequestSend = nameof(WdfRequestSend);

    public RequestOrigins(DriverApi api)
    {
        Api = api;
    }

    public DriverApi Api { get; }

    /// <summary>Memory objects, buffer pointers and MDLs: the values that die with their request.</summary>
    public bool IsFollowedType(ITypeSymbol? type) =>
        type is not null &&
        (SymbolEqualityComparer.Default.Equals(type, Api.Pvoid) ||
         SymbolEqualityComparer.Default.Equals(type, Api.WdfMemory) ||
         SymbolEqualityComparer.Default.Equals(type, Api.Pmdl));

    public bool IsRequestType(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, Api.WdfRequest);

    public bool IsWdfDdi(IMethodSymbol method) => SymbolEqualityComparer.Default.Equals(method.ContainingType, Api.Wdf);

    public bool IsWdmDdi(IMethodSymbol method) => SymbolEqualityComparer.Default.Equals(method.ContainingType, Api.Wdm);

    public bool IsCompletion(IMethodSymbol method) => IsWdfDdi(method) && Completions.Contains(method.Name);

    public bool IsRetrieval(IMethodSymbol method) => IsWdfDdi(method) && Retrievals.Contains(method.Name);

    public bool IsCreation(IMethodSymbol method) => IsWdfDdi(method) && Creations.Contains(method.Name);

    public bool IsSend(IMethodSymbol method) => IsWdfDdi(method) && method.Name == WdfRequestSend;

    public bool IsForward(IMethodSymbol method) => IsWdfDdi(method) && Forwards.Contains(method.Name);

    /// <summary>True for DDIs whose result belongs to the same requests as their first argument.</summary>
    public bool DerivesFromFirstArgument(IMethodSymbol method) =>
        (IsWdfDdi(method) && WdfDerivations.Contains(method.Name)) ||
        (IsWdmDdi(method) && WdmDerivations.Contains(method.Name));

    /// <summary>True for <c>NT_SUCCESS</c>.</summary>
    public bool IsNtSuccess(IMethodSymbol method) => IsWdmDdi(method) && method.Name == "NT_SUCCESS";

    /// <summary>
    /// True when <paramref name="method"/> is a DDI that takes a request (any <c>Wdf</c> method with a
    /// <c>WDFREQUEST</c> parameter): the cheap test of whether a method is worth a flow analysis.
    /// </summary>
    public bool TakesRequest(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (IsRequestType(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }
}
