using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// What one method body sets on the attributes and configs it passes to a creating DDI (<c>WdfIoQueueCreate</c>,
/// <c>WdfDeviceCreate</c>, <c>WdfDriverCreate</c>): the execution level of a <c>WDF_OBJECT_ATTRIBUTES</c>, the
/// <c>EvtIo…</c> callbacks of a <c>WDF_IO_QUEUE_CONFIG</c>. Flow-insensitive within the body: the property assignments
/// made on the same local or parameter anywhere in it, or in the initializer of an object created as the argument.
/// Each operation visited is charged to the work meter.
/// </summary>
internal static class ObjectSettings
{
    public const string QueueCreate = "WdfIoQueueCreate";
    public const string DeviceCreate = "WdfDeviceCreate";
    public const string DriverCreate = "WdfDriverCreate";
    public const string DispatchLevel = "WdfExecutionLevelDispatch";
    public const string InheritLevel = "WdfExecutionLevelInheritFromParent";

    /// <summary>True when the level of a queue or device, as set in its own attributes, is taken from its parent (unset or inherited).</summary>
    public static bool Inherits(string? level) => level is null or InheritLevel;

    /// <summary>
    /// The name of the execution level the attributes passed are set to in <paramref name="body"/> or in their initializer
    /// (<c>WdfExecutionLevelDispatch</c>, <c>…Passive</c>, <c>…InheritFromParent</c>); null when it is not set to one.
    /// </summary>
    public static string? LevelOf(IOperation body, IOperation attributes, DriverApi api, CancellationToken cancellationToken)
    {
        string? level = null;
        foreach (var (property, value) in Assignments(body, attributes, cancellationToken))
        {
            if (property.Name == "ExecutionLevel" && Strip(value) is IFieldReferenceOperation field && IsExecutionLevel(field.Field, api))
            {
                // Set to two levels in one method: no single level is known.
                if (level is not null && level != field.Field.Name)
                {
                    return null;
                }

                level = field.Field.Name;
            }
        }

        return level;
    }

    /// <summary>The methods set as an <c>EvtIo…</c> callback of the config passed.</summary>
    public static IEnumerable<IMethodSymbol> CallbacksOf(IOperation body, IOperation config, CancellationToken cancellationToken)
    {
        foreach (var (property, value) in Assignments(body, config, cancellationToken))
        {
            if (property.Name.StartsWith("EvtIo", StringComparison.Ordinal) &&
                Strip(value) is IMethodReferenceOperation reference)
            {
                yield return reference.Method.OriginalDefinition;
            }
        }
    }

    /// <summary>The local a creating DDI's <c>out</c> handle is stored in (<c>out var device</c>, <c>out device</c>), or null.</summary>
    public static ILocalSymbol? CreatedLocal(IInvocationOperation creation, int ordinal) =>
        ArgumentValue(creation, ordinal) is { } created
            ? SymbolOf(created is IDeclarationExpressionOperation declaration ? declaration.Expression : created) as ILocalSymbol
            : null;

    /// <summary>
    /// The calls of <paramref name="body"/> that pass <paramref name="local"/> to a method of the driver (not a DDI): the
    /// method and the parameter it arrives in (<c>QueueInitialize(device)</c>).
    /// </summary>
    public static IEnumerable<(IMethodSymbol Method, int Ordinal)> PassedTo(IOperation body, ILocalSymbol local, DriverApi api, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is not IInvocationOperation call || api.IsDdi(call.TargetMethod) ||
                call.TargetMethod.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) ||
                call.TargetMethod.DeclaringSyntaxReferences.Length == 0)
            {
                continue;
            }

            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(SymbolOf(Strip(argument.Value)), local))
                {
                    yield return (call.TargetMethod.OriginalDefinition, parameter.Ordinal);
                }
            }
        }
    }

    /// <summary>The body of the method, local function or lambda that makes <paramref name="invocation"/>.</summary>
    public static IOperation? EnclosingBody(IOperation invocation)
    {
        IOperation? body = null;
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IBlockOperation block)
            {
                body = block;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                break;
            }
        }

        return body;
    }

    /// <summary>The argument given for the parameter at <paramref name="ordinal"/>, under conversions and delegate creations.</summary>
    public static IOperation? ArgumentValue(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return Strip(argument.Value);
            }
        }

        return null;
    }

    /// <summary>The local or parameter <paramref name="operation"/> reads, or null.</summary>
    public static ISymbol? SymbolOf(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>An execution level: the API's constant, or the member of its <c>WDF_EXECUTION_LEVEL</c> enum.</summary>
    private static bool IsExecutionLevel(IFieldSymbol field, DriverApi api) =>
        field.Name.StartsWith("WdfExecutionLevel", StringComparison.Ordinal) &&
        (api.IsConstant(field, field.Name) ||
         (field.ContainingType.TypeKind == TypeKind.Enum &&
          SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, api.Wdf.ContainingAssembly)));

    /// <summary>
    /// The property assignments made on <paramref name="target"/>: on the same local or parameter anywhere in
    /// <paramref name="body"/>, or in the initializer of the object created as the argument.
    /// </summary>
    private static IEnumerable<(IPropertySymbol Property, IOperation Value)> Assignments(IOperation body, IOperation target, CancellationToken cancellationToken)
    {
        if (target is IObjectCreationOperation { Initializer: { } initializer })
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                {
                    yield return (property.Property, assignment.Value);
                }
            }

            yield break;
        }

        var symbol = SymbolOf(target);
        if (symbol is null)
        {
            yield break;
        }

        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } property } assignment &&
                SymbolEqualityComparer.Default.Equals(SymbolOf(Strip(instance)), symbol))
            {
                yield return (property.Property, assignment.Value);
            }
        }
    }

    private static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IDelegateCreationOperation creation:
                    operation = creation.Target;
                    break;
                default:
                    return operation;
            }
        }
    }
}
