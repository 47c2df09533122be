namespace DriverBuffers;

/// <summary>
/// C's <c>WDF_IO_QUEUE_CONFIG</c>; initialise with <see cref="Wdf.WDF_IO_QUEUE_CONFIG_INIT"/> or
/// <see cref="Wdf.WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE"/>, set the callbacks, pass to <see cref="Wdf.WdfIoQueueCreate(WDFDEVICE, WDF_IO_QUEUE_CONFIG, WDF_OBJECT_ATTRIBUTES?, out WDFQUEUE)"/>.
/// </summary>
public sealed class WDF_IO_QUEUE_CONFIG
{
    /// <summary>C's <c>Size</c>.</summary>
    public uint Size { get; set; }

    /// <summary>Sequential, parallel or manual.</summary>
    public WDF_IO_QUEUE_DISPATCH_TYPE DispatchType { get; set; }

    /// <summary>Whether the queue stops while the device is out of D0 (default: yes, except in a filter).</summary>
    public WDF_TRI_STATE PowerManaged { get; set; }

    /// <summary>Whether zero-length reads and writes reach the driver (default: no, the framework completes them with success).</summary>
    public bool AllowZeroLengthRequests { get; set; }

    /// <summary>Whether this is the device's default queue (requests of types not configured elsewhere).</summary>
    public bool DefaultQueue { get; set; }

    /// <summary>Any request type without its own callback.</summary>
    public EVT_WDF_IO_QUEUE_IO_DEFAULT? EvtIoDefault { get; set; }

    /// <summary>Reads.</summary>
    public EVT_WDF_IO_QUEUE_IO_READ? EvtIoRead { get; set; }

    /// <summary>Writes.</summary>
    public EVT_WDF_IO_QUEUE_IO_WRITE? EvtIoWrite { get; set; }

    /// <summary>Device-control requests (IOCTLs).</summary>
    public EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL? EvtIoDeviceControl { get; set; }

    /// <summary>Internal device-control requests (from other drivers).</summary>
    public EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL? EvtIoInternalDeviceControl { get; set; }

    /// <summary>Each driver-owned request when a power-managed queue stops.</summary>
    public EVT_WDF_IO_QUEUE_IO_STOP? EvtIoStop { get; set; }

    /// <summary>Each acknowledged request when the queue restarts.</summary>
    public EVT_WDF_IO_QUEUE_IO_RESUME? EvtIoResume { get; set; }

    /// <summary>A request canceled while waiting in the queue (the driver completes it); without it the framework completes it with STATUS_CANCELLED.</summary>
    public EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE? EvtIoCanceledOnQueue { get; set; }

    /// <summary>C's union <c>Settings</c>.</summary>
    public QueueSettings Settings { get; } = new();

    /// <summary>C's <c>Settings</c> union.</summary>
    public sealed class QueueSettings
    {
        /// <summary>Settings of a parallel queue.</summary>
        public ParallelSettings Parallel { get; } = new();
    }

    /// <summary>C's <c>Settings.Parallel</c>.</summary>
    public sealed class ParallelSettings
    {
        /// <summary>How many requests the driver may own at once (default: unlimited, <c>(ULONG)-1</c>).</summary>
        public uint NumberOfPresentedRequests { get; set; } = uint.MaxValue;
    }
}
