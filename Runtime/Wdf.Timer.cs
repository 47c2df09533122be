using DriverBuffers.Deferred;
using DriverBuffers.Framework;
using DriverBuffers.Synchronization;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// Framework timers on simulated time: they fire when the test or the exerciser lets time pass
/// (<c>AdvanceTime</c>), and their callbacks run at DISPATCH_LEVEL.
/// </summary>
public static partial class Wdf
{
    /// <summary>Initialises a one-shot timer configuration (automatic serialization on, as in C).</summary>
    public static void WDF_TIMER_CONFIG_INIT(out WDF_TIMER_CONFIG Config, EVT_WDF_TIMER EvtTimerFunc) =>
        Config = new WDF_TIMER_CONFIG { Size = 32, EvtTimerFunc = EvtTimerFunc, AutomaticSerialization = true };

    /// <summary>Initialises a periodic timer configuration: after it fires it fires again every <paramref name="Period"/> milliseconds.</summary>
    public static void WDF_TIMER_CONFIG_INIT_PERIODIC(out WDF_TIMER_CONFIG Config, EVT_WDF_TIMER EvtTimerFunc, uint Period)
    {
        WDF_TIMER_CONFIG_INIT(out Config, EvtTimerFunc);
        Config.Period = Period;
    }

    /// <summary><c>AutomaticSerialization</c> of a timer, DPC or work item configuration (FALSE for a missing one, which the create refuses).</summary>
    private static bool AutomaticSerializationOf(object? config) => config switch
    {
        WDF_TIMER_CONFIG timer => timer.AutomaticSerialization,
        WDF_DPC_CONFIG dpc => dpc.AutomaticSerialization,
        WDF_WORKITEM_CONFIG workItem => workItem.AutomaticSerialization,
        _ => false,
    };

    /// <summary>
    /// Creates a timer. A parent is required (a device, or an object whose parents lead to one, such as a queue):
    /// STATUS_WDF_PARENT_NOT_SPECIFIED without one. The timer stops when its parent is deleted.
    /// </summary>
    public static NTSTATUS WdfTimerCreate(WDF_TIMER_CONFIG Config, WDF_OBJECT_ATTRIBUTES? Attributes, out WDFTIMER Timer)
    {
        var status = DeferredParent.Create(Config, AutomaticSerializationOf(Config), Attributes, nameof(WdfTimerCreate), runtime => new WdfTimerObject(runtime, Config), out var timer);
        Timer = new WDFTIMER(timer);
        return status;
    }

    /// <summary>
    /// Starts the timer: <paramref name="DueTime"/> negative is relative (<c>WDF_REL_TIMEOUT_IN_MS</c>), positive an
    /// absolute system time. TRUE if it was already waiting (it restarts).
    /// </summary>
    public static bool WdfTimerStart(WDFTIMER Timer, long DueTime) =>
        HandleValidation.Use(Timer.Object, nameof(WdfTimerStart), Timer.ToString())?.Start(DueTime) ?? false;

    /// <summary>
    /// Stops the timer: TRUE if it was waiting (its callback will not run). With <paramref name="Wait"/> (PASSIVE_LEVEL
    /// only) the call also waits for a running callback; callbacks run on the thread that moves simulated time, so
    /// none is running on another thread.
    /// </summary>
    public static bool WdfTimerStop(WDFTIMER Timer, bool Wait)
    {
        var timer = HandleValidation.Use(Timer.Object, nameof(WdfTimerStop), Timer.ToString());
        if (timer is null || (Wait && !ThreadIrql.Check(KIRQL.PASSIVE_LEVEL, nameof(WdfTimerStop), timer.HandleName)))
        {
            return false;
        }
        return timer.Stop();
    }

    /// <summary>The timer's parent object.</summary>
    public static WDFOBJECT WdfTimerGetParentObject(WDFTIMER Timer) =>
        new(HandleValidation.Use(Timer.Object, nameof(WdfTimerGetParentObject), Timer.ToString())?.Parent);
}
