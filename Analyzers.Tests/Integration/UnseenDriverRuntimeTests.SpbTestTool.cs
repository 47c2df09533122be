using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The SPB test tool port, whole from DriverEntry, on a simulated I2C controller holding a 256-byte register file
/// (the first byte of a write is the register address, as on a typical I2C peripheral).</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    private sealed class I2cPeripheral
    {
        public readonly byte[] Registers = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        public byte Address;
        public int Locks;
        public readonly SimulatedIoTarget Controller;

        public I2cPeripheral(WholeDriverHost host, string name)
        {
            Controller = host.AddNamedTarget(name);
            Controller.Responder = Respond;
        }

        private TargetIoResponse Respond(TargetIoRequest request)
        {
            switch (request.Type)
            {
                case WDF_REQUEST_TYPE.WdfRequestTypeWrite:
                    Store(request.InputData);
                    return new TargetIoResponse(STATUS_SUCCESS, (nuint)request.InputData.Length);
                case WDF_REQUEST_TYPE.WdfRequestTypeRead:
                    return new TargetIoResponse(STATUS_SUCCESS, request.Length, Load((int)request.Length));
            }

            if (request.IoControlCode == SpbTestTool.IOCTL_SPB_LOCK_CONTROLLER || request.IoControlCode == SpbTestTool.IOCTL_SPB_LOCK_CONNECTION)
            {
                Locks++;
                return new TargetIoResponse(STATUS_SUCCESS, 0);
            }

            if (request.IoControlCode == SpbTestTool.IOCTL_SPB_UNLOCK_CONTROLLER || request.IoControlCode == SpbTestTool.IOCTL_SPB_UNLOCK_CONNECTION)
            {
                Locks--;
                return new TargetIoResponse(STATUS_SUCCESS, 0);
            }

            // The port's transfer list: header, two entries, the to-device bytes inline.
            var list = request.InputData;
            var writeLength = (int)BitConverter.ToUInt32(list, 16);
            var readLength = (int)BitConverter.ToUInt32(list, 28);
            Store(list.Skip((int)SpbTestTool.SPB_SEQUENCE_DATA_OFFSET).Take(writeLength).ToArray());
            return new TargetIoResponse(STATUS_SUCCESS, (nuint)(writeLength + readLength), Load(readLength));
        }

        private void Store(byte[] data)
        {
            if (data.Length == 0)
            {
                return;
            }

            Address = data[0];
            for (var i = 1; i < data.Length; i++)
            {
                Registers[(byte)(Address + i - 1)] = data[i];
            }
        }

        private byte[] Load(int length) => Enumerable.Range(0, length).Select(i => Registers[(byte)(Address + i)]).ToArray();
    }

    private static I2cPeripheral StartSpbTestTool(WholeDriverHost host)
    {
        var peripheral = new I2cPeripheral(host, SpbTestTool.RESOURCE_HUB_CREATE_PATH_FROM_ID(SpbTestTool.SPB_TEST_CONNECTION_ID));
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_OPEN, null, 0).Status);
        return peripheral;
    }

    [Fact]
    public void SpbTestToolWritesReadsAndRunsSequencesThroughItsRequestPair()
    {
        using var host = new WholeDriverHost(SpbTestTool.DriverEntry);
        var peripheral = StartSpbTestTool(host);

        var write = host.Write(new byte[] { 0x10, 0xA1, 0xA2 });
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)3, write.Information);
        Assert.Equal(0xA2, peripheral.Registers[0x11]);

        var read = host.Read(2);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal(new byte[] { 0xA1, 0xA2 }, read.UserBuffer);

        var writeRead = host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_WRITEREAD, new byte[] { 0x20 }, 3);
        Assert.Equal(STATUS_SUCCESS, writeRead.Status);
        Assert.Equal((nuint)3, writeRead.Information);
        Assert.Equal(new byte[] { 0x20, 0x21, 0x22 }, writeRead.UserBuffer);

        var duplex = host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_FULL_DUPLEX, new byte[] { 0x30, 0x77 }, 1);
        Assert.Equal(STATUS_SUCCESS, duplex.Status);
        Assert.Equal(new byte[] { 0x77 }, duplex.UserBuffer);

        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_WRITEREAD, new byte[SpbTestTool.SPB_SEQUENCE_MAX_WRITE + 1], 1).Status);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_LOCK, null, 0).Status);
        Assert.Equal(1, peripheral.Locks);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_UNLOCK, null, 0).Status);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_LOCK_CONNECTION, null, 0).Status);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_UNLOCK_CONNECTION, null, 0).Status);
        Assert.Equal(0, peripheral.Locks);

        Assert.Equal(STATUS_NOT_FOUND, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_SIGNAL_INTERRUPT, null, 0).Status);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_OPEN + 0x100, null, 0).Status);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_CLOSE, null, 0).Status);
        Assert.False(NT_SUCCESS(host.Read(1).Status));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void SpbTestToolCancelsTheSpbRequestOfACanceledClientRequest()
    {
        using var host = new WholeDriverHost(SpbTestTool.DriverEntry);
        var peripheral = StartSpbTestTool(host);
        peripheral.Controller.Mode = TargetCompletionMode.WhenPumped;

        var read = host.Read(4);
        Assert.False(read.IsCompleted);
        Assert.True(read.Cancel());
        Assert.Equal(STATUS_CANCELLED, read.Status);

        // D0Exit deletes the SPB request and D0Entry makes a new one (and a new, unopened controller target): see
        // SpbTestToolSendsItsRequestAgainAfterACancel for why the test takes this way round.
        Assert.Equal(STATUS_SUCCESS, host.Suspend());
        Assert.Equal(STATUS_SUCCESS, host.Resume());
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_OPEN, null, 0).Status);

        var pendingWrite = host.Write(new byte[] { 0x40, 0x01 });
        Assert.False(pendingWrite.IsCompleted, pendingWrite.ToString());
        Assert.True(pendingWrite.Cancel());
        Assert.Equal(STATUS_CANCELLED, pendingWrite.Status);
        Assert.NotEqual(0x01, peripheral.Registers[0x40]);

        Assert.Equal(STATUS_SUCCESS, host.Suspend());
        Assert.Equal(STATUS_SUCCESS, host.Resume());
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_OPEN, null, 0).Status);
        peripheral.Controller.Mode = TargetCompletionMode.Immediately;
        var next = host.Read(2);
        Assert.Equal(STATUS_SUCCESS, next.Status);

        var wait = host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_WAIT_ON_INTERRUPT, null, 0);
        Assert.False(wait.IsCompleted);
        Assert.Equal(STATUS_INVALID_DEVICE_STATE, host.DeviceIoControl(SpbTestTool.IOCTL_SPBTESTTOOL_WAIT_ON_INTERRUPT, null, 0).Status);
        Assert.True(wait.Cancel());
        Assert.Equal(STATUS_CANCELLED, wait.Status);

        Assert.True(host.Unload().IsClean);
    }

    /// <summary>
    /// KMDF's WdfRequestReuse clears the canceled state of a driver-created request (FxRequestBase::ClearFieldsForReuse:
    /// <c>m_Canceled = FALSE</c>), and so does the runtime: once WdfRequestCancelSentRequest canceled the SPB request, its
    /// next send after WdfRequestReuse waits at the target like any other (Runtime.Tests CancellationTests).
    /// </summary>
    [Fact]
    public void SpbTestToolSendsItsRequestAgainAfterACancel()
    {
        using var host = new WholeDriverHost(SpbTestTool.DriverEntry);
        var peripheral = StartSpbTestTool(host);
        peripheral.Controller.Mode = TargetCompletionMode.WhenPumped;
        var read = host.Read(4);
        Assert.True(read.Cancel());
        Assert.Equal(STATUS_CANCELLED, read.Status);

        var next = host.Read(2);
        Assert.True(peripheral.Controller.CompleteNext());
        Assert.Equal(STATUS_SUCCESS, next.Status);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy SPB test tool port that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class SpbTestToolBuggyRuntimeTests
{
    private static SimulatedIoTarget StartBuggy(WholeDriverHost host)
    {
        var controller = host.AddNamedTarget(SpbTestToolBuggy.RESOURCE_HUB_CREATE_PATH_FROM_ID(SpbTestToolBuggy.SPB_TEST_CONNECTION_ID));
        controller.Responder = request => new TargetIoResponse(STATUS_SUCCESS, request.Length + request.OutputLength, new byte[(int)(request.Length + request.OutputLength)]);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(SpbTestToolBuggy.IOCTL_SPBTESTTOOL_OPEN, null, 0).Status);
        return controller;
    }

    [Fact]
    public void SequenceOnTheStackStillPendingWhenItsFunctionReturnsIsDrv040()
    {
        using var host = new WholeDriverHost(SpbTestToolBuggy.DriverEntry);
        var controller = StartBuggy(host);
        controller.Mode = TargetCompletionMode.WhenPumped;
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(SpbTestToolBuggy.IOCTL_SPBTESTTOOL_WRITEREAD, new byte[] { 1 }, 1));
        Assert.Equal("DRV040", violation.Rule);
    }

    [Fact]
    public void ClientCompletedBeforeTheSpbRequestIsReusedIsDrv010()
    {
        using var host = new WholeDriverHost(SpbTestToolBuggy.DriverEntry);
        StartBuggy(host);
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(2));
        Assert.Equal("DRV010", violation.Rule);
    }

    [Fact]
    public void StarterHelpersRoutineCompletingTheOriginalWithoutReuseIsDrv010()
    {
        using var host = new WholeDriverHost(SpbTestToolBuggy.DriverEntry);
        StartBuggy(host);
        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 1, 2 }));
        Assert.Equal("DRV010", violation.Rule);
    }
}
