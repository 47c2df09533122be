using System;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>A KMDF driver hosted from its DriverEntry: the order of the framework's callbacks, device add and remove, and unload.</summary>
public class KmdfLifecycleTests
{
    [Fact]
    public void A_kmdf_driver_runs_from_DriverEntry_through_start_to_unload_in_the_frameworks_order()
    {
        var driver = new KmdfEchoDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);

        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(DriverState.Started, host.State);
        Assert.Equal(DriverModel.Kmdf, host.Model);
        Assert.Equal(new[] { "DriverEntry", "EvtDriverDeviceAdd", "EvtDevicePrepareHardware",
            "EvtDeviceD0Entry(WdfPowerDeviceD3Final)", "EvtDeviceSelfManagedIoInit" }, driver.Calls);

        var report = host.Unload();

        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(new[] { "EvtDeviceD0Exit(WdfPowerDeviceD3Final)", "EvtDeviceReleaseHardware",
            "EvtDeviceSelfManagedIoCleanup", "EvtDriverUnload" }, driver.Calls.GetRange(5, 4));
        Assert.Equal(0, host.Pool.OutstandingAllocations);
    }

    [Fact]
    public void The_device_has_its_context_interface_and_wdm_device_object_stacked_on_the_physical_device()
    {
        var driver = new KmdfEchoDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();

        Assert.Equal(driver.Device, host.Device);
        Assert.Equal(KmdfEchoDriver.InterfaceGuid, Assert.Single(host.DeviceInterfaces));
        host.Run(() =>
        {
            Assert.Equal(7u, KmdfEchoDriver.GetDeviceContext(driver.Device).PrivateDeviceData);
            var wdm = WdfDeviceWdmGetDeviceObject(driver.Device);
            Assert.Same(host.TopDevice, wdm);
            Assert.Same(host.PhysicalDeviceObject, WdfDeviceWdmGetAttachedDevice(driver.Device));
            Assert.Same(host.PhysicalDeviceObject, WdfDeviceWdmGetPhysicalDevice(driver.Device));
            Assert.Equal(2, wdm.StackSize);
            Assert.Equal(DO_BUFFERED_IO, wdm.Flags & (DO_BUFFERED_IO | DO_DEVICE_INITIALIZING));
            Assert.Equal(driver.Queue, WdfDeviceGetDefaultQueue(driver.Device));
            Assert.Equal(host.DriverObject, WdfDriverWdmGetDriverObject(WdfGetDriver()));
        });
    }

    [Fact]
    public void Writes_and_reads_reach_the_default_queue_and_use_the_queue_context()
    {
        using var host = new WholeDriverHost(new KmdfEchoDriver().DriverEntry);
        host.LoadAndStart();

        Assert.Equal((nuint)3, host.Write(new byte[] { 1, 2, 3 }).Information);
        var read = host.Read(8);

        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal((nuint)3, read.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 0, 0, 0 }, read.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Requests_without_a_queue_callback_fail_and_zero_length_reads_never_reach_the_driver()
    {
        var driver = new KmdfEchoDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();
        int presented = 0;
        driver.OnRead = (queue, request, length) => presented++;

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), null, 4).Status);
        Assert.Equal(STATUS_SUCCESS, host.Read(0).Status);
        Assert.Equal(0, presented);
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);
        Assert.Equal(STATUS_SUCCESS, host.Close().Status);
    }

    [Fact]
    public void DeviceInit_used_after_WdfDeviceCreate_is_DRV044()
    {
        var driver = new KmdfEchoDriver { TouchDeviceInitAfterCreate = true };
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.Load();

        var violation = Expect.Violation("DRV044", () => host.AddDevice());

        Assert.Equal("WdfDeviceInitSetIoType", violation.Ddi);
        Assert.StartsWith("WDFDEVICE_INIT#", violation.Handle);
    }

    [Fact]
    public void A_failing_device_add_deletes_the_device_and_leaves_the_driver_loaded()
    {
        var driver = new KmdfEchoDriver { DeviceAddStatus = STATUS_INSUFFICIENT_RESOURCES };
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.Load();

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, host.AddDevice());

        Assert.Equal(DriverState.Failed, host.State);
        Assert.Equal(default, host.Device);
        Assert.Null(host.TopDevice);
        Expect.Violation("DRV036", () => host.Run(() => WdfDeviceGetDefaultQueue(driver.Device)));
        var report = host.Unload();
        Assert.True(report.IsClean, report.ToString());
        Assert.Contains("EvtDriverUnload", driver.Calls);
    }

    [Fact]
    public void WdfDriverCreate_twice_fails_with_STATUS_INVALID_DEVICE_STATE()
    {
        NTSTATUS second = STATUS_SUCCESS;
        using var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            WDF_DRIVER_CONFIG_INIT(out var config, WDF_NO_EVENT_CALLBACK);
            config.DriverInitFlags = WdfDriverInitNonPnpDriver;
            var first = WdfDriverCreate(driverObject, registryPath, WDF_NO_OBJECT_ATTRIBUTES, config, out WDFDRIVER driver);
            second = WdfDriverCreate(driverObject, registryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
            return first;
        });

        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(STATUS_INVALID_DEVICE_STATE, second);
        Assert.Null(host.DriverObject.DriverExtension.AddDevice);
        Assert.Null(host.TopDevice);
        Assert.Throws<InvalidOperationException>(() => host.Read(1));
    }

    [Fact]
    public void A_failing_DriverEntry_is_not_unloaded_but_its_leaks_are_reported()
    {
        bool unloaded = false;
        using var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            driverObject.DriverUnload = d => unloaded = true;
            ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            return STATUS_UNSUCCESSFUL;
        });

        Assert.Equal(STATUS_UNSUCCESSFUL, host.Load());
        Assert.Equal(DriverState.Failed, host.State);
        Assert.Throws<InvalidOperationException>(() => host.AddDevice());
        Assert.Equal(new[] { "PoolLeak" }, host.Unload().Rules);
        Assert.False(unloaded);
    }

    [Fact]
    public void Lifecycle_steps_out_of_order_are_refused()
    {
        using var host = new WholeDriverHost(new KmdfEchoDriver().DriverEntry);

        Assert.Throws<InvalidOperationException>(() => host.Start());
        Assert.Throws<InvalidOperationException>(() => host.Read(1));
        host.Load();
        Assert.Throws<InvalidOperationException>(() => host.Load());
        host.AddDevice();
        Assert.Throws<InvalidOperationException>(() => host.Write(new byte[1]));
        host.Start();
        host.Remove();
        Assert.Equal(DriverState.Removed, host.State);
        Assert.Null(host.TopDevice);
        host.Unload();
        Assert.Equal(DriverState.Unloaded, host.State);
        Assert.Throws<InvalidOperationException>(() => host.Read(1));
    }
}
