namespace DriverBuffers.Requests;

/// <summary>Who made a request, which decides how it must end.</summary>
internal enum RequestOrigin
{
    /// <summary>Delivered by a queue for an application's I/O: the driver must complete it.</summary>
    Queue,
    /// <summary><c>WdfRequestCreate</c>: the driver sends, reuses and finally deletes it (never completes it, DRV013).</summary>
    DriverCreated,
}
