namespace DriverBuffers;

/// <summary>C's <c>WDF_IO_QUEUE_DISPATCH_TYPE</c>: how a queue presents requests to the driver.</summary>
public enum WDF_IO_QUEUE_DISPATCH_TYPE
{
    /// <summary>Not a dispatch type.</summary>
    WdfIoQueueDispatchInvalid = 0,
    /// <summary>One request at a time: the next is presented when the driver completes (or forwards) the current one.</summary>
    WdfIoQueueDispatchSequential,
    /// <summary>As many at a time as arrive (up to <c>Settings.Parallel.NumberOfPresentedRequests</c>).</summary>
    WdfIoQueueDispatchParallel,
    /// <summary>Never presented: the driver takes requests with <c>WdfIoQueueRetrieveNextRequest</c>.</summary>
    WdfIoQueueDispatchManual,
    /// <summary>Sentinel.</summary>
    WdfIoQueueDispatchMax,
}
