using DriverBuffers.Framework;

namespace DriverBuffers.Deferred;

/// <summary>
/// The framework DPC behind a <c>WDFDPC</c>: <c>WdfDpcEnqueue</c> queues it (once until it runs) and it runs at
/// DISPATCH_LEVEL when simulated time next moves.
/// </summary>
internal sealed class WdfDpcObject : QueuedWorkObject
{
    public WdfDpcObject(DriverRuntime runtime, WDF_DPC_CONFIG config)
        : base(runtime, "WDFDPC", KIRQL.DISPATCH_LEVEL, "EvtDpcFunc") => Callback = config.EvtDpcFunc;

    public EVT_WDF_DPC? Callback { get; }

    protected override void QueueOnClock() => Runtime.Clock.QueueDpc(this);

    protected override void InvokeCallback() => Callback?.Invoke(new WDFDPC(this));
}
