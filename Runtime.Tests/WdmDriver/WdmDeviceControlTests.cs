using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WdmDriver;

public class WdmDeviceControlTests
{
    [Fact]
    public void Method_buffered_ioctl_uses_one_system_buffer_for_both_directions()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_DEVICE_CONTROL] = (device, irp) =>
        {
            var stack = IoGetCurrentIrpStackLocation(irp);
            Assert.Equal(IRP_MJ_DEVICE_CONTROL, stack.MajorFunction);
            Assert.Equal(2u, stack.Parameters.DeviceIoControl.InputBufferLength);
            Assert.Equal(3u, stack.Parameters.DeviceIoControl.OutputBufferLength);
            var buffer = irp.AssociatedIrp.SystemBuffer;
            var sum = (byte)(buffer.Read<byte>(0) + buffer.Read<byte>(1));
            buffer.Write<byte>(2, sum);
            irp.IoStatus.Information = 3;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), new byte[] { 2, 3 }, 3);

        Assert.Equal(new byte[] { 2, 3, 5 }, result.UserBuffer);
    }

    [Fact]
    public void Method_neither_ioctl_passes_user_addresses_that_must_be_probed()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_DEVICE_CONTROL] = (device, irp) =>
        {
            var input = IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl.Type3InputBuffer;
            try
            {
                Expect.Violation("DRV042", () => input.Read<byte>(0));
                ProbeForRead(input, 1, 1);
                ProbeForWrite(irp.UserBuffer, 1, 1);
                irp.UserBuffer.Write<byte>(0, (byte)(input.Read<byte>(0) * 2));
                irp.IoStatus.Information = 1;
            }
            finally
            {
                IoCompleteRequest(irp, IO_NO_INCREMENT);
            }
            return STATUS_SUCCESS;
        };

        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_NEITHER, FILE_ANY_ACCESS), new byte[] { 21 }, 1);

        Assert.Equal(new byte[] { 42 }, result.UserBuffer);
    }

    [Fact]
    public void Pended_irp_completed_later_reaches_the_application()
    {
        using var host = new WdmDriverHost(fdo => fdo.Flags |= DO_BUFFERED_IO);
        IRP? pending = null;
        host.MajorFunction[IRP_MJ_WRITE] = (device, irp) =>
        {
            IoMarkIrpPending(irp);
            pending = irp;
            return STATUS_PENDING;
        };
        var result = host.Write(new byte[] { 1 });
        Assert.False(result.IsCompleted);
        Assert.Equal(SL_PENDING_RETURNED, IoGetCurrentIrpStackLocation(pending!).Control & SL_PENDING_RETURNED);

        host.Run(() =>
        {
            pending!.IoStatus.Status = STATUS_SUCCESS;
            pending.IoStatus.Information = 1;
            IoCompleteRequest(pending, IO_NO_INCREMENT);
        });

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)1, result.Information);
        Assert.True(pending!.PendingReturned);
        Assert.True(host.Unload().IsClean);
    }
}
