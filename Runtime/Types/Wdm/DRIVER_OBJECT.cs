using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>
/// C's <c>DRIVER_OBJECT</c> (the part drivers touch), given to <c>DriverEntry</c>. A WDM driver fills
/// <see cref="MajorFunction"/>, <see cref="DriverUnload"/> and <c>DriverExtension.AddDevice</c>; a KMDF driver
/// passes it to <c>WdfDriverCreate</c>, which installs the framework's dispatch routines.
/// </summary>
public sealed class DRIVER_OBJECT
{
    private readonly List<DEVICE_OBJECT> devices = new();

    internal DRIVER_OBJECT(DriverRuntime runtime, string name)
    {
        Runtime = runtime;
        DriverName = Wdm.ConstantString(runtime, name);
    }

    internal DriverRuntime Runtime { get; }

    /// <summary>C's <c>DriverObject-&gt;MajorFunction</c>, indexed by <c>IRP_MJ_*</c>. An empty entry fails the IRP with STATUS_INVALID_DEVICE_REQUEST.</summary>
    public DRIVER_DISPATCH?[] MajorFunction { get; } = new DRIVER_DISPATCH?[Wdm.IRP_MJ_MAXIMUM_FUNCTION + 1];

    /// <summary>C's <c>DriverObject-&gt;DriverUnload</c>: called at unload; without it the driver cannot be unloaded.</summary>
    public DRIVER_UNLOAD? DriverUnload { get; set; }

    /// <summary>C's <c>DriverObject-&gt;DriverExtension</c> (its <c>AddDevice</c>).</summary>
    public DRIVER_EXTENSION DriverExtension { get; } = new();

    /// <summary>C's <c>DriverObject-&gt;DeviceObject</c>: the most recently created device; the others follow through <c>NextDevice</c>.</summary>
    public DEVICE_OBJECT? DeviceObject
    {
        get { lock (devices) { return devices.Count == 0 ? null : devices[^1]; } }
    }

    /// <summary>C's <c>DriverObject-&gt;DriverName</c>.</summary>
    public UNICODE_STRING DriverName { get; }

    /// <summary>The driver's devices that are not deleted, oldest first.</summary>
    internal IReadOnlyList<DEVICE_OBJECT> Devices
    {
        get { lock (devices) { return devices.ToArray(); } }
    }

    internal void AddDevice(DEVICE_OBJECT device)
    {
        lock (devices)
        {
            device.NextDevice = devices.Count == 0 ? null : devices[^1];
            devices.Add(device);
        }
    }

    internal void RemoveDevice(DEVICE_OBJECT device)
    {
        lock (devices)
        {
            int index = devices.IndexOf(device);
            if (index < 0)
            {
                return;
            }
            if (index + 1 < devices.Count)
            {
                devices[index + 1].NextDevice = device.NextDevice;
            }
            devices.RemoveAt(index);
        }
    }

    /// <summary>"DRIVER_OBJECT(name)".</summary>
    public override string ToString() => $"DRIVER_OBJECT({DriverName})";
}

/// <summary>C's <c>DRIVER_EXTENSION</c>.</summary>
public sealed class DRIVER_EXTENSION
{
    /// <summary>C's <c>AddDevice</c>: called for each device the PnP manager finds.</summary>
    public DRIVER_ADD_DEVICE? AddDevice { get; set; }
}
