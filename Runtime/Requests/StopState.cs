namespace DriverBuffers.Requests;

/// <summary>Where a driver-owned request is in its queue's stop (power-down or removal) handshake.</summary>
internal enum StopState
{
    /// <summary>Not being stopped.</summary>
    None,
    /// <summary><c>EvtIoStop</c> was called; the driver must complete it or call <c>WdfRequestStopAcknowledge</c>.</summary>
    StopRequested,
    /// <summary>Acknowledged without requeue: the driver keeps it; <c>EvtIoResume</c> is called when the queue restarts.</summary>
    Acknowledged,
}
