using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>A KMDF device leaving D0 and coming back: EvtIoStop with the suspend action, EvtIoResume, queues held while in D3.</summary>
public class PowerTransitionTests
{
    private sealed class PowerDriver
    {
        public readonly List<string> Calls = new();
        public readonly List<WDFREQUEST> Owned = new();
        public bool Requeue;

        public WholeDriverHost Start() => KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, config =>
        {
            config.EvtIoRead = (queue, request, length) => { Calls.Add("EvtIoRead"); Owned.Add(request); };
            config.EvtIoStop = (queue, request, flags) =>
            {
                Calls.Add($"EvtIoStop({flags})");
                WdfRequestStopAcknowledge(request, Requeue);
            };
            config.EvtIoResume = (queue, request) => { Calls.Add("EvtIoResume"); WdfRequestComplete(request, STATUS_SUCCESS); };
        }, out _), init =>
        {
            WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out var callbacks);
            callbacks.EvtDeviceD0Entry = (d, previous) => { Calls.Add($"D0Entry({previous})"); return STATUS_SUCCESS; };
            callbacks.EvtDeviceD0Exit = (d, target) => { Calls.Add($"D0Exit({target})"); return STATUS_SUCCESS; };
            callbacks.EvtDeviceSelfManagedIoSuspend = d => { Calls.Add("SelfManagedIoSuspend"); return STATUS_SUCCESS; };
            callbacks.EvtDeviceSelfManagedIoRestart = d => { Calls.Add("SelfManagedIoRestart"); return STATUS_SUCCESS; };
            WdfDeviceInitSetPnpPowerEventCallbacks(init, callbacks);
        });
    }

    [Fact]
    public void Suspend_stops_the_driver_owned_request_holds_new_ones_and_resume_gives_them_back()
    {
        var driver = new PowerDriver();
        using var host = driver.Start();
        driver.Calls.Clear();
        var owned = host.Read(1);

        Assert.Equal(STATUS_SUCCESS, host.Suspend());
        Assert.Equal(DriverState.Suspended, host.State);
        var held = host.Read(1);
        Assert.Equal(new[] { "EvtIoRead", "SelfManagedIoSuspend", $"EvtIoStop({WdfRequestStopActionSuspend})", "D0Exit(WdfPowerDeviceD3)" }, driver.Calls);

        Assert.Equal(STATUS_SUCCESS, host.Resume());

        Assert.Equal(new[] { "D0Entry(WdfPowerDeviceD3)", "EvtIoResume", "EvtIoRead", "SelfManagedIoRestart" }, driver.Calls.GetRange(4, 4));
        Assert.Equal(STATUS_SUCCESS, owned.Status);
        Assert.False(held.IsCompleted);
        host.Run(() => WdfRequestComplete(driver.Owned[1], STATUS_SUCCESS));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_request_acknowledged_with_requeue_is_presented_again_after_resume()
    {
        var driver = new PowerDriver { Requeue = true };
        using var host = driver.Start();
        var read = host.Read(1);

        host.Suspend();
        host.Resume();

        Assert.Equal(2, driver.Owned.Count);
        Assert.Equal(driver.Owned[0], driver.Owned[1]);
        host.Run(() => WdfRequestComplete(driver.Owned[1], STATUS_SUCCESS));
        Assert.Equal(STATUS_SUCCESS, read.Status);
    }

    [Fact]
    public void A_wdm_driver_cannot_be_suspended_in_the_simulation()
    {
        using var host = new WholeDriverHost(new WdmFilterDriver().DriverEntry);
        host.LoadAndStart();

        Assert.Equal(STATUS_NOT_SUPPORTED, host.Suspend());
        Assert.Equal(STATUS_SUCCESS, host.Remove());
    }
}
