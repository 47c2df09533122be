using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// Why a piece of code may run above APC_LEVEL, in the driver writer's words: the callback it is (a completion routine,
/// a timer or DPC callback, with the DDI and line that registered it; a queue callback, with the level or the
/// synchronization scope that puts it at DISPATCH_LEVEL), or the spin lock (or raised IRQL) it runs under.
/// </summary>
internal sealed class DispatchContext
{
    private DispatchContext(string description, bool isRaised = false)
    {
        Description = description;
        IsRaised = isRaised;
    }

    /// <summary>"the completion routine 'X' (set by IoSetCompletionRoutine at line 94)", "code under the spin lock of …".</summary>
    public string Description { get; }

    /// <summary>True for code between a raising call and its release (a release ends it); false for a callback's body.</summary>
    public bool IsRaised { get; }

    /// <summary>The body of a callback registered by <paramref name="registeredBy"/> at <paramref name="registration"/>.</summary>
    public static DispatchContext Callback(string registeredBy, string callbackName, Location registration) =>
        new($"the {KindOf(registeredBy)} '{callbackName}' (registered by {registeredBy} at line {LineOf(registration)})");

    /// <summary>
    /// An I/O callback of a queue created at <paramref name="creation"/> at DISPATCH_LEVEL: with
    /// <c>ExecutionLevel = WdfExecutionLevelDispatch</c> (<paramref name="scope"/> null), or with a synchronization scope
    /// (<c>WdfSynchronizationScopeDevice</c>, <c>…Queue</c>) at the default level, for which the framework calls it holding a
    /// spin lock; set on its own attributes, or (<paramref name="device"/>) its device's, or (<paramref name="driver"/>) its
    /// driver's. A place in another file than <paramref name="callbackTree"/> (the tree the callback is named in) names its file.
    /// </summary>
    public static DispatchContext QueueCallback(
        string callbackName, Location creation, Location? device, Location? driver, SyntaxTree callbackTree, string? scope)
    {
        var queue = $"the queue callback '{callbackName}' (of the queue created by WdfIoQueueCreate at {At(creation, callbackTree)}";
        var setting = scope is null
            ? "with ExecutionLevel = WdfExecutionLevelDispatch)"
            : $"with SynchronizationScope = {scope}: the framework calls it holding the {(scope == ObjectSettings.DeviceScope ? "device" : "queue")}'s spin lock)";
        return new(device is null
            ? $"{queue} {setting}"
            : driver is null
                ? $"{queue} on a device created by WdfDeviceCreate at {At(device, callbackTree)} {setting}"
                : $"{queue} on a device created by WdfDeviceCreate at {At(device, callbackTree)}, of a driver created by WdfDriverCreate at {At(driver, callbackTree)} {setting}");
    }

    /// <summary>"line 12", or "line 12 of Device.cs" when <paramref name="location"/> is in another tree than <paramref name="from"/>.</summary>
    private static string At(Location location, SyntaxTree from) =>
        location.SourceTree is { } tree && tree != from && System.IO.Path.GetFileName(tree.FilePath) is { Length: > 0 } file
            ? $"line {LineOf(location)} of {file}"
            : $"line {LineOf(location)}";

    /// <summary>Code after <paramref name="raisedBy"/> (a spin lock acquired, the IRQL raised) and before its release.</summary>
    public static DispatchContext Raised(string raisedBy, Location where) =>
        new(raisedBy.Contains("SpinLock")
            ? $"code under the spin lock acquired by {raisedBy} at line {LineOf(where)}"
            : $"code after {raisedBy} at line {LineOf(where)} raised the IRQL",
            isRaised: true);

    /// <summary>Code after a call of the driver's lock helper <paramref name="helper"/>, which returns holding the lock <paramref name="ddi"/> acquired.</summary>
    public static DispatchContext RaisedByHelper(string helper, string ddi, int ddiLine, Location where) =>
        new(ddi.Contains("SpinLock")
            ? $"code under the spin lock acquired by '{helper}' at line {LineOf(where)} ({ddi} at line {ddiLine})"
            : $"code after '{helper}' at line {LineOf(where)} raised the IRQL ({ddi} at line {ddiLine})",
            isRaised: true);

    /// <summary>What kind of callback a registering DDI registers.</summary>
    public static string KindOf(string registeredBy) => registeredBy switch
    {
        "WdfRequestSetCompletionRoutine" or "IoSetCompletionRoutine" => "completion routine",
        "WDF_DPC_CONFIG_INIT" or "WDF_DPC_CONFIG.EvtDpcFunc" => "DPC callback",
        "WdfRequestMarkCancelable" or "WdfRequestMarkCancelableEx" => "cancel routine",
        _ => "timer callback",
    };

    /// <summary>The one-based line of <paramref name="location"/>.</summary>
    public static int LineOf(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;
}
