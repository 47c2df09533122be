using System.Globalization;
using System.Text;

namespace DriverBuffers.Exercising.Generation;

/// <summary>What the application does in one generated request.</summary>
public enum RequestKind
{
    Read,
    Write,
    DeviceControl,

    /// <summary>An internal device control, as a driver above would send it (IRP_MJ_INTERNAL_DEVICE_CONTROL).</summary>
    InternalDeviceControl,
}

/// <summary>When the lower target completes what the driver sends it while handling the request.</summary>
public enum TargetTiming
{
    /// <summary>Inside the send.</summary>
    AtOnce,
    /// <summary>Later: the exerciser completes it after the driver returned (a pending request).</summary>
    Later,
    /// <summary>On another thread, concurrently with the driver.</summary>
    OnAnotherThread,
    /// <summary>The send itself fails.</summary>
    SendFails,
}

/// <summary>How the lower target completes what the driver sends it.</summary>
public enum TargetOutcome
{
    Success,
    Failure,
    Busy,
    TimedOut,
    Canceled,
}

/// <summary>
/// One generated request: what the application sends (kind, lengths, IOCTL code, data), how the lower
/// target answers what the driver sends on its behalf, and whether the application cancels it while it is pending.
/// </summary>
public sealed record GeneratedRequest(
    int Number,
    RequestKind Kind,
    int Length,
    uint IoControlCode,
    int InputLength,
    int OutputLength,
    byte Fill,
    TargetTiming Timing,
    TargetOutcome Outcome,
    bool CancelIfPending)
{
    /// <summary>The bytes the application writes or sends as IOCTL input: a recognisable pattern.</summary>
    public byte[] InputData(int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = unchecked((byte)(Fill + i));
        }
        return data;
    }

    /// <summary>A short description for reports: "#17 IOCTL 0x222004 in 0 out 1 (target: later, success)".</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append('#').Append(Number.ToString(CultureInfo.InvariantCulture)).Append(' ');
        text.Append(Kind switch
        {
            RequestKind.Read => $"read {Length}",
            RequestKind.Write => $"write {Length}",
            RequestKind.InternalDeviceControl => $"internal IOCTL 0x{IoControlCode:X} in {InputLength} out {OutputLength}",
            _ => $"IOCTL 0x{IoControlCode:X} in {InputLength} out {OutputLength}",
        });
        text.Append(" (target: ").Append(Timing.ToString()).Append(", ").Append(Outcome.ToString());
        if (CancelIfPending)
        {
            text.Append(", canceled by the application");
        }
        return text.Append(')').ToString();
    }
}
