namespace DriverBuffers.Requests;

/// <summary>Where a request is in its trips to an I/O target.</summary>
internal enum SendState
{
    /// <summary>Not formatted since it was created or reused.</summary>
    Idle,
    /// <summary>Formatted for a target, not yet sent.</summary>
    Formatted,
    /// <summary>Sent; the target has not completed it yet.</summary>
    Pending,
    /// <summary>The target completed it (or the send failed): it must be reused before it is formatted or sent again (DRV011).</summary>
    Returned,
}
