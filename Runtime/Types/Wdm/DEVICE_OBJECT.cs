using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// C's <c>DEVICE_OBJECT</c> (the part drivers touch). <see cref="Flags"/> holds <c>DO_BUFFERED_IO</c> /
/// <c>DO_DIRECT_IO</c> (neither I/O when both are clear) and <c>DO_DEVICE_INITIALIZING</c>; once the driver
/// clears <c>DO_DEVICE_INITIALIZING</c> the buffering flags may no longer change (DRV044).
/// </summary>
public sealed class DEVICE_OBJECT
{
    private const uint BufferingFlags = Wdm.DO_BUFFERED_IO | Wdm.DO_DIRECT_IO;
    private readonly object gate = new();
    private uint flags = Wdm.DO_DEVICE_INITIALIZING;

    internal DEVICE_OBJECT(DriverRuntime runtime) => Runtime = runtime;

    internal DriverRuntime Runtime { get; }

    /// <summary>C's <c>DeviceObject-&gt;Flags</c>.</summary>
    public uint Flags
    {
        get { lock (gate) { return flags; } }
        set
        {
            uint old;
            lock (gate) { old = flags; }
            bool setUp = (old & Wdm.DO_DEVICE_INITIALIZING) == 0;
            if (setUp && ((old ^ value) & BufferingFlags) != 0)
            {
                Runtime.Verifier.Report(Rules.BufferingModeChanged, "DEVICE_OBJECT.Flags", "DEVICE_OBJECT",
                    $"DO_BUFFERED_IO/DO_DIRECT_IO changed from 0x{old & BufferingFlags:X} to 0x{value & BufferingFlags:X} " +
                    "after DO_DEVICE_INITIALIZING was cleared; filter drivers above copied the old mode");
            }
            lock (gate) { flags = value; }
        }
    }

    /// <summary>C's <c>DeviceExtension</c>: driver-defined per-device state.</summary>
    public object? DeviceExtension { get; set; }
}
