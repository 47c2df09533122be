namespace DriverBuffers.Requests;

/// <summary>Where a queue request is with respect to its queue.</summary>
internal enum QueuePosition
{
    /// <summary>Not in a queue (not delivered yet, completed, or a driver-created request).</summary>
    None,
    /// <summary>Waiting in the queue to be presented or retrieved; canceling it completes it with STATUS_CANCELLED.</summary>
    Waiting,
    /// <summary>Presented to (or retrieved by) the driver, which must complete, forward or requeue it.</summary>
    DriverOwned,
}
