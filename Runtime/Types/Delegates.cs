namespace DriverBuffers;

/// <summary>A queue's read callback (C's <c>EVT_WDF_IO_QUEUE_IO_READ</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_READ(WDFQUEUE Queue, WDFREQUEST Request, nuint Length);

/// <summary>A queue's write callback (C's <c>EVT_WDF_IO_QUEUE_IO_WRITE</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_WRITE(WDFQUEUE Queue, WDFREQUEST Request, nuint Length);

/// <summary>A queue's device-control callback (C's <c>EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL</c>).</summary>
public delegate void EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL(
    WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode);

/// <summary>
/// Called in the requesting thread's context before the request is queued (C's
/// <c>EVT_WDF_IO_IN_CALLER_CONTEXT</c>); the only place neither-I/O user buffers may be probed and locked.
/// </summary>
public delegate void EVT_WDF_IO_IN_CALLER_CONTEXT(WDFDEVICE Device, WDFREQUEST Request);

/// <summary>Called when an I/O target completes a sent request (C's <c>EVT_WDF_REQUEST_COMPLETION_ROUTINE</c>).</summary>
public delegate void EVT_WDF_REQUEST_COMPLETION_ROUTINE(
    WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context);

/// <summary>A WDM dispatch routine (C's <c>DRIVER_DISPATCH</c>).</summary>
public delegate NTSTATUS DRIVER_DISPATCH(DEVICE_OBJECT DeviceObject, IRP Irp);
