namespace DriverBuffers.Hosting;

/// <summary>When a simulated I/O target completes the requests sent to it.</summary>
public enum TargetCompletionMode
{
    /// <summary>At once, inside <c>WdfRequestSend</c> (the completion routine runs before the send returns).</summary>
    Immediately,
    /// <summary>
    /// When the test calls <see cref="SimulatedIoTarget.CompleteNext"/> or <see cref="SimulatedIoTarget.CompleteAll"/>.
    /// A synchronous send (which blocks its thread) times out with a timeout option (<c>STATUS_IO_TIMEOUT</c>) and
    /// is completed by the <see cref="SimulatedIoTarget.Responder"/> without one. An asynchronous send with a timeout
    /// expires when the test calls <see cref="SimulatedIoTarget.ExpireTimeouts"/>.
    /// </summary>
    WhenPumped,
    /// <summary>On a thread-pool thread, concurrently with the driver (synchronous sends wait for it).</summary>
    OnAnotherThread,
    /// <summary>The send itself fails: <c>WdfRequestSend</c> returns FALSE with <see cref="SimulatedIoTarget.SendFailureStatus"/>.</summary>
    FailSend,
}
