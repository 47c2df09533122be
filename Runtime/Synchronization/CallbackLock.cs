using System.Threading;
using DriverBuffers.Framework;

namespace DriverBuffers.Synchronization;

/// <summary>
/// The framework's callback lock of a device or a queue whose <c>WDF_OBJECT_ATTRIBUTES.SynchronizationScope</c> is
/// <c>WdfSynchronizationScopeDevice</c> or <c>WdfSynchronizationScopeQueue</c> (KMDF's FxCallbackLock): the queue
/// callbacks and the cancel routines of the requests it presented run one at a time under it. With the execution level
/// KMDF uses by default (dispatch) the lock is a spin lock, so the callbacks run at DISPATCH_LEVEL; with
/// <c>WdfExecutionLevelPassive</c> it is a wait lock and they run at PASSIVE_LEVEL. A callback that makes the framework
/// present another request of the same scope on its own thread (a request forwarded or completed inside it) runs that
/// callback nested, where KMDF would defer it until the lock is free.
/// </summary>
internal sealed class CallbackLock
{
    private readonly object gate = new();

    public CallbackLock(string owner, bool passive)
    {
        Owner = owner;
        Passive = passive;
    }

    /// <summary>The device or queue whose callbacks it serializes.</summary>
    public string Owner { get; }

    /// <summary>A wait lock (<c>WdfExecutionLevelPassive</c>) rather than a spin lock.</summary>
    public bool Passive { get; }

    /// <summary>The first scope that does not inherit, from an object up to its driver (none when all inherit, KMDF's default).</summary>
    public static WDF_SYNCHRONIZATION_SCOPE EffectiveScope(params WDF_SYNCHRONIZATION_SCOPE[] fromObjectToDriver)
    {
        var scope = System.Array.Find(fromObjectToDriver, s => s != WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInheritFromParent);
        return scope == default ? WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeNone : scope;
    }

    /// <summary>True when the first execution level that does not inherit, from an object up to its driver, is passive (KMDF's default is dispatch).</summary>
    public static bool IsPassive(params WDF_EXECUTION_LEVEL[] fromObjectToDriver) =>
        System.Array.Find(fromObjectToDriver, l => l != WDF_EXECUTION_LEVEL.WdfExecutionLevelInheritFromParent)
            == WDF_EXECUTION_LEVEL.WdfExecutionLevelPassive;

    /// <summary>
    /// Runs a driver callback under <paramref name="callbackLock"/> (or, when it is null, as it is), at the IRQL the lock
    /// gives: PASSIVE_LEVEL for a wait lock, DISPATCH_LEVEL for a spin lock (or <paramref name="irql"/> when higher).
    /// </summary>
    public static void Run(CallbackLock? callbackLock, DriverRuntime runtime, KIRQL irql, string callback, System.Action action)
    {
        if (callbackLock is null)
        {
            ThreadIrql.RunCallback(runtime, irql, callback, action);
            return;
        }
        var level = callbackLock.Passive ? KIRQL.PASSIVE_LEVEL : irql > KIRQL.DISPATCH_LEVEL ? irql : KIRQL.DISPATCH_LEVEL;
        Monitor.Enter(callbackLock.gate);
        try
        {
            ThreadIrql.RunCallback(runtime, level, callback, action);
        }
        finally
        {
            Monitor.Exit(callbackLock.gate);
        }
    }
}
