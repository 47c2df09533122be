using System;
using System.Collections.Generic;
using System.Linq;
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
    /// How <paramref name="body"/> sets the level of the attributes passed: the level it (or their initializer) assigns,
    /// <c>WdfExecutionLevelDispatch</c>, <c>…Passive</c>, <c>…InheritFromParent</c> (null when none, or two), and the
    /// methods of the driver it passes them to (<c>SetDispatchLevel(attributes)</c>), whose settings
    /// <see cref="ParameterSettings"/> knows.
    /// </summary>
    public static LevelSetting LevelSettingOf(IOperation body, IOperation attributes, SyntaxTree tree, DriverApi api, CancellationToken cancellationToken)
    {
        if (attributes is IObjectCreationOperation creation)
        {
            return new LevelSetting(LevelOf(Initialized(creation), api), Array.Empty<MethodParameter>());
        }

        return SymbolOf(attributes) is { } symbol
            ? new LevelSetting(LevelOf(Assignments(body, symbol, cancellationToken), api), Helpers(body, symbol, tree, api, cancellationToken))
            : new LevelSetting(null, Array.Empty<MethodParameter>());
    }

    /// <summary>The level the assignments set (two different ones: null).</summary>
    public static string? LevelOf(IEnumerable<(IPropertySymbol Property, IOperation Value)> assignments, DriverApi api)
    {
        string? level = null;
        foreach (var (property, value) in assignments)
        {
            if (property.Name == "ExecutionLevel" && Strip(value) is IFieldReferenceOperation field && IsExecutionLevel(field.Field, api))
            {
                if (level is not null && level != field.Field.Name)
                {
                    return null;
                }

                level = field.Field.Name;
            }
        }

        return level;
    }

    /// <summary>
    /// The keys (<see cref="SymbolIds.KeyIn"/>) of the methods <paramref name="body"/> (or the initializer) sets as an
    /// <c>EvtIo…</c> callback of the config passed, and the methods of the driver it passes the config to
    /// (<c>InitQueueConfig(out config)</c>).
    /// </summary>
    public static (string[] Keys, MethodParameter[] Helpers) CallbacksOf(
        IOperation body, IOperation config, SyntaxTree tree, DriverApi api, CancellationToken cancellationToken)
    {
        if (config is IObjectCreationOperation creation)
        {
            return (CallbackKeysOf(Initialized(creation), tree).ToArray(), Array.Empty<MethodParameter>());
        }

        return SymbolOf(config) is { } symbol
            ? (CallbackKeysOf(Assignments(body, symbol, cancellationToken), tree).ToArray(), Helpers(body, symbol, tree, api, cancellationToken))
            : (Array.Empty<string>(), Array.Empty<MethodParameter>());
    }

    /// <summary>The keys of the methods the assignments set as <c>EvtIo…</c> callbacks.</summary>
    public static IEnumerable<string> CallbackKeysOf(IEnumerable<(IPropertySymbol Property, IOperation Value)> assignments, SyntaxTree tree)
    {
        foreach (var (property, value) in assignments)
        {
            if (property.Name.StartsWith("EvtIo", StringComparison.Ordinal) &&
                Strip(value) is IMethodReferenceOperation reference &&
                SymbolIds.KeyIn(reference.Method.OriginalDefinition, tree) is { } key)
            {
                yield return key;
            }
        }
    }

    /// <summary>The parameters of the driver's methods that <paramref name="body"/> passes <paramref name="symbol"/> to.</summary>
    public static MethodParameter[] Helpers(IOperation body, ISymbol symbol, SyntaxTree tree, DriverApi api, CancellationToken cancellationToken) =>
        PassedTo(body, symbol, api, cancellationToken)
            .Select(pass => SymbolIds.KeyIn(pass.Method, tree) is { } key ? new MethodParameter(key, pass.Method.Name, pass.Ordinal) : null)
            .OfType<MethodParameter>()
            .ToArray();

    /// <summary>The local a creating DDI's <c>out</c> handle is stored in (<c>out var device</c>, <c>out device</c>), or null.</summary>
    public static ILocalSymbol? CreatedLocal(IInvocationOperation creation, int ordinal) =>
        ArgumentValue(creation, ordinal) is { } created
            ? SymbolOf(created is IDeclarationExpressionOperation declaration ? declaration.Expression : created) as ILocalSymbol
            : null;

    /// <summary>
    /// The calls of <paramref name="body"/> that pass the local or parameter <paramref name="local"/> to a method of the
    /// driver (not a DDI): the method and the parameter it arrives in (<c>QueueInitialize(device)</c>,
    /// <c>InitQueueConfig(out var config)</c>).
    /// </summary>
    public static IEnumerable<(IMethodSymbol Method, int Ordinal)> PassedTo(IOperation body, ISymbol local, DriverApi api, CancellationToken cancellationToken)
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
                var value = Strip(argument.Value);
                if (argument.Parameter is { } parameter &&
                    SymbolEqualityComparer.Default.Equals(SymbolOf(value is IDeclarationExpressionOperation declaration ? declaration.Expression : value), local))
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

    /// <summary>The property assignments of the initializer of an object created as the argument.</summary>
    private static IEnumerable<(IPropertySymbol Property, IOperation Value)> Initialized(IObjectCreationOperation creation)
    {
        if (creation.Initializer is not { } initializer)
        {
            yield break;
        }

        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
            {
                yield return (property.Property, assignment.Value);
            }
        }
    }

    /// <summary>The property assignments made on the local or parameter <paramref name="symbol"/> anywhere in <paramref name="body"/>.</summary>
    public static IEnumerable<(IPropertySymbol Property, IOperation Value)> Assignments(IOperation body, ISymbol symbol, CancellationToken cancellationToken)
    {
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
