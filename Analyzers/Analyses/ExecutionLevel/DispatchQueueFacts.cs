using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

// The per-tree answers of DispatchQueueIndex: what one tree creates and how, from that tree alone (so an answer kept
// across IDE edits never goes stale through another tree's body); symbols as keys (SymbolIds.KeyIn), syntax as spans.
// The index puts the trees' answers together per compilation.

/// <summary>A parameter of a method of the driver: the method's key and name, the parameter's position.</summary>
internal sealed class MethodParameter
{
    public MethodParameter(string methodKey, string methodName, int ordinal)
    {
        MethodKey = methodKey;
        MethodName = methodName;
        Ordinal = ordinal;
    }

    public string MethodKey { get; }

    public string MethodName { get; }

    public int Ordinal { get; }

    /// <summary>
    /// True when two keys found in two trees name the same method: the same documentation ID, or the same local function
    /// (its key, <c>@</c> and a position, only means something in its own tree).
    /// </summary>
    public static bool SameMethod(string key, SyntaxTree tree, string otherKey, SyntaxTree otherTree) =>
        key == otherKey && (tree == otherTree || !key.StartsWith("@", StringComparison.Ordinal));
}

/// <summary>
/// How a method sets an object's attributes: the execution level and the synchronization scope it assigns (each null
/// when none), the helpers it passes them to.
/// </summary>
internal sealed class AttributesSetting
{
    public static readonly AttributesSetting None = new(null, null, System.Array.Empty<MethodParameter>());

    public AttributesSetting(string? level, string? scope, MethodParameter[] helpers)
    {
        Level = level;
        Scope = scope;
        Helpers = helpers;
    }

    public string? Level { get; }

    public string? Scope { get; }

    public MethodParameter[] Helpers { get; }
}

/// <summary>A <c>WdfDeviceCreate</c> or <c>WdfDriverCreate</c> call: where, its attributes' level and scope, the methods its device is passed to.</summary>
internal sealed class ParentCreation
{
    public ParentCreation(TextSpan creation, AttributesSetting attributes, MethodParameter[] passes)
    {
        Creation = creation;
        Attributes = attributes;
        Passes = passes;
    }

    public TextSpan Creation { get; }

    public AttributesSetting Attributes { get; }

    public MethodParameter[] Passes { get; }
}

/// <summary>
/// A <c>WdfIoQueueCreate</c> call: where, its attributes' level and scope, the callbacks its config is given (and the helpers it is passed to),
/// and its device: created in the same method (the creation's span), or a parameter of the method.
/// </summary>
internal sealed class QueueCreation
{
    public QueueCreation(
        TextSpan creation, AttributesSetting attributes, string[] callbackKeys, MethodParameter[] configHelpers, TextSpan? deviceCreation, MethodParameter? deviceParameter)
    {
        Creation = creation;
        Attributes = attributes;
        CallbackKeys = callbackKeys;
        ConfigHelpers = configHelpers;
        DeviceCreation = deviceCreation;
        DeviceParameter = deviceParameter;
    }

    public TextSpan Creation { get; }

    public AttributesSetting Attributes { get; }

    public string[] CallbackKeys { get; }

    public MethodParameter[] ConfigHelpers { get; }

    public TextSpan? DeviceCreation { get; }

    public MethodParameter? DeviceParameter { get; }
}

/// <summary>
/// One tree's queues, devices and drivers, and the methods it declares that set a parameter's level to dispatch or its
/// scope to device or queue.
/// </summary>
internal sealed class TreeCreations
{
    public TreeCreations(QueueCreation[] queues, ParentCreation[] devices, ParentCreation[] drivers, MethodParameter[] dispatchHelpers)
    {
        Queues = queues;
        Devices = devices;
        Drivers = drivers;
        DispatchHelpers = dispatchHelpers;
    }

    public QueueCreation[] Queues { get; }

    public ParentCreation[] Devices { get; }

    public ParentCreation[] Drivers { get; }

    public MethodParameter[] DispatchHelpers { get; }
}
