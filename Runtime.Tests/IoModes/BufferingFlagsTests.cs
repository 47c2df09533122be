using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.IoModes;

/// <summary>Reference 001: the buffering flags are set once, right after the device object is created (DRV044).</summary>
public class BufferingFlagsTests
{
    [Fact]
    public void Flags_set_while_initializing_decide_the_mode()
    {
        using var host = new WdmDriverHost(fdo =>
        {
            Assert.Equal(DO_DEVICE_INITIALIZING, fdo.Flags);
            fdo.Flags |= DO_BUFFERED_IO;
            fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        });
        bool sawSystemBuffer = false;
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            sawSystemBuffer = irp.AssociatedIrp.SystemBuffer != NULL;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        host.Read(1);

        Assert.True(sawSystemBuffer);
        Assert.Equal(DO_BUFFERED_IO, host.DeviceObject.Flags);
    }

    [Fact]
    public void Changing_the_mode_after_set_up_is_DRV044()
    {
        using var host = new WdmDriverHost(fdo => fdo.Flags |= DO_BUFFERED_IO);

        Expect.Violation("DRV044", () => host.DeviceObject.Flags |= DO_DIRECT_IO);
        Expect.Violation("DRV044", () => host.DeviceObject.Flags &= ~DO_BUFFERED_IO);
        host.DeviceObject.Flags |= DO_POWER_PAGABLE;
        Assert.Equal(DO_BUFFERED_IO | DO_POWER_PAGABLE, host.DeviceObject.Flags);
    }

    [Fact]
    public void A_missing_dispatch_routine_fails_the_request()
    {
        using var host = new WdmDriverHost();

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.Write(new byte[] { 1 }).Status);
    }
}
