using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>
/// C's opaque <c>PWDFDEVICE_INIT</c>: what a device will be, configured by the <c>WdfDeviceInit*</c> and
/// <c>WdfFdoInit*</c> DDIs in <c>EvtDriverDeviceAdd</c> and consumed by <c>WdfDeviceCreate(ref DeviceInit, ...)</c>.
/// Using it after <c>WdfDeviceCreate</c> is DRV044 (KMDF frees it; the runtime keeps the object so the misuse is
/// reported by name instead of crashing).
/// </summary>
public sealed class WDFDEVICE_INIT
{
    internal WDFDEVICE_INIT(DriverRuntime runtime, DEVICE_OBJECT? physicalDevice)
    {
        Runtime = runtime;
        PhysicalDevice = physicalDevice;
        Name = $"WDFDEVICE_INIT#{ObjectIds.Next()}";
    }

    internal DriverRuntime Runtime { get; }

    internal string Name { get; }

    /// <summary>The device below (the host's physical device object), null for a control device.</summary>
    internal DEVICE_OBJECT? PhysicalDevice { get; }

    internal WDF_DEVICE_IO_TYPE IoType { get; set; } = WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered;

    internal EVT_WDF_IO_IN_CALLER_CONTEXT? IoInCallerContext { get; set; }

    internal bool IsFilter { get; set; }

    internal WDF_PNPPOWER_EVENT_CALLBACKS? PnpPowerCallbacks { get; set; }

    internal WDF_OBJECT_ATTRIBUTES? RequestAttributes { get; set; }

    internal uint DeviceType { get; set; } = Wdm.FILE_DEVICE_UNKNOWN;

    internal uint Characteristics { get; set; }

    internal bool Exclusive { get; set; }

    internal bool PowerPageable { get; set; } = true;

    internal string? DeviceName { get; set; }

    /// <summary>Set when <c>WdfDeviceCreate</c> consumed it: the device it became.</summary>
    internal Queues.WdfDeviceObject? CreatedDevice { get; set; }

    /// <summary>"WDFDEVICE_INIT#n".</summary>
    public override string ToString() => Name;
}
