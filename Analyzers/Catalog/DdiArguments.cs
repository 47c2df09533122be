using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>Where a DDI call's request, memory, routine and options arguments sit.</summary>
internal static class DdiArguments
{
    /// <summary>The argument bound to the parameter called <paramref name="name"/> (case-insensitive), or the one at <paramref name="ordinal"/>.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, string name, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
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
    public static IOperation? Request(IInvocationOperation invocation) =>
        Argument(invocation, "Request", invocation.TargetMethod.Parameters.Length > 0 &&
            invocation.TargetMethod.Parameters[0].Name is "IoTarget" or "Target" ? 1 : 0)?.Value;

    /// <summary>The completion routine argument of <c>WdfRequestSetCompletionRoutine</c>.</summary>
    public static IOperation? CompletionRoutine(IInvocationOperation invocation) => Argument(invocation, "CompletionRoutine", 1)?.Value;

    /// <summary>The completion context argument of <c>WdfRequestSetCompletionRoutine</c>.</summary>
    public static IOperation? CompletionContext(IInvocationOperation invocation) => Argument(invocation, "CompletionContext", 2)?.Value;

    /// <summary>The options argument of <c>WdfRequestSend</c>.</summary>
    public static IOperation? SendOptions(IInvocationOperation invocation) => Argument(invocation, "Options", 2)?.Value;

    /// <summary>The method or local function a completion-routine argument names, when it is a method group.</summary>
    public static IMethodSymbol? RoutineMethod(IOperation? routineArgument)
    {
        var operation = OperationUnwrap.Unwrap(routineArgument);
        if (operation is IDelegateCreationOperation creation)
        {
            operation = OperationUnwrap.Unwrap(creation.Target);
        }

        return (operation as IMethodReferenceOperation)?.Method;
    }

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
            if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.Type, api.WdfMemory) &&
                !IsNullHandle(api, argument.Value))
            {
                result.Add(argument.Value);
            }
        }

        return result;
    }
}
