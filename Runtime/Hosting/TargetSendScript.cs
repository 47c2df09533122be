using System;

namespace DriverBuffers.Hosting;

/// <summary>
/// How a simulated I/O target treats one request sent to it: when it completes it (<see cref="Mode"/>), how
/// (<see cref="Responder"/>), and with what status a send fails in <see cref="TargetCompletionMode.FailSend"/> mode.
/// What <see cref="SimulatedIoTarget.ScriptEachSend"/> returns for a send.
/// </summary>
/// <param name="Mode">When the target completes the request.</param>
/// <param name="Responder">The status, information and data it completes the request with.</param>
public sealed record TargetSendScript(TargetCompletionMode Mode, Func<TargetIoRequest, TargetIoResponse> Responder)
{
    /// <summary>The status of a failed send (<see cref="TargetCompletionMode.FailSend"/>).</summary>
    public NTSTATUS SendFailureStatus { get; init; } = Wdm.STATUS_INVALID_DEVICE_STATE;
}
