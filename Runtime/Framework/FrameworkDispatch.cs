using DriverBuffers.IoManager;
using DriverBuffers.Pnp;
using DriverBuffers.Synchronization;

namespace DriverBuffers.Framework;

/// <summary>
/// What <c>WdfDriverCreate</c> installs in the WDM driver object, as KMDF does: one dispatch routine for every
/// major function (PnP IRPs drive the device's PnP/power callbacks, I/O IRPs become requests), an AddDevice
/// routine that hands a <c>WDFDEVICE_INIT</c> to <c>EvtDriverDeviceAdd</c>, and an unload routine that calls
/// <c>EvtDriverUnload</c>.
/// </summary>
internal static class FrameworkDispatch
{
    public static void Install(DRIVER_OBJECT driverObject, WdfDriverObject driver)
    {
        for (int i = 0; i < driverObject.MajorFunction.Length; i++)
        {
            driverObject.MajorFunction[i] = Dispatch;
        }
        if (!driver.NonPnp)
        {
            driverObject.DriverExtension.AddDevice = AddDevice;
        }
        driverObject.DriverUnload = Unload;
    }

    private static NTSTATUS Dispatch(DEVICE_OBJECT device, IRP irp)
    {
        var location = irp.LocationAt(irp.CurrentLocation)!;
        if (device.Framework is not { } framework)
        {
            return CompleteIrp(irp, Wdm.STATUS_INVALID_DEVICE_REQUEST);
        }
        switch (location.MajorFunction)
        {
            case Wdm.IRP_MJ_PNP:
                return CompleteIrp(irp, FrameworkPnp.Handle(framework, location.MinorFunction));
            case Wdm.IRP_MJ_POWER:
            case Wdm.IRP_MJ_SYSTEM_CONTROL:
                return CompleteIrp(irp, Wdm.STATUS_SUCCESS);
            default:
                framework.DispatchIrp(irp.Tracker);
                return irp.Tracker.IsCompleted ? irp.IoStatus.Status : Wdm.STATUS_PENDING;
        }
    }

    private static NTSTATUS CompleteIrp(IRP irp, NTSTATUS status)
    {
        irp.IoStatus.Status = status;
        IrpCompletion.Complete(irp, "the framework");
        return status;
    }

    private static NTSTATUS AddDevice(DRIVER_OBJECT driverObject, DEVICE_OBJECT physicalDevice)
    {
        var runtime = driverObject.Runtime;
        var driver = runtime.Driver;
        if (driver.EvtDriverDeviceAdd is not { } add)
        {
            return Wdm.STATUS_SUCCESS;
        }
        var init = new WDFDEVICE_INIT(runtime, physicalDevice);
        var status = ThreadIrql.RunCallback(runtime, KIRQL.PASSIVE_LEVEL, "EvtDriverDeviceAdd", () => add(new WDFDRIVER(driver), init));
        if (!Wdm.NT_SUCCESS(status) && init.CreatedDevice is { } created)
        {
            FrameworkPnp.Delete(created, "EvtDriverDeviceAdd failed");
        }
        return status;
    }

    private static void Unload(DRIVER_OBJECT driverObject)
    {
        var runtime = driverObject.Runtime;
        var driver = runtime.Driver;
        if (driver.EvtDriverUnload is { } unload)
        {
            ThreadIrql.RunCallback(runtime, KIRQL.PASSIVE_LEVEL, "EvtDriverUnload", () => unload(new WDFDRIVER(driver)));
        }
    }
}
