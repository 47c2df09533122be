using System;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.TestSupport;

/// <summary>A minimal KMDF driver whose device-add the test writes: hosted from DriverEntry and started.</summary>
internal static class KmdfHarness
{
    /// <summary>
    /// Loads and starts a driver whose EvtDriverDeviceAdd runs <paramref name="configure"/> on the
    /// <c>WDFDEVICE_INIT</c>, creates the device, then runs <paramref name="createQueues"/>.
    /// </summary>
    public static WholeDriverHost Start(Func<WDFDEVICE, NTSTATUS> createQueues, Action<WDFDEVICE_INIT>? configure = null,
        bool verifierEnabled = true, Action<WholeDriverHost>? beforeLoad = null)
    {
        var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            WDF_DRIVER_CONFIG_INIT(out var config, (driver, init) =>
            {
                configure?.Invoke(init);
                var status = WdfDeviceCreate(ref init, WDF_NO_OBJECT_ATTRIBUTES, out var device);
                return NT_SUCCESS(status) ? createQueues(device) : status;
            });
            return WdfDriverCreate(driverObject, registryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        }, verifierEnabled);
        beforeLoad?.Invoke(host);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    /// <summary>Creates the default queue of <paramref name="device"/> with <paramref name="dispatchType"/> and <paramref name="setUp"/>'s callbacks.</summary>
    public static NTSTATUS DefaultQueue(WDFDEVICE device, WDF_IO_QUEUE_DISPATCH_TYPE dispatchType, Action<WDF_IO_QUEUE_CONFIG> setUp, out WDFQUEUE queue)
    {
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var config, dispatchType);
        setUp(config);
        return WdfIoQueueCreate(device, config, WDF_NO_OBJECT_ATTRIBUTES, out queue);
    }
}
