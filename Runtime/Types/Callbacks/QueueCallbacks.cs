namespace DriverBuffers;

/// <summary>A queue's callback for any request type without its own callback (C's <c>EVT_WDF_IO_QUEUE_IO_DEFAULT</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_DEFAULT(WDFQUEUE Queue, WDFREQUEST Request);

/// <summary>A queue's internal device-control callback (C's <c>EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL(
    WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode);

/// <summary>
/// Called for each request the driver owns when its power-managed queue stops (device leaving D0 or being
/// removed); <paramref name="ActionFlags"/> holds <c>WdfRequestStopActionSuspend</c> or <c>…Purge</c>, plus
/// <c>WdfRequestStopRequestCancelable</c>. The driver completes the request or calls <c>WdfRequestStopAcknowledge</c>
/// (C's <c>EVT_WDF_IO_QUEUE_IO_STOP</c>).
/// </summary>
public delegate void EVT_WDF_IO_QUEUE_IO_STOP(WDFQUEUE Queue, WDFREQUEST Request, uint ActionFlags);

/// <summary>Called for an acknowledged (not requeued) request when its queue restarts (C's <c>EVT_WDF_IO_QUEUE_IO_RESUME</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_RESUME(WDFQUEUE Queue, WDFREQUEST Request);

/// <summary>Called when a request is canceled while it waits in the queue; the driver must complete it (C's <c>EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE(WDFQUEUE Queue, WDFREQUEST Request);

/// <summary>Called when a queue finished stopping, purging or draining (C's <c>EVT_WDF_IO_QUEUE_STATE</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_STATE(WDFQUEUE Queue, object? Context);

/// <summary>
/// Called when a request the driver marked cancelable is canceled (C's <c>EVT_WDF_REQUEST_CANCEL</c>). The
/// routine must complete the request (DRV005).
/// </summary>
public delegate void EVT_WDF_REQUEST_CANCEL(WDFREQUEST Request);
