using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

// The per-tree answers of DispatchQueueIndex, kept with their tree across IDE edits: symbols as keys
// (SymbolIds.KeyIn), syntax as spans of that tree.

/// <summary>A callback of a dispatch-level queue: the method's key, the queue's creation, the device's when it gave the level.</summary>
internal sealed class QueueCallback
{
    public QueueCallback(string callbackKey, TextSpan creation, TextSpan? device)
    {
        CallbackKey = callbackKey;
        Creation = creation;
        Device = device;
    }

    public string CallbackKey { get; }

    public TextSpan Creation { get; }

    public TextSpan? Device { get; }
}

/// <summary>A device handed to a method of the driver: the method's key and name, the parameter it arrives in.</summary>
internal sealed class DevicePass
{
    public DevicePass(string methodKey, string methodName, int ordinal)
    {
        MethodKey = methodKey;
        MethodName = methodName;
        Ordinal = ordinal;
    }

    public string MethodKey { get; }

    public string MethodName { get; }

    public int Ordinal { get; }
}

/// <summary>A device creation, the callbacks of the queues created on it in the same method, the methods it is passed to.</summary>
internal sealed class DeviceQueues
{
    public DeviceQueues(TextSpan creation, QueueCallback[] callbacks, DevicePass[] passes)
    {
        Creation = creation;
        Callbacks = callbacks;
        Passes = passes;
    }

    public TextSpan Creation { get; }

    public QueueCallback[] Callbacks { get; }

    public DevicePass[] Passes { get; }
}

/// <summary>What a tree that names the dispatch level creates at it: queues (their callbacks), devices, drivers.</summary>
internal sealed class DispatchLevelFacts
{
    public DispatchLevelFacts(QueueCallback[] callbacks, DeviceQueues[] devices, TextSpan[] drivers)
    {
        Callbacks = callbacks;
        Devices = devices;
        Drivers = drivers;
    }

    public QueueCallback[] Callbacks { get; }

    public DeviceQueues[] Devices { get; }

    public TextSpan[] Drivers { get; }
}

/// <summary>A queue created on a device parameter of a method, with its level unset or inherited: the method, the parameter, the callbacks.</summary>
internal sealed class ParameterQueue
{
    public ParameterQueue(string methodKey, int ordinal, TextSpan creation, string[] callbackKeys)
    {
        MethodKey = methodKey;
        Ordinal = ordinal;
        Creation = creation;
        CallbackKeys = callbackKeys;
    }

    public string MethodKey { get; }

    public int Ordinal { get; }

    public TextSpan Creation { get; }

    public string[] CallbackKeys { get; }
}
