using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// What one method body sets on the attributes and configs it passes to a creating DDI (<c>WdfIoQueueCreate</c>,
/// <c>WdfDeviceCreate</c>, <c>WdfDriverCreate</c>): the execution level and synchronization scope of a
/// <c>WDF_OBJECT_ATTRIBUTES</c>, the <c>EvtIo…</c> callbacks of a <c>WDF_IO_QUEUE_CONFIG</c>. Flow-insensitive within
/// the body: the property assignments made on the same local or parameter anywhere in it, or in the initializer of an
/// object created as the argument. Each operation visited is charged to the work meter.
/// </summary>
internal static class ObjectSettings
{
    public const string QueueCreate = "WdfIoQueueCreate";
    public const string DeviceCreate = "WdfDeviceCreate";
    public const string DriverCreate = "WdfDriverCreate";
    public const string DispatchLevel = "WdfExecutionLevelDispatch";
    public const string PassiveLevel = "WdfExecutionLevelPassive";
    public const string DeviceScope = "WdfSynchronizationScopeDevice";
    public const string QueueScope = "WdfSynchronizationScopeQueue";

    private const string LevelProperty = "ExecutionLevel";
    private const string ScopeProperty = "SynchronizationScope";

    /// <summary>
    /// True when a level or scope of a queue or device, as set in its own attributes, is taken from its parent (unset,
    /// <c>WdfExecutionLevelInheritFromParent</c> or <c>WdfSynchronizationScopeInheritFromParent</c>).
    /// </summary>
    public static bool Inherits(string? setting) => setting is null || setting.EndsWith("InheritFromParent", StringComparison.Ordinal);

    /// <summary>
    /// True for a scope that makes the framework take a lock around the callbacks (<c>WdfSynchronizationScopeDevice</c>,
    /// <c>WdfSynchronizationScopeQueue</c>): a spin lock, at DISPATCH_LEVEL, unless the level is <c>WdfExecutionLevelPassive</c>.
    /// </summary>
    public static bool IsLockScope(string? scope) => scope is DeviceScope or QueueScope;

    /// <summary>
    /// How <paramref name="body"/> sets the attributes passed: the level and the scope it (or their initializer) assigns
    /// (<c>WdfExecutionLevelDispatch</c>, <c>WdfSynchronizationScopeDevice</c>, …; null when none, or two), and the methods
    /// of the driver it passes them to (<c>SetDispatchLevel(attributes)</c>), whose settings <see cref="ParameterSettings"/>
    /// knows; only what reaches <paramref name="creation"/> (<see cref="Window"/>).
    /// </summary>
    public static AttributesSetting AttributesSettingOf(
        IOperation body, IOperation attributes, IOperation creation, SyntaxTree tree, DriverApi api, CancellationToken cancellationToken)
    {
        if (attributes is IObjectCreationOperation initialized)
        {
            var initializers = Initialized(initialized).ToList();
            return new AttributesSetting(LevelOf(initializers, api), ScopeOf(initializers, api), Array.Empty<MethodParameter>());
        }

        if (SymbolOf(attributes) is not { } symbol)
        {
            return AttributesSetting.None;
        }

        var window = Window(body, symbol, creation, cancellationToken);
        var assignments = Assignments(body, symbol, window, cancellationToken).ToList();
        return new AttributesSetting(LevelOf(assignments, api), ScopeOf(assignments, api), Helpers(body, symbol, window, tree, api, cancellationToken));
    }

    /// <summary>The level the assignments set (two different ones: null).</summary>
    public static string? LevelOf(IEnumerable<(IPropertySymbol Property, IOperation Value)> assignments, DriverApi api) =>
        ValueOf(assignments, LevelProperty, "WdfExecutionLevel", "WDF_EXECUTION_LEVEL", api);

    /// <summary>The synchronization scope the assignments set (two different ones: null).</summary>
    public static string? ScopeOf(IEnumerable<(IPropertySymbol Property, IOperation Value)> assignments, DriverApi api) =>
        ValueOf(assignments, ScopeProperty, "WdfSynchronizationScope", "WDF_SYNCHRONIZATION_SCOPE", api);

    /// <summary>The API constant or enum member the assignments set <paramref name="property"/> to (two different ones: null).</summary>
    private static string? ValueOf(
        IEnumerable<(IPropertySymbol Property, IOperation Value)> assignments, string property, string prefix, string enumName, DriverApi api)
    {
        string? value = null;
        foreach (var (assigned, assignedValue) in assignments)
        {
            if (assigned.Name == property && Strip(assignedValue) is IFieldReferenceOperation field && IsApiValue(field.Field, prefix, enumName, api))
            {
                if (value is not null && value != field.Field.Name)
                {
                    return null;
                }

                value = field.Field.Name;
            }
        }

        return value;
    }

    /// <summary>
    /// The keys (<see cref="SymbolIds.KeyIn"/>) of the methods <paramref name="body"/> (or the initializer) sets as an
    /// <c>EvtIo…</c> callback of the config passed, and the methods of the driver it passes the config to
    /// (<c>InitQueueConfig(out config)</c>); only what reaches <paramref name="creation"/> (<see cref="Window"/>): a config
    /// initialized again for a second queue gives it only what is set after.
    /// </summary>
    public static (string[] Keys, MethodParameter[] Helpers) CallbacksOf(
        IOperation body, IOperation config, IOperation creation, SyntaxTree tree, DriverApi api, CancellationToken cancellationToken)
    {
        if (config is IObjectCreationOperation initialized)
        {
            return (CallbackKeysOf(Initialized(initialized), tree).ToArray(), Array.Empty<MethodParameter>());
        }

        if (SymbolOf(config) is not { } symbol)
        {
            return (Array.Empty<string>(), Array.Empty<MethodParameter>());
        }

        var window = Window(body, symbol, creation, cancellationToken);
        return (CallbackKeysOf(Assignments(body, symbol, window, cancellationToken), tree).ToArray(), Helpers(body, symbol, window, tree, api, cancellationToken));
    }

    /// <summary>
    /// The part of <paramref name="body"/>, in source order, whose settings of <paramref name="symbol"/> reach
    /// <paramref name="creation"/>: from the last call before it that initializes the object again (passes it
    /// <c>out</c>: <c>WDF_IO_QUEUE_CONFIG_INIT(out config, …)</c>, <c>InitConfig(out config)</c>) up to the creation.
    /// </summary>
    public static TextSpan Window(IOperation body, ISymbol symbol, IOperation creation, CancellationToken cancellationToken)
    {
        var end = creation.Syntax.SpanStart;
        var start = body.Syntax.SpanStart;
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is IArgumentOperation { Parameter.RefKind: RefKind.Out, Parent: { } call } argument &&
                call.Syntax.SpanStart < end && call.Syntax.SpanStart > start &&
                SymbolEqualityComparer.Default.Equals(SymbolOf(Declared(Strip(argument.Value))), symbol))
            {
                start = call.Syntax.SpanStart;
            }
        }

        return TextSpan.FromBounds(start, end);
    }

    /// <summary>The keys of the methods (or lambdas: <see cref="LambdaKey"/>) the assignments set as <c>EvtIo…</c> callbacks.</summary>
    public static IEnumerable<string> CallbackKeysOf(IEnumerable<(IPropertySymbol Property, IOperation Value)> assignments, SyntaxTree tree)
    {
        foreach (var (property, value) in assignments)
        {
            if (!property.Name.StartsWith("EvtIo", StringComparison.Ordinal))
            {
                continue;
            }

            switch (Strip(value))
            {
                case IMethodReferenceOperation reference when SymbolIds.KeyIn(reference.Method.OriginalDefinition, tree) is { } key:
                    yield return key;
                    break;
                case IAnonymousFunctionOperation lambda:
                    yield return LambdaKey(lambda.Syntax);
                    break;
            }
        }
    }

    /// <summary>The key of a lambda set as a callback, in its tree: <c>λ</c> and its position.</summary>
    public static string LambdaKey(SyntaxNode lambda) => "\u03bb" + lambda.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The position of the lambda <paramref name="key"/> names, or null when it names a method.</summary>
    public static int? LambdaPosition(string key) =>
        key.Length > 1 && key[0] == '\u03bb' && int.TryParse(key.Substring(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            ? position
            : null;

    /// <summary>The parameters of the driver's methods that <paramref name="body"/> passes <paramref name="symbol"/> to (in <paramref name="window"/>).</summary>
    public static MethodParameter[] Helpers(
        IOperation body, ISymbol symbol, TextSpan window, SyntaxTree tree, DriverApi api, CancellationToken cancellationToken) =>
        PassedTo(body, symbol, window, api, cancellationToken)
            .Select(pass => SymbolIds.KeyIn(pass.Method, tree) is { } key ? new MethodParameter(key, pass.Method.Name, pass.Ordinal) : null)
            .OfType<MethodParameter>()
            .ToArray();

    /// <summary>The local a creating DDI's <c>out</c> handle is stored in (<c>out var device</c>, <c>out device</c>), or null.</summary>
    public static ILocalSymbol? CreatedLocal(IInvocationOperation creation, int ordinal) =>
        ArgumentValue(creation, ordinal) is { } created
            ? SymbolOf(Declared(created)) as ILocalSymbol
            : null;

    /// <summary>
    /// The calls of <paramref name="body"/> that pass the local or parameter <paramref name="local"/> to a method of the
    /// driver (not a DDI): the method and the parameter it arrives in (<c>QueueInitialize(device)</c>,
    /// <c>InitQueueConfig(out var config)</c>).
    /// </summary>
    public static IEnumerable<(IMethodSymbol Method, int Ordinal)> PassedTo(
        IOperation body, ISymbol local, TextSpan window, DriverApi api, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is not IInvocationOperation call || !In(window, call) || api.IsDdi(call.TargetMethod) ||
                call.TargetMethod.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) ||
                call.TargetMethod.DeclaringSyntaxReferences.Length == 0)
            {
                continue;
            }

            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(SymbolOf(Declared(Strip(argument.Value))), local))
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

    /// <summary>
    /// A value of the API's enum <paramref name="enumName"/> (<c>WDF_EXECUTION_LEVEL</c>, <c>WDF_SYNCHRONIZATION_SCOPE</c>):
    /// the API's constant (<c>Wdf.WdfSynchronizationScopeDevice</c>), or the enum's member, matched by symbol.
    /// </summary>
    private static bool IsApiValue(IFieldSymbol field, string prefix, string enumName, DriverApi api) =>
        field.Name.StartsWith(prefix, StringComparison.Ordinal) &&
        field.Type.Name == enumName &&
        SymbolEqualityComparer.Default.Equals(field.Type.ContainingAssembly, api.Wdf.ContainingAssembly) &&
        (api.IsConstant(field, field.Name) || field.ContainingType.TypeKind == TypeKind.Enum);

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

    /// <summary>The property assignments made on the local or parameter <paramref name="symbol"/> in <paramref name="body"/> (in <paramref name="window"/>).</summary>
    public static IEnumerable<(IPropertySymbol Property, IOperation Value)> Assignments(
        IOperation body, ISymbol symbol, TextSpan window, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } property } assignment &&
                In(window, assignment) && SymbolEqualityComparer.Default.Equals(SymbolOf(Strip(instance)), symbol))
            {
                yield return (property.Property, assignment.Value);
            }
        }
    }

    /// <summary>True when <paramref name="operation"/> starts in <paramref name="window"/> (its end excluded).</summary>
    private static bool In(TextSpan window, IOperation operation) =>
        operation.Syntax.SpanStart >= window.Start && operation.Syntax.SpanStart < window.End;

    /// <summary>The variable an <c>out var x</c> declares, else the operation itself.</summary>
    private static IOperation Declared(IOperation operation) =>
        operation is IDeclarationExpressionOperation declaration ? declaration.Expression : operation;

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
