using System;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>A WDM driver hosted from its DriverEntry: AddDevice, PnP IRPs, a device stack with completion routines, unload.</summary>
public class WdmLifecycleTests
{
    [Fact]
    public void A_wdm_driver_adds_starts_removes_and_unloads_through_its_own_routines()
    {
        var driver = new WdmFilterDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);

        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(DriverModel.Wdm, host.Model);
        var fdo = host.TopDevice!;
        Assert.Equal(2, fdo.StackSize);
        Assert.Same(host.DriverObject, fdo.DriverObject);
        Assert.Same(fdo, host.PhysicalDeviceObject.AttachedDevice);

        var report = host.Unload();

        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(new[] { "DriverEntry", "AddDevice", "IRP_MN_START_DEVICE", "IRP_MN_REMOVE_DEVICE", "DriverUnload" }, driver.Calls);
        Assert.Null(host.PhysicalDeviceObject.AttachedDevice);
        Assert.Empty(host.DriverObject.Devices);
    }

    [Fact]
    public void A_read_passed_down_with_a_completion_routine_returns_the_lower_devices_data()
    {
        var driver = new WdmFilterDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 5, 6, 7 });

        var read = host.Read(4);

        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal((nuint)3, read.Information);
        Assert.Equal(new byte[] { 5, 6, 7, 0 }, read.UserBuffer);
        Assert.Equal(new[] { PASSIVE_LEVEL }, driver.CompletionIrqls);
        Assert.Equal((nuint)4, Assert.Single(host.LowerTarget.Received).Length);
    }

    [Fact]
    public void A_lower_device_completing_later_runs_the_completion_routine_at_DISPATCH_LEVEL()
    {
        var driver = new WdmFilterDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 9 });

        var read = host.Read(1);
        Assert.False(read.IsCompleted);
        host.LowerTarget.CompleteNext();

        Assert.Equal(new byte[] { 9 }, read.UserBuffer);
        Assert.Equal(new[] { DISPATCH_LEVEL }, driver.CompletionIrqls);
        Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void STATUS_MORE_PROCESSING_REQUIRED_stops_completion_until_the_driver_completes_the_irp_again()
    {
        var driver = new WdmFilterDriver { HoldReadsForMoreProcessing = true };
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2 });

        var read = host.Read(2);
        Assert.False(read.IsCompleted);
        Assert.NotNull(driver.HeldIrp);

        host.Run(() => IoCompleteRequest(driver.HeldIrp!, IO_NO_INCREMENT));

        Assert.Equal(new byte[] { 1, 2 }, read.UserBuffer);
        Expect.Violation("DRV002", () => host.Run(() => IoCompleteRequest(driver.HeldIrp!, IO_NO_INCREMENT)));
    }

    [Fact]
    public void An_irp_canceled_while_the_lower_device_holds_it_completes_with_STATUS_CANCELLED()
    {
        var driver = new WdmFilterDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        var write = host.Write(new byte[] { 1 });
        Assert.True(write.Cancel());

        Assert.Equal(STATUS_CANCELLED, write.Status);
        Assert.Equal(0, host.LowerTarget.PendingCount);
        Assert.False(write.Cancel());
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_device_never_deleted_is_a_DeviceObjectLeak_at_unload()
    {
        var driver = new WdmFilterDriver { DeleteDeviceOnRemove = false };
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();

        Assert.Equal(new[] { "DeviceObjectLeak" }, host.Unload().Rules);
    }

    [Fact]
    public void Sending_an_irp_to_a_deleted_device_is_DRV036_and_past_the_last_stack_location_NoMoreIrpStackLocations()
    {
        DEVICE_OBJECT? deleted = null;
        using var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            IoCreateDevice(driverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, out var first);
            IoCreateDevice(driverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, out deleted);
            IoDeleteDevice(deleted);
            driverObject.MajorFunction[IRP_MJ_READ] = (device, irp) =>
            {
                var status = IoCallDriver(deleted!, irp);
                return status;
            };
            driverObject.MajorFunction[IRP_MJ_WRITE] = (device, irp) =>
            {
                IoCopyCurrentIrpStackLocationToNext(irp);
                return STATUS_SUCCESS;
            };
            driverObject.DriverUnload = d => IoDeleteDevice(first);
            return STATUS_SUCCESS;
        });
        host.LoadAndStart();

        Expect.Violation("DRV036", () => host.Read(1));
        Expect.Violation("DRV036", () => host.Run(() => IoDeleteDevice(deleted!)));
        Expect.Violation("NoMoreIrpStackLocations", () => host.Write(new byte[1]));
    }

    [Fact]
    public void A_legacy_driver_creates_its_named_device_and_link_in_DriverEntry_and_takes_io_without_AddDevice()
    {
        NTSTATUS duplicate = STATUS_SUCCESS;
        using var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            RtlInitUnicodeString(out var name, @"\Device\LegacySample");
            RtlInitUnicodeString(out var link, @"\DosDevices\LegacySample");
            var status = IoCreateDevice(driverObject, 0, name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE, out var device);
            duplicate = IoCreateDevice(driverObject, 0, name, FILE_DEVICE_UNKNOWN, 0, FALSE, out _);
            IoCreateSymbolicLink(link, name);
            device.Flags |= DO_BUFFERED_IO;
            driverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = (deviceObject, irp) =>
            {
                var length = IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl.OutputBufferLength;
                irp.AssociatedIrp.SystemBuffer.Write<byte>(0, 0x5A);
                irp.IoStatus.Status = STATUS_SUCCESS;
                irp.IoStatus.Information = length;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            };
            driverObject.DriverUnload = d =>
            {
                IoDeleteSymbolicLink(link);
                IoDeleteDevice(d.DeviceObject!);
            };
            return status;
        });

        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(STATUS_OBJECT_NAME_COLLISION, duplicate);
        Assert.Equal(0u, host.TopDevice!.Flags & DO_DEVICE_INITIALIZING);
        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS), null, 1);
        Assert.Equal(new byte[] { 0x5A }, result.UserBuffer);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.Open().Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_request_left_with_the_driver_is_DRV004_at_unload()
    {
        IRP? kept = null;
        using var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            IoCreateDevice(driverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, out var device);
            driverObject.MajorFunction[IRP_MJ_READ] = (d, irp) =>
            {
                IoMarkIrpPending(irp);
                kept = irp;
                return STATUS_PENDING;
            };
            driverObject.DriverUnload = d => IoDeleteDevice(device);
            return STATUS_SUCCESS;
        });
        host.LoadAndStart();
        host.Read(1);

        Assert.Equal(new[] { "DRV004" }, host.Unload().Rules);
        Assert.NotNull(kept);
    }
}
