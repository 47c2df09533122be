namespace DriverBuffers.Hosting;

/// <summary>
/// How a simulated I/O target completes a request: the status, the information, and the data it writes
/// into the request's output buffer (never more than the buffer holds).
/// </summary>
/// <param name="Status">The completion status.</param>
/// <param name="Information">The completion information; null means "the number of data bytes written" (reads) or the input length (writes).</param>
/// <param name="Data">Data for the output buffer (reads and IOCTLs).</param>
public sealed record TargetIoResponse(NTSTATUS Status, nuint? Information = null, byte[]? Data = null);
