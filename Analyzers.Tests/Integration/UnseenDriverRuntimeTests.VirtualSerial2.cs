using System;
using System.Linq;
using System.Text;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The virtual serial port port, whole from DriverEntry: what is written comes back on reads (with the modem's
/// answer to AT commands), and the serial IOCTLs keep and return their settings.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    [Fact]
    public void VirtualSerial2EchoesWritesAndAnswersAtCommands()
    {
        using var host = new WholeDriverHost(VirtualSerial2.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var waiting = host.Read(4);
        Assert.False(waiting.IsCompleted);

        var write = host.Write(Encoding.ASCII.GetBytes("ATD\r"));
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)4, write.Information);
        Assert.Equal("ATD\r", Encoding.ASCII.GetString(waiting.UserBuffer));

        var answer = host.Read(32);
        Assert.Equal((nuint)11, answer.Information);
        Assert.Equal("\r\nCONNECT\r\n", Encoding.ASCII.GetString(answer.UserBuffer, 0, 11));

        Assert.Equal(STATUS_SUCCESS, host.Write(Encoding.ASCII.GetBytes("hello")).Status);
        Assert.Equal("hello", Encoding.ASCII.GetString(host.Read(5).UserBuffer));

        // The ring buffer holds DATA_BUFFER_SIZE - 1 bytes; the rest of a longer write is dropped.
        var large = Enumerable.Range(0, 2000).Select(i => (byte)(1 + i % 200)).ToArray();
        Assert.Equal((nuint)2000, host.Write(large).Information);
        var drained = host.Read(2000);
        Assert.Equal((nuint)(VirtualSerial2.DATA_BUFFER_SIZE - 1), drained.Information);
        Assert.Equal(large.Take(VirtualSerial2.DATA_BUFFER_SIZE - 1), drained.UserBuffer.Take(VirtualSerial2.DATA_BUFFER_SIZE - 1));

        var pendingAtRemoval = host.Read(1);
        Assert.False(pendingAtRemoval.IsCompleted);
        Assert.True(host.Unload().IsClean);
        Assert.Equal(STATUS_CANCELLED, pendingAtRemoval.Status);
    }

    [Fact]
    public void VirtualSerial2KeepsItsSerialSettings()
    {
        using var host = new WholeDriverHost(VirtualSerial2.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_BAUD_RATE, BitConverter.GetBytes(115200u), 0).Status);
        var baud = host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_BAUD_RATE, null, 4);
        Assert.Equal((nuint)4, baud.Information);
        Assert.Equal(115200u, BitConverter.ToUInt32(baud.UserBuffer));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_BAUD_RATE, new byte[2], 0).Status);

        // A zero-filled line control register: 5 data bits, no parity, one stop bit.
        Assert.Equal(new byte[] { VirtualSerial2.STOP_BIT_1, VirtualSerial2.NO_PARITY, 5 }, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_LINE_CONTROL, null, 3).UserBuffer);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_LINE_CONTROL, new byte[] { VirtualSerial2.STOP_BITS_2, VirtualSerial2.EVEN_PARITY, 8 }, 0).Status);
        Assert.Equal(new byte[] { VirtualSerial2.STOP_BITS_2, VirtualSerial2.EVEN_PARITY, 8 }, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_LINE_CONTROL, null, 3).UserBuffer);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_LINE_CONTROL, new byte[] { 0, 0, 9 }, 0).Status);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_LINE_CONTROL, new byte[] { VirtualSerial2.STOP_BITS_1_5, 0, 8 }, 0).Status);

        var forever = Enumerable.Repeat(0xFF, 12).Select(b => (byte)b).Concat(new byte[8]).ToArray();
        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_TIMEOUTS, forever, 0).Status);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_TIMEOUTS, new byte[20], 0).Status);
        Assert.Equal(new byte[20], host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_TIMEOUTS, null, 20).UserBuffer);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_MODEM_CONTROL, new byte[] { 3, 0, 0, 0 }, 0).Status);
        Assert.Equal(new byte[] { 3, 0, 0, 0 }, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_MODEM_CONTROL, null, 4).UserBuffer);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_FIFO_CONTROL, new byte[] { 1, 0, 0, 0 }, 0).Status);

        var wait = host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_WAIT_ON_MASK, null, 4);
        Assert.False(wait.IsCompleted);
        var secondWait = host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_WAIT_ON_MASK, null, 4);
        Assert.Equal(STATUS_UNSUCCESSFUL, wait.Status);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_WAIT_MASK, new byte[4], 0).Status);
        Assert.Equal(STATUS_SUCCESS, secondWait.Status);
        Assert.Equal((nuint)4, secondWait.Information);

        var chars = new byte[] { 0x1A, 0x00, 0x00, 0x7E, 0x11, 0x13 };
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_CHARS, chars.Concat(new byte[] { 9, 9 }).ToArray(), 0).Status);
        var gotChars = host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_CHARS, null, 8);
        Assert.Equal((nuint)6, gotChars.Information);
        Assert.Equal(chars, gotChars.UserBuffer.Take(6));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_CHARS, new byte[5], 0).Status);

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_SET_DTR, null, 0).Status);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(VirtualSerial2.IOCTL_SERIAL_GET_BAUD_RATE + 0x1000, null, 0).Status);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy virtual serial port that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class VirtualSerial2BuggyRuntimeTests
{
    private static WholeDriverHost StartBuggy()
    {
        var host = new WholeDriverHost(VirtualSerial2Buggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    [Fact]
    public void SpecialCharactersCopiedWithTheCallersLengthIsDrv020()
    {
        using var host = StartBuggy();
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(VirtualSerial2Buggy.IOCTL_SERIAL_SET_CHARS, new byte[8], 0));
        Assert.Equal("DRV020", violation.Rule);
    }

    [Fact]
    public void WriteLoopReadingOnePastTheBufferIsDrv024()
    {
        using var host = StartBuggy();
        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 0x41 }));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void ModemAnswerCheckedAfterTheReadCompletedIsDrv001()
    {
        using var host = StartBuggy();
        host.VerifierEnabled = false;
        host.Write(new byte[] { 0x41 });
        host.VerifierEnabled = true;
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(4));
        Assert.Equal("DRV001", violation.Rule);
    }

    [Fact]
    public void TooShortBaudRateIsTakenForSuccessWhenTheCopyStatusIsDropped()
    {
        using var host = StartBuggy();
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(VirtualSerial2Buggy.IOCTL_SERIAL_SET_BAUD_RATE, new byte[] { 1, 2 }, 0).Status);
        Assert.Equal(0u, BitConverter.ToUInt32(host.DeviceIoControl(VirtualSerial2Buggy.IOCTL_SERIAL_GET_BAUD_RATE, null, 4).UserBuffer));
    }
}
