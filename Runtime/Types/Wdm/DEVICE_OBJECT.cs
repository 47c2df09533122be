using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// C's <c>DEVICE_OBJECT</c> (the part drivers touch). <see cref="Flags"/> holds <c>DO_BUFFERED_IO</c> /
/// <c>DO_DIRECT_IO</c> (neither I/O when both are clear) and <c>DO_DEVICE_INITIALIZING</c>; once the driver
/// clears <c>DO_DEVICE_INITIALIZING</c> the buffering flags may no longer change (DRV044). Created by
/// <c>IoCreateDevice</c> (or the framework, for a KMDF device), stacked with <c>IoAttachDeviceToDeviceStack</c>,
/// deleted with <c>IoDeleteDevice</c> (later use is DRV036).
/// </summary>
public sealed class DEVICE_OBJECT
{
    private const uint BufferingFlags = Wdm.DO_BUFFERED_IO | Wdm.DO_DIRECT_IO;
    private readonly object gate = new();
    private uint flags = Wdm.DO_DEVICE_INITIALIZING;
    private EndReason? deleted;

    internal DEVICE_OBJECT(DriverRuntime runtime, DRIVER_OBJECT? driverObject = null, string? name = null,
        uint deviceType = Wdm.FILE_DEVICE_UNKNOWN, uint characteristics = 0)
    {
        Runtime = runtime;
        DriverObject = driverObject;
        Name = name;
        DeviceType = deviceType;
        Characteristics = characteristics;
        HandleName = $"DEVICE_OBJECT#{ObjectIds.Next()}";
    }

    internal DriverRuntime Runtime { get; }

    /// <summary>"DEVICE_OBJECT#n", for messages.</summary>
    internal string HandleName { get; }

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
                Runtime.Verifier.Report(Rules.BufferingModeChanged, "DEVICE_OBJECT.Flags", HandleName,
                    $"DO_BUFFERED_IO/DO_DIRECT_IO changed from 0x{old & BufferingFlags:X} to 0x{value & BufferingFlags:X} " +
                    "after DO_DEVICE_INITIALIZING was cleared; filter drivers above copied the old mode");
            }
            lock (gate) { flags = value; }
        }
    }

    /// <summary>C's <c>DeviceExtension</c>: driver-defined per-device state (the size given to <c>IoCreateDevice</c> is accepted as in C).</summary>
    public object? DeviceExtension { get; set; }

    /// <summary>C's <c>DriverObject</c>: the driver whose dispatch routines receive this device's IRPs.</summary>
    public DRIVER_OBJECT? DriverObject { get; }

    /// <summary>C's <c>NextDevice</c>: the next device of the same driver.</summary>
    public DEVICE_OBJECT? NextDevice { get; internal set; }

    /// <summary>C's <c>AttachedDevice</c>: the device attached above this one.</summary>
    public DEVICE_OBJECT? AttachedDevice { get; internal set; }

    /// <summary>C's <c>StackSize</c>: how many stack locations an IRP sent to this device needs.</summary>
    public sbyte StackSize { get; set; } = 1;

    /// <summary>C's <c>DeviceType</c> (<c>FILE_DEVICE_*</c>).</summary>
    public uint DeviceType { get; }

    /// <summary>C's <c>Characteristics</c> (<c>FILE_DEVICE_SECURE_OPEN</c>, ...).</summary>
    public uint Characteristics { get; set; }

    /// <summary>C's <c>AlignmentRequirement</c>.</summary>
    public uint AlignmentRequirement { get; set; }

    /// <summary>The NT name given to <c>IoCreateDevice</c>, if any.</summary>
    internal string? Name { get; }

    /// <summary>The device this one is attached to (the next lower device), if any.</summary>
    internal DEVICE_OBJECT? LowerDevice { get; set; }

    /// <summary>The KMDF device behind this device object, for a device the framework created.</summary>
    internal Queues.WdfDeviceObject? Framework { get; set; }

    /// <summary>How the host's own devices (a physical device object) handle IRPs, instead of a driver's dispatch table.</summary>
    internal System.Func<DEVICE_OBJECT, IRP, NTSTATUS>? HostDispatch { get; set; }

    /// <summary>For the host's physical device object: the simulated lower driver a framework device above it sends to.</summary>
    internal Hosting.SimulatedIoTarget? LowerTargetSimulation { get; set; }

    /// <summary>Why the device may no longer be used (deleted), or null.</summary>
    internal EndReason? Deleted
    {
        get { lock (gate) { return deleted; } }
    }

    /// <summary>Marks the device deleted; false if it already was.</summary>
    internal bool MarkDeleted(EndReason reason)
    {
        lock (gate)
        {
            if (deleted is not null)
            {
                return false;
            }
            deleted = reason;
            return true;
        }
    }

    /// <summary>"DEVICE_OBJECT#n".</summary>
    public override string ToString() => HandleName;

    /// <summary>C's <c>NULL</c> for an optional device; only NULL converts.</summary>
    public static implicit operator DEVICE_OBJECT?(PVOID pointer) => NullOnly.Convert<DEVICE_OBJECT?>(pointer, null);
}
