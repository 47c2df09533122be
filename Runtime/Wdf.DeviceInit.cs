using DriverBuffers.Framework;
using DriverBuffers.Verifier;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// Configuring a device before it is created: the <c>WdfDeviceInit*</c> and <c>WdfFdoInit*</c> DDIs on the
/// <c>WDFDEVICE_INIT</c> given to <c>EvtDriverDeviceAdd</c>. Every one of them after <c>WdfDeviceCreate</c> consumed
/// it is DRV044 (and changes nothing).
/// </summary>
public static partial class Wdf
{
    /// <summary>Initialises a set of PnP and power callbacks, all empty (C's <c>WDF_PNPPOWER_EVENT_CALLBACKS_INIT</c>).</summary>
    public static void WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out WDF_PNPPOWER_EVENT_CALLBACKS Callbacks) =>
        Callbacks = new WDF_PNPPOWER_EVENT_CALLBACKS { Size = 120 };

    /// <summary>How the device's reads and writes carry their buffers (default <c>WdfDeviceIoBuffered</c>).</summary>
    public static void WdfDeviceInitSetIoType(WDFDEVICE_INIT DeviceInit, WDF_DEVICE_IO_TYPE IoType)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetIoType)))
        {
            DeviceInit.IoType = IoType;
        }
    }

    /// <summary>
    /// A callback that sees every request in the requesting thread's context before it is queued (the only place a
    /// neither-I/O buffer may be probed and locked); it hands the request on with <c>WdfDeviceEnqueueRequest</c>.
    /// </summary>
    public static void WdfDeviceInitSetIoInCallerContextCallback(WDFDEVICE_INIT DeviceInit, EVT_WDF_IO_IN_CALLER_CONTEXT? EvtIoInCallerContext)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetIoInCallerContextCallback)))
        {
            DeviceInit.IoInCallerContext = EvtIoInCallerContext;
        }
    }

    /// <summary>Makes the device a filter: request types it has no queue for pass to the lower driver, and queues are not power-managed by default.</summary>
    public static void WdfFdoInitSetFilter(WDFDEVICE_INIT DeviceInit)
    {
        if (UseInit(DeviceInit, nameof(WdfFdoInitSetFilter)))
        {
            DeviceInit.IsFilter = true;
        }
    }

    /// <summary>Registers the device's PnP and power callbacks (a copy is kept, as in C).</summary>
    public static void WdfDeviceInitSetPnpPowerEventCallbacks(WDFDEVICE_INIT DeviceInit, WDF_PNPPOWER_EVENT_CALLBACKS PnpPowerEventCallbacks)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetPnpPowerEventCallbacks))
            && RequiredParameter.Present(PnpPowerEventCallbacks, nameof(WdfDeviceInitSetPnpPowerEventCallbacks), nameof(PnpPowerEventCallbacks)))
        {
            DeviceInit.PnpPowerCallbacks = PnpPowerEventCallbacks.Copy();
        }
    }

    /// <summary>The attributes (typically a context type) every request the device receives gets.</summary>
    public static void WdfDeviceInitSetRequestAttributes(WDFDEVICE_INIT DeviceInit, WDF_OBJECT_ATTRIBUTES RequestAttributes)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetRequestAttributes))
            && RequiredParameter.Present(RequestAttributes, nameof(WdfDeviceInitSetRequestAttributes), nameof(RequestAttributes)))
        {
            DeviceInit.RequestAttributes = RequestAttributes.Copy();
        }
    }

    /// <summary>The device type (<c>FILE_DEVICE_*</c>).</summary>
    public static void WdfDeviceInitSetDeviceType(WDFDEVICE_INIT DeviceInit, uint DeviceType)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetDeviceType)))
        {
            DeviceInit.DeviceType = DeviceType;
        }
    }

    /// <summary>The device characteristics (<c>FILE_DEVICE_SECURE_OPEN</c>, ...), replacing or or-ing in.</summary>
    public static void WdfDeviceInitSetCharacteristics(WDFDEVICE_INIT DeviceInit, uint DeviceCharacteristics, bool OrInValues)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetCharacteristics)))
        {
            DeviceInit.Characteristics = OrInValues ? DeviceInit.Characteristics | DeviceCharacteristics : DeviceCharacteristics;
        }
    }

    /// <summary>Whether only one handle may be open to the device.</summary>
    public static void WdfDeviceInitSetExclusive(WDFDEVICE_INIT DeviceInit, bool IsExclusive)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetExclusive)))
        {
            DeviceInit.Exclusive = IsExclusive;
        }
    }

    /// <summary>The device's power-up path may touch pageable code and data (the default).</summary>
    public static void WdfDeviceInitSetPowerPageable(WDFDEVICE_INIT DeviceInit)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetPowerPageable)))
        {
            DeviceInit.PowerPageable = true;
        }
    }

    /// <summary>The device's power-up path touches no pageable code or data.</summary>
    public static void WdfDeviceInitSetPowerNotPageable(WDFDEVICE_INIT DeviceInit)
    {
        if (UseInit(DeviceInit, nameof(WdfDeviceInitSetPowerNotPageable)))
        {
            DeviceInit.PowerPageable = false;
        }
    }

    /// <summary>Names the device (e.g. <c>\Device\Echo</c>); NULL removes the name.</summary>
    public static NTSTATUS WdfDeviceInitAssignName(WDFDEVICE_INIT DeviceInit, UNICODE_STRING? DeviceName)
    {
        if (!UseInit(DeviceInit, nameof(WdfDeviceInitAssignName)))
        {
            return STATUS_INVALID_DEVICE_STATE;
        }
        DeviceInit.DeviceName = DeviceName?.ToString();
        return STATUS_SUCCESS;
    }

    /// <summary>A <c>WDFDEVICE_INIT</c> may be used: present, and not consumed by <c>WdfDeviceCreate</c> (DRV044).</summary>
    private static bool UseInit(WDFDEVICE_INIT? init, string ddi)
    {
        if (!RequiredParameter.Present(init, ddi, "DeviceInit"))
        {
            return false;
        }
        if (init!.CreatedDevice is { } device)
        {
            init.Runtime.Verifier.Report(Rules.DeviceInitUsedAfterCreate, ddi, init.Name,
                $"WdfDeviceCreate consumed the WDFDEVICE_INIT when it created {device.HandleName}; configure the device before WdfDeviceCreate");
            return false;
        }
        return true;
    }
}
