using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The correct drivers of the unseen corpus run clean under the runtime's verifier.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    [Fact]
    public void EchoReturnsWhatWasWritten()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var queue = new EchoQueueContext();
        host.EvtIoWrite = queue.EchoEvtIoWrite;
        host.EvtIoRead = queue.EchoEvtIoRead;

        var write = host.Write(new byte[] { 1, 2, 3, 4, 5 });
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)5, write.Information);

        var read = host.Read(8);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal((nuint)5, read.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, read.UserBuffer.Take(5));

        Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { 9 }).Status);
        host.Run(queue.EchoEvtIoQueueContextDestroy);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Fx2ForwardsReadsAndWritesToTheLowerTarget()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var device = new Fx2Device();
        host.EvtIoRead = device.OsrFxEvtIoRead;
        host.EvtIoWrite = device.OsrFxEvtIoWrite;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 7, 8, 9 });

        var read = host.Read(3);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal(new byte[] { 7, 8, 9 }, read.UserBuffer);

        host.LowerTarget.RespondWith(STATUS_SUCCESS, information: 2);
        var write = host.Write(new byte[] { 1, 2 });
        Assert.Equal(STATUS_SUCCESS, write.Status);

        host.LowerTarget.Mode = TargetCompletionMode.FailSend;
        Assert.False(NT_SUCCESS(host.Read(3).Status));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void ToasterFilterReusesItsDriverCreatedRequests()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var device = new ToasterFilterDevice();
        Assert.Equal(STATUS_SUCCESS, host.Run(() => device.ToasterFilterCreateRequests(host.Device)));
        host.EvtIoWrite = device.ToasterFilterEvtIoWrite;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, information: 3);

        Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { 1, 2, 3 }).Status);
        Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { 4, 5, 6 }).Status);

        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3, 4 });
        var polled = host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x74736F54, 16, out var registers, out _);
            var status = device.ToasterFilterPollRegisters(host.Device, registers, 3);
            WdfObjectDelete(registers);
            return status;
        });
        Assert.Equal(STATUS_SUCCESS, polled);

        Assert.Equal(STATUS_SUCCESS, host.Run(device.ToasterFilterStartReader));
        Assert.Equal(device.MaxReads, device.ReadsCompleted);
        Assert.Equal(STATUS_SUCCESS, host.Run(device.ToasterFilterStartReader));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void NonPnpHandlesEveryTransferMethod()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var device = new NonPnpDevice();
        Assert.Equal(STATUS_SUCCESS, host.Run(device.NonPnpInitialize));
        host.EvtIoDeviceControl = device.FileEvtIoDeviceControl;
        host.EvtIoInCallerContext = device.NonPnpEvtDeviceIoInCallerContext;
        var expected = NonPnpDevice.DeviceString;

        foreach (var code in new[] { NonPnpDevice.IOCTL_NONPNP_METHOD_BUFFERED, NonPnpDevice.IOCTL_NONPNP_METHOD_OUT_DIRECT, NonPnpDevice.IOCTL_NONPNP_METHOD_NEITHER })
        {
            var result = host.DeviceIoControl(code, new byte[] { 1, 2, 3 }, 64);
            Assert.True(result.Status == STATUS_SUCCESS, $"{code:X}: {result}");
            Assert.Equal((nuint)expected.Length, result.Information);
            Assert.Equal(expected, result.UserBuffer.Take(expected.Length));
        }

        var small = host.DeviceIoControl(NonPnpDevice.IOCTL_NONPNP_METHOD_BUFFERED, new byte[] { 1 }, 4);
        Assert.Equal((nuint)4, small.Information);

        var inDirect = host.DeviceIoControl(NonPnpDevice.IOCTL_NONPNP_METHOD_IN_DIRECT, new byte[] { 1 }, 8);
        Assert.Equal(STATUS_SUCCESS, inDirect.Status);

        host.Run(device.NonPnpUnload);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void LookasideRecordsGoThroughTheLowerTarget()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var device = new RecordDevice();
        Assert.Equal(STATUS_SUCCESS, host.Run(() => device.RecordDeviceAdd(host.Device)));
        host.EvtIoWrite = device.RecordEvtIoWrite;
        host.EvtIoRead = device.RecordEvtIoRead;

        host.LowerTarget.RespondWith(STATUS_SUCCESS, information: RecordDevice.RECORD_SIZE);
        var write = host.Write(new byte[] { 1, 2, 3 });
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)3, write.Information);
        Assert.Equal(STATUS_INVALID_BUFFER_SIZE, host.Write(new byte[300]).Status);

        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 5, 6, 7, 8 });
        var read = host.Read(2);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal(new byte[] { 5, 6 }, read.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void PreallocatedConfigBlockIsOnlyUsedSynchronously()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var device = new ConfigBlockDevice();
        Assert.Equal(STATUS_SUCCESS, host.Run(() => device.ConfigInitialize(host.Device)));
        host.EvtIoDeviceControl = device.ConfigEvtIoDeviceControl;

        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3, 4 });
        Assert.Equal(STATUS_SUCCESS, host.Run(device.ConfigRefresh));
        Assert.Equal(STATUS_SUCCESS, host.Run(() => device.ConfigGrow(128)));

        host.LowerTarget.RespondWith(STATUS_SUCCESS, information: 128);
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        var push = host.DeviceIoControl(ConfigBlockDevice.IOCTL_PUSH_CONFIG, null, 0);
        Assert.False(push.IsCompleted);
        host.LowerTarget.CompleteAll();
        Assert.Equal(STATUS_SUCCESS, push.Status);

        host.Run(device.ConfigCleanup);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void WdmRamDiskAndMailboxRunClean()
    {
        var disk = new WdmRamDisk();
        using (var host = new WdmDriverHost(WdmRamDisk.RamDiskAddDevice))
        {
            Assert.Equal(STATUS_SUCCESS, host.Run(disk.RamDiskInitialize));
            host.MajorFunction[IRP_MJ_READ] = disk.RamDiskDispatchRead;
            host.MajorFunction[IRP_MJ_WRITE] = disk.RamDiskDispatchWrite;
            host.MajorFunction[IRP_MJ_DEVICE_CONTROL] = disk.RamDiskDispatchDeviceControl;

            Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { 4, 3, 2, 1 }).Status);
            var read = host.Read(4);
            Assert.Equal(STATUS_SUCCESS, read.Status);
            Assert.Equal(new byte[] { 4, 3, 2, 1 }, read.UserBuffer);
            var size = host.DeviceIoControl(WdmRamDisk.IOCTL_RAMDISK_GET_SIZE, null, 4);
            Assert.Equal(WdmRamDisk.RAMDISK_SIZE, System.BitConverter.ToUInt32(size.UserBuffer));

            host.Run(disk.RamDiskUnload);
            Assert.True(host.Unload().IsClean);
        }

        var mailbox = new WdmNeitherMailbox();
        using (var host = new WdmDriverHost())
        {
            Assert.Equal(STATUS_SUCCESS, host.Run(mailbox.MailboxInitialize));
            host.MajorFunction[IRP_MJ_WRITE] = mailbox.MailboxDispatchWrite;
            var write = host.Write(new byte[] { 1, 2, 3 });
            Assert.Equal(STATUS_SUCCESS, write.Status);
            Assert.Equal((nuint)3, write.Information);
            host.Run(mailbox.MailboxUnload);
            Assert.True(host.Unload().IsClean);
        }
    }

    [Fact]
    public void StagedTransferFillsTheMdlStageByStage()
    {
        using var host = new DriverHost(WdfDeviceIoDirect);
        var device = new StagedTransferDevice();
        host.Run(() => device.Target = WdfDeviceGetIoTarget(host.Device));
        host.EvtIoRead = device.StagedEvtIoRead;

        var read = host.Read(150);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal((nuint)150, read.Information);
        Assert.Equal(1, read.UserBuffer[0]);
        Assert.Equal(2, read.UserBuffer[64]);
        Assert.Equal(3, read.UserBuffer[149]);

        host.LowerTarget.RespondWith(STATUS_SUCCESS, information: StagedTransferDevice.STAGE_SIZE);
        Assert.Equal(STATUS_SUCCESS, host.Run(() => device.StagedSendVendorCommand(0x42)));
        Assert.Equal(0x42, host.LowerTarget.Received.Last().InputData[0]);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void IdiomVariationsRunClean()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered);
        var device = new IdiomDevice();
        Assert.Equal(STATUS_SUCCESS, host.Run(device.IdiomInitialize));
        host.EvtIoDeviceControl = device.IdiomEvtIoDeviceControl;
        host.EvtIoRead = device.IdiomEvtIoRead;
        host.EvtIoWrite = device.IdiomEvtIoWrite;

        var version = host.DeviceIoControl(IdiomDevice.IOCTL_GET_VERSION, null, 8);
        Assert.Equal(STATUS_SUCCESS, version.Status);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 2, 0, 0, 0 }, version.UserBuffer);
        Assert.False(NT_SUCCESS(host.DeviceIoControl(IdiomDevice.IOCTL_GET_VERSION, null, 4).Status));

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(IdiomDevice.IOCTL_SET_NAME, new byte[] { 65, 66, 67 }, 0).Status);
        var read = host.Read(2);
        Assert.Equal(new byte[] { 65, 66 }, read.UserBuffer);
        Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { 68, 69, 70, 71 }).Status);
        Assert.Equal(STATUS_BUFFER_OVERFLOW, host.Write(new byte[40]).Status);
        Assert.Equal(new byte[] { 68, 69, 70, 71 }, host.Read(8).UserBuffer.Take(4));

        host.Run(device.IdiomUnload);
        Assert.True(host.Unload().IsClean);
    }
}
