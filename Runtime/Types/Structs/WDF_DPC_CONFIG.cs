namespace DriverBuffers;

/// <summary>C's <c>WDF_DPC_CONFIG</c>; initialise with <see cref="Wdf.WDF_DPC_CONFIG_INIT"/>.</summary>
public sealed class WDF_DPC_CONFIG
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>The callback, run at DISPATCH_LEVEL.</summary>
    public EVT_WDF_DPC? EvtDpcFunc { get; set; }

    /// <summary>Serialize with the parent's callbacks (accepted; see the runtime README).</summary>
    public bool AutomaticSerialization { get; set; }
}
