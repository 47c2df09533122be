using DriverBuffers.Framework;
using DriverBuffers.Targets;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>
/// Remote I/O targets: created closed, opened by the name of a device the host provides
/// (<c>WholeDriverHost.AddNamedTarget</c>), closed again.
/// </summary>
public static partial class Wdf
{
    /// <summary>Creates an I/O target that sends nowhere until <see cref="WdfIoTargetOpen"/> (parent: the attributes' parent, else the device).</summary>
    public static NTSTATUS WdfIoTargetCreate(WDFDEVICE Device, WDF_OBJECT_ATTRIBUTES? IoTargetAttributes, out WDFIOTARGET IoTarget)
    {
        IoTarget = default;
        var device = HandleValidation.Use(Device.Object, nameof(WdfIoTargetCreate), Device.ToString());
        if (device is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        RuntimeFor(IoTargetAttributes, nameof(WdfIoTargetCreate), out bool parentValid);
        if (!parentValid)
        {
            return STATUS_INVALID_PARAMETER;
        }
        var target = new WdfIoTargetObject(device.Runtime, device);
        target.ApplyAttributes(IoTargetAttributes, device);
        IoTarget = new WDFIOTARGET(target);
        return STATUS_SUCCESS;
    }

    /// <summary>Initialises open parameters that name the device to open (C's <c>WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME</c>).</summary>
    public static void WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out WDF_IO_TARGET_OPEN_PARAMS Params, UNICODE_STRING TargetDeviceName, uint DesiredAccess) =>
        Params = new WDF_IO_TARGET_OPEN_PARAMS
        {
            Size = 64,
            Type = WdfIoTargetOpenByName,
            TargetDeviceName = TargetDeviceName,
            DesiredAccess = DesiredAccess,
        };

    /// <summary>
    /// Opens the target on the named device. STATUS_OBJECT_NAME_NOT_FOUND for a name the host does not provide,
    /// STATUS_INVALID_DEVICE_STATE if the target is already open, STATUS_NOT_SUPPORTED for the other open types
    /// (an existing WDM device object, the local target).
    /// </summary>
    public static NTSTATUS WdfIoTargetOpen(WDFIOTARGET IoTarget, WDF_IO_TARGET_OPEN_PARAMS OpenParams)
    {
        const string ddi = nameof(WdfIoTargetOpen);
        var target = HandleValidation.Use(IoTarget.Object, ddi, IoTarget.ToString());
        if (target is null || !RequiredParameter.Present(OpenParams, ddi, nameof(OpenParams)))
        {
            return target is null ? STATUS_INVALID_HANDLE : STATUS_INVALID_PARAMETER;
        }
        if (OpenParams.Type != WdfIoTargetOpenByName)
        {
            return STATUS_NOT_SUPPORTED;
        }
        if (OpenParams.TargetDeviceName is not { } name)
        {
            return STATUS_INVALID_PARAMETER;
        }
        if (target.Simulation is not null)
        {
            return STATUS_INVALID_DEVICE_STATE;
        }
        var named = target.Runtime.FindNamedTarget(name.ToString());
        if (named is null)
        {
            return STATUS_OBJECT_NAME_NOT_FOUND;
        }
        target.Open(named);
        return STATUS_SUCCESS;
    }

    /// <summary>Closes the target: requests still pending there are canceled, and sends fail until it is opened again.</summary>
    public static void WdfIoTargetClose(WDFIOTARGET IoTarget) =>
        HandleValidation.Use(IoTarget.Object, nameof(WdfIoTargetClose), IoTarget.ToString())?.Close();
}
