using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The USB Type-C port controller client port (usb/UcmTcpciCxClientSample), whole from DriverEntry, over a simulated I2C
/// controller opened by its resource-hub name: a register read is an SPB sequence (register address, then the register's
/// bytes), a register write is a write of the address followed by the data. GET_STATUS reads three registers from a work
/// item with the client's driver-created request; SET_COMMAND and SET_CONTROL write one register with the reused
/// asynchronous request, whose completion routine completes the UcmTcpciCx request.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    internal sealed class I2CPortController
    {
        public readonly Dictionary<byte, byte> Registers = new() { [UcmTcpciI2C.CC_STATUS] = 0x05, [UcmTcpciI2C.POWER_STATUS] = 0x0C, [UcmTcpciI2C.FAULT_STATUS] = 0x00 };

        public I2CPortController(WholeDriverHost host, string name)
        {
            Target = host.AddNamedTarget(name);
            Target.Responder = Respond;
        }

        public SimulatedIoTarget Target { get; }

        private TargetIoResponse Respond(TargetIoRequest request)
        {
            if (request.IoControlCode == UcmTcpciI2C.IOCTL_SPB_EXECUTE_SEQUENCE)
            {
                // The register address follows the two transfer entries; the register's bytes go to the output buffer.
                var register = request.InputData[(int)(UcmTcpciI2C.SPB_TRANSFER_LIST_HEADER_SIZE + 2 * UcmTcpciI2C.SPB_TRANSFER_LIST_ENTRY_SIZE)];
                var data = Enumerable.Range(0, (int)request.OutputLength).Select(i => Registers.GetValueOrDefault((byte)(register + i))).ToArray();
                return new TargetIoResponse(STATUS_SUCCESS, UcmTcpciI2C.REGISTER_ADDR_SIZE + request.OutputLength, data);
            }

            if (request.Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite)
            {
                for (var i = 1; i < request.InputData.Length; i++)
                {
                    Registers[(byte)(request.InputData[0] + i - 1)] = request.InputData[i];
                }

                return new TargetIoResponse(STATUS_SUCCESS, (nuint)request.InputData.Length);
            }

            return new TargetIoResponse(STATUS_INVALID_DEVICE_REQUEST);
        }
    }

    internal static byte[] InParams(int typeOrCommand, byte register = 0)
    {
        var input = new byte[UcmTcpciI2C.SET_CONTROL_IN_PARAMS_SIZE];
        System.BitConverter.GetBytes(typeOrCommand).CopyTo(input, 8);
        input[12] = register;
        return input;
    }

    [Fact]
    public void UcmTcpciReadsStatusRegistersFromAWorkItemAndWritesControlRegistersAsynchronously()
    {
        using var host = new WholeDriverHost(UcmTcpciI2C.DriverEntry);
        var controller = new I2CPortController(host, UcmTcpciI2C.RESOURCE_HUB_CREATE_PATH_FROM_ID(UcmTcpciI2C.I2C_CONNECTION_ID));
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var status = host.DeviceIoControl(UcmTcpciI2C.IOCTL_UCMTCPCI_PORT_CONTROLLER_GET_STATUS, null, (int)UcmTcpciI2C.GET_STATUS_OUT_PARAMS_SIZE);
        host.RunDeferredWork();
        Assert.Equal(STATUS_SUCCESS, status.Status);
        Assert.Equal((nuint)3, status.Information);
        Assert.Equal(new byte[] { 0x05, 0x0C, 0x00 }, status.UserBuffer);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(UcmTcpciI2C.IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_COMMAND, InParams(0x55), 0).Status);
        Assert.Equal(0x55, controller.Registers[UcmTcpciI2C.COMMAND]);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(UcmTcpciI2C.IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_CONTROL, InParams(UcmTcpciI2C.UcmTcpciPortControllerPowerControl, 0x60), 0).Status);
        Assert.Equal(0x60, controller.Registers[UcmTcpciI2C.POWER_CONTROL]);
        Assert.Equal(STATUS_NOT_SUPPORTED, host.DeviceIoControl(UcmTcpciI2C.IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_COMMAND + 4, null, 0).Status);

        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy USB Type-C port controller client that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class UcmTcpciI2CBuggyRuntimeTests
{
    [Fact]
    public void StatusBufferReadAfterTheRequestCompletedIsDrv001()
    {
        using var host = new WholeDriverHost(UcmTcpciI2CBuggy.DriverEntry);
        _ = new UnseenDriverRuntimeTests.I2CPortController(host, UcmTcpciI2CBuggy.RESOURCE_HUB_CREATE_PATH_FROM_ID(UcmTcpciI2CBuggy.I2C_CONNECTION_ID));
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        host.DeviceIoControl(UcmTcpciI2CBuggy.IOCTL_UCMTCPCI_PORT_CONTROLLER_GET_STATUS, null, (int)UcmTcpciI2CBuggy.GET_STATUS_OUT_PARAMS_SIZE);
        var violation = Assert.Throws<WdfViolationException>(() => host.RunDeferredWork());
        Assert.Equal("DRV001", violation.Rule);
    }

    [Fact]
    public void TransferListOnTheStackOfAnAsynchronousReadIsDrv040()
    {
        using var host = new WholeDriverHost(UcmTcpciI2CBuggy.DriverEntry);
        var controller = new UnseenDriverRuntimeTests.I2CPortController(host, UcmTcpciI2CBuggy.RESOURCE_HUB_CREATE_PATH_FROM_ID(UcmTcpciI2CBuggy.I2C_CONNECTION_ID));
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        controller.Target.Mode = TargetCompletionMode.WhenPumped;
        var context = UcmTcpciI2CBuggy.DeviceGetContext(host.Device);

        var violation = Assert.Throws<WdfViolationException>(() => host.Run(() => UcmTcpciI2CBuggy.I2CReadAsynchronously(context, UcmTcpciI2CBuggy.CC_STATUS, 1)));
        Assert.Equal("DRV040", violation.Rule);
    }

    [Fact]
    public void CommandWrittenWithTheCompletionRoutineSetBeforeTheReuseLeavesTheRequestPending()
    {
        using var host = new WholeDriverHost(UcmTcpciI2CBuggy.DriverEntry);
        var controller = new UnseenDriverRuntimeTests.I2CPortController(host, UcmTcpciI2CBuggy.RESOURCE_HUB_CREATE_PATH_FROM_ID(UcmTcpciI2CBuggy.I2C_CONNECTION_ID));
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        // DRV012 has no run-time twin (RULES.md): the write reaches the controller, but no completion routine runs, so
        // UcmTcpciCx's request is never completed.
        var command = host.DeviceIoControl(UcmTcpciI2CBuggy.IOCTL_UCMTCPCI_PORT_CONTROLLER_SET_COMMAND, UnseenDriverRuntimeTests.InParams(0x55), 0);
        Assert.Equal(0x55, controller.Registers[UcmTcpciI2CBuggy.COMMAND]);
        Assert.False(command.IsCompleted);
    }
}
