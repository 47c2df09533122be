namespace DriverBuffers;

/// <summary>C's <c>WDF_TIMER_CONFIG</c>; initialise with <see cref="Wdf.WDF_TIMER_CONFIG_INIT"/> or <see cref="Wdf.WDF_TIMER_CONFIG_INIT_PERIODIC"/>.</summary>
public sealed class WDF_TIMER_CONFIG
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>The callback, run at DISPATCH_LEVEL.</summary>
    public EVT_WDF_TIMER? EvtTimerFunc { get; set; }

    /// <summary>The period in milliseconds; 0 for a one-shot timer.</summary>
    public uint Period { get; set; }

    /// <summary>Serialize with the parent's callbacks (accepted; see the runtime README).</summary>
    public bool AutomaticSerialization { get; set; }

    /// <summary>How late the timer may fire, in milliseconds (ignored: simulated time is exact).</summary>
    public uint TolerableDelay { get; set; }

    /// <summary>High-resolution timer (ignored: simulated time is exact).</summary>
    public bool UseHighResolutionTimer { get; set; }
}
