using System.Collections.Generic;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>The DDIs of driver-created requests, and where their request and memory arguments sit.</summary>
internal static class ReuseDdis
{
    public const string WdfRequestCreate = nameof(WdfRequestCreate);
    public const string WdfRequestReuse = nameof(WdfRequestReuse);
    public const string WdfRequestSend = nameof(WdfRequestSend);
    public const string WdfRequestSetCompletionRoutine = nameof(WdfRequestSetCompletionRoutine);
    public const string WdfObjectDelete = nameof(WdfObjectDelete);
    public const string WdfRequestGetStatus = nameof(WdfRequestGetStatus);
    public const string WdfRequestGetInformation = nameof(WdfRequestGetInformation);
    public const string WdfRequestRetrieveInputMemory = nameof(WdfRequestRetrieveInputMemory);
    public const string WdfRequestRetrieveOutputMemory = nameof(WdfRequestRetrieveOutputMemory);
    public const string WdfMemoryCreate = nameof(WdfMemoryCreate);
    public const string WdfMemoryCreatePreallocated = nameof(WdfMemoryCreatePreallocated);
    public const string WdfMemoryCreateFromLookaside = nameof(WdfMemoryCreateFromLookaside);
    public const string WdfIoTargetFormatRequestForRead = nameof(WdfIoTargetFormatRequestForRead);
    public const string WdfIoTargetFormatRequestForWrite = nameof(WdfIoTargetFormatRequestForWrite);
    public const string WdfIoTargetFormatRequestForIoctl = nameof(WdfIoTargetFormatRequestForIoctl);
    public const string WdfIoTargetSendReadSynchronously = nameof(WdfIoTargetSendReadSynchronously);
    public const string WdfIoTargetSendWriteSynchronously = nameof(WdfIoTargetSendWriteSynchronously);
    public const string WdfIoTargetSendIoctlSynchronously = nameof(WdfIoTargetSendIoctlSynchronously);
    public const string WDF_REQUEST_SEND_OPTIONS_INIT = nameof(WDF_REQUEST_SEND_OPTIONS_INIT);
    public const string WDF_REQUEST_SEND_OPTION_SYNCHRONOUS = nameof(WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
    public const string WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET = nameof(WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);

    /// <summary>Names that make a method worth analysing (a cheap syntactic pre-filter).</summary>
    public static readonly string[] InterestingNames =
    {
        WdfRequestCreate, WdfRequestReuse, WdfRequestSend, WdfRequestSetCompletionRoutine,
        WdfIoTargetFormatRequestForRead, WdfIoTargetFormatRequestForWrite, WdfIoTargetFormatRequestForIoctl,
        DdiNames.WdfRequestComplete, DdiNames.WdfRequestCompleteWithInformation, DdiNames.WdfRequestCompleteWithPriorityBoost,
    };

    public static bool IsFormat(DriverApi api, IMethodSymbol method) =>
        api.IsWdf(method, WdfIoTargetFormatRequestForRead) ||
        api.IsWdf(method, WdfIoTargetFormatRequestForWrite) ||
        api.IsWdf(method, WdfIoTargetFormatRequestForIoctl);

    public static bool IsSynchronousSend(DriverApi api, IMethodSymbol method) =>
        api.IsWdf(method, WdfIoTargetSendReadSynchronously) ||
        api.IsWdf(method, WdfIoTargetSendWriteSynchronously) ||
        api.IsWdf(method, WdfIoTargetSendIoctlSynchronously);

    public static bool IsCompletion(DriverApi api, IMethodSymbol method)
    {
        foreach (var name in DdiNames.Completions)
        {
            if (api.IsWdf(method, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The argument bound to the parameter called <paramref name="name"/> (case-insensitive), or the one at <paramref name="ordinal"/>.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, string name, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter &&
                string.Equals(parameter.Name, name, System.StringComparison.OrdinalIgnoreCase))
            {
                return argument;
            }
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The request argument of a request DDI: parameter <c>Request</c> (the I/O target DDIs take it second).</summary>
    public static IOperation? RequestArgument(IInvocationOperation invocation) =>
        Argument(invocation, "Request", invocation.TargetMethod.Parameters.Length > 0 &&
            invocation.TargetMethod.Parameters[0].Name is "IoTarget" or "Target" ? 1 : 0)?.Value;

    /// <summary>True when <paramref name="operation"/> is a null handle: <c>default</c>, <c>WDF_NO_HANDLE</c>, <c>null</c>.</summary>
    public static bool IsNullHandle(DriverApi api, IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        return operation switch
        {
            null => true,
            IDefaultValueOperation => true,
            ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
            IFieldReferenceOperation field => api.IsConstant(field.Field, "WDF_NO_HANDLE") || api.IsConstant(field.Field, "NULL"),
            IPropertyReferenceOperation property => property.Property.Name == "WDF_NO_HANDLE",
            _ => false,
        };
    }

    /// <summary>The memory arguments of a format that are not null handles.</summary>
    public static List<IOperation> FormatMemory(DriverApi api, IInvocationOperation format)
    {
        var result = new List<IOperation>(2);
        foreach (var argument in format.Arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Type.Name == "WDFMEMORY" &&
                !IsNullHandle(api, argument.Value))
            {
                result.Add(argument.Value);
            }
        }

        return result;
    }

    /// <summary>True for <c>WdfMemoryCreate</c>, <c>WdfMemoryCreatePreallocated</c> and <c>WdfMemoryCreateFromLookaside</c>.</summary>
    public static bool IsMemoryCreation(DriverApi api, IMethodSymbol method) =>
        api.IsWdf(method, WdfMemoryCreate) || api.IsWdf(method, WdfMemoryCreatePreallocated) ||
        api.IsWdf(method, WdfMemoryCreateFromLookaside);

    /// <summary>The <c>out WDFMEMORY</c> arguments of a memory creation.</summary>
    public static IEnumerable<IOperation> CreatedMemory(IInvocationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out } parameter && parameter.Type.Name == "WDFMEMORY")
            {
                yield return argument.Value;
            }
        }
    }
}
