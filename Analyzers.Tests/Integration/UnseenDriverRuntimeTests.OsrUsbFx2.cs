using System;
using System.Linq;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The OSR USB FX2 port, whole from DriverEntry: the board below answers vendor requests on endpoint 0 and the
/// three pipes are named targets, as the USB stack would present them.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    private sealed class Fx2Board
    {
        public readonly byte[] ConfigurationDescriptor = Enumerable.Range(0, 32).Select(i => (byte)(0x40 + i)).ToArray();
        public byte BarGraph = 0x5A;
        public byte SevenSegment = 0x3F;
        public byte Switches = 0x81;
        public SimulatedIoTarget BulkRead = null!;
        public SimulatedIoTarget BulkWrite = null!;
        public SimulatedIoTarget Interrupt = null!;

        public Fx2Board(WholeDriverHost host)
        {
            ConfigurationDescriptor[0] = 9;
            ConfigurationDescriptor[2] = (byte)ConfigurationDescriptor.Length;
            ConfigurationDescriptor[3] = 0;
            BulkRead = host.AddNamedTarget(OsrUsbFx2.BulkReadPipeName);
            BulkWrite = host.AddNamedTarget(OsrUsbFx2.BulkWritePipeName);
            Interrupt = host.AddNamedTarget(OsrUsbFx2.InterruptPipeName);
            Interrupt.Mode = TargetCompletionMode.WhenPumped;
            Interrupt.Responder = _ => new TargetIoResponse(STATUS_SUCCESS, 1, new[] { Switches });
            BulkWrite.Responder = request => new TargetIoResponse(STATUS_SUCCESS, request.Length);
            host.LowerTarget.Responder = EndpointZero;
        }

        private TargetIoResponse EndpointZero(TargetIoRequest request)
        {
            if (request.IoControlCode == OsrUsbFx2.USBFX2_VENDOR_REQUEST(OsrUsbFx2.USB_REQUEST_GET_DESCRIPTOR))
            {
                var length = (int)Math.Min(request.OutputLength, (nuint)ConfigurationDescriptor.Length);
                return new TargetIoResponse(STATUS_SUCCESS, (nuint)length, ConfigurationDescriptor.Take(length).ToArray());
            }

            if (request.IoControlCode == OsrUsbFx2.USBFX2_VENDOR_REQUEST(OsrUsbFx2.USBFX2LK_READ_BARGRAPH_DISPLAY))
            {
                return new TargetIoResponse(STATUS_SUCCESS, 1, new[] { BarGraph });
            }

            if (request.IoControlCode == OsrUsbFx2.USBFX2_VENDOR_REQUEST(OsrUsbFx2.USBFX2LK_SET_BARGRAPH_DISPLAY))
            {
                BarGraph = request.InputData[0];
                return new TargetIoResponse(STATUS_SUCCESS, 1);
            }

            if (request.IoControlCode == OsrUsbFx2.USBFX2_VENDOR_REQUEST(OsrUsbFx2.USBFX2LK_READ_7SEGMENT_DISPLAY))
            {
                return new TargetIoResponse(STATUS_SUCCESS, 1, new[] { SevenSegment });
            }

            if (request.IoControlCode == OsrUsbFx2.USBFX2_VENDOR_REQUEST(OsrUsbFx2.USBFX2LK_SET_7SEGMENT_DISPLAY))
            {
                SevenSegment = request.InputData[0];
                return new TargetIoResponse(STATUS_SUCCESS, 1);
            }

            if (request.IoControlCode == OsrUsbFx2.USBFX2_VENDOR_REQUEST(OsrUsbFx2.USBFX2LK_READ_SWITCHES))
            {
                return new TargetIoResponse(STATUS_SUCCESS, 1, new[] { Switches });
            }

            return new TargetIoResponse(STATUS_SUCCESS);
        }
    }

    [Fact]
    public void OsrUsbFx2MovesBulkDataAndAnswersEveryIoctl()
    {
        using var host = new WholeDriverHost(OsrUsbFx2.DriverEntry);
        var board = new Fx2Board(host);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        Assert.Equal(1, board.Interrupt.PendingCount);

        board.BulkRead.RespondWith(STATUS_SUCCESS, new byte[] { 7, 8, 9 });
        var read = host.Read(3);
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal((nuint)3, read.Information);
        Assert.Equal(new byte[] { 7, 8, 9 }, read.UserBuffer);

        var write = host.Write(new byte[] { 1, 2, 3, 4 });
        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)4, write.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, board.BulkWrite.Received.Last().InputData);

        Assert.Equal(STATUS_INVALID_PARAMETER, host.Read((int)OsrUsbFx2.TEST_BOARD_TRANSFER_BUFFER_SIZE + 1).Status);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.Write(new byte[OsrUsbFx2.TEST_BOARD_TRANSFER_BUFFER_SIZE + 1]).Status);

        var descriptor = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_CONFIG_DESCRIPTOR, null, 64);
        Assert.Equal(STATUS_SUCCESS, descriptor.Status);
        Assert.Equal((nuint)32, descriptor.Information);
        Assert.Equal(board.ConfigurationDescriptor, descriptor.UserBuffer.Take(32));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_CONFIG_DESCRIPTOR, null, 9).Status);

        var bars = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_BAR_GRAPH_DISPLAY, null, 1);
        Assert.Equal(new byte[] { 0x5A }, bars.UserBuffer);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_SET_BAR_GRAPH_DISPLAY, new byte[] { 0x0F }, 0).Status);
        Assert.Equal(0x0F, board.BarGraph);
        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_SET_7_SEGMENT_DISPLAY, new byte[] { 0x06 }, 0).Status);
        Assert.Equal(new byte[] { 0x06 }, host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_7_SEGMENT_DISPLAY, null, 1).UserBuffer);
        Assert.Equal(new byte[] { 0x81 }, host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_READ_SWITCHES, null, 1).UserBuffer);

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.DeviceIoControl(OsrUsbFx2.IOCTL_INDEX, null, 0).Status);

        Assert.True(host.Unload().IsClean);
    }

    /// <summary>
    /// The shipped ioctl.c sets <c>bytesReturned = sizeof(UCHAR)</c> before it completes a too-small
    /// IOCTL_OSRUSBFX2_SET_7_SEGMENT_DISPLAY (or READ_SWITCHES) with the retrieve's failure. KMDF checks the information
    /// only of a successful completion, and of a device control only when its output length is not 0
    /// (FxRequest::Vf_VerifyCompleteInternal: <c>validateLength &amp;&amp; NT_SUCCESS(Status)</c>); so does the runtime
    /// (Runtime.Tests/Verifier/InformationLengthTests).
    /// </summary>
    [Fact]
    public void OsrUsbFx2FailureWithInformationRunsClean()
    {
        using var host = new WholeDriverHost(OsrUsbFx2.DriverEntry);
        _ = new Fx2Board(host);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var noInput = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_SET_7_SEGMENT_DISPLAY, null, 0);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, noInput.Status);
        var noOutput = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_READ_SWITCHES, null, 0);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, noOutput.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void OsrUsbFx2AnswersInterruptMessagesFromItsReaderAndFlushesThemAtRemoval()
    {
        using var host = new WholeDriverHost(OsrUsbFx2.DriverEntry);
        var board = new Fx2Board(host);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var first = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE, null, 1);
        var second = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE, null, 1);
        Assert.False(first.IsCompleted);

        board.Switches = 0x42;
        Assert.True(board.Interrupt.CompleteNext());
        Assert.Equal(STATUS_SUCCESS, first.Status);
        Assert.Equal(new byte[] { 0x42 }, first.UserBuffer);
        Assert.Equal(new byte[] { 0x42 }, second.UserBuffer);
        Assert.Equal(1, board.Interrupt.PendingCount);

        var tooSmall = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE, null, 0);
        board.Interrupt.CompleteNext();
        Assert.False(NT_SUCCESS(tooSmall.Status));

        var waiting = host.DeviceIoControl(OsrUsbFx2.IOCTL_OSRUSBFX2_GET_INTERRUPT_MESSAGE, null, 1);
        Assert.Equal(STATUS_SUCCESS, host.Remove());
        Assert.Equal(STATUS_DEVICE_REMOVED, waiting.Status);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy OSR USB FX2 port that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class OsrUsbFx2BuggyRuntimeTests
{
    private static WholeDriverHost StartBuggy(out SimulatedIoTarget bulkRead, out SimulatedIoTarget interrupt)
    {
        var host = new WholeDriverHost(OsrUsbFx2Buggy.DriverEntry);
        bulkRead = host.AddNamedTarget(OsrUsbFx2Buggy.BulkReadPipeName);
        host.AddNamedTarget(OsrUsbFx2Buggy.BulkWritePipeName);
        interrupt = host.AddNamedTarget(OsrUsbFx2Buggy.InterruptPipeName);
        interrupt.Mode = TargetCompletionMode.WhenPumped;
        var descriptor = new byte[32];
        descriptor[0] = 9;
        descriptor[2] = 32;
        host.LowerTarget.Responder = request => request.IoControlCode == OsrUsbFx2Buggy.USBFX2_VENDOR_REQUEST(OsrUsbFx2Buggy.USB_REQUEST_GET_DESCRIPTOR)
            ? new TargetIoResponse(STATUS_SUCCESS, (nuint)Math.Min((int)request.OutputLength, 32), descriptor.Take((int)Math.Min((int)request.OutputLength, 32)).ToArray())
            : new TargetIoResponse(STATUS_SUCCESS, request.OutputLength, new byte[(int)request.OutputLength]);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    [Fact]
    public void ConfigurationDescriptorCopiedWithTheCallersLengthIsDrv020()
    {
        using var host = StartBuggy(out _, out _);
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(OsrUsbFx2Buggy.IOCTL_OSRUSBFX2_GET_CONFIG_DESCRIPTOR, null, 64));
        Assert.Equal("DRV020", violation.Rule);
    }

    [Fact]
    public void BarGraphSetWithoutInputIsDrv022()
    {
        using var host = StartBuggy(out _, out _);
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(OsrUsbFx2Buggy.IOCTL_OSRUSBFX2_SET_BAR_GRAPH_DISPLAY, null, 0));
        Assert.Equal("DRV022", violation.Rule);
    }

    [Fact]
    public void FailedReadTracedAfterCompletionIsDrv003()
    {
        using var host = StartBuggy(out var bulkRead, out _);
        bulkRead.RespondWith(STATUS_DEVICE_NOT_READY);
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(4));
        Assert.Equal("DRV003", violation.Rule);
    }

    [Fact]
    public void InterruptReaderReformattedWithoutReuseIsDrv011()
    {
        using var host = StartBuggy(out _, out var interrupt);
        interrupt.RespondWith(STATUS_SUCCESS, new byte[] { 0x11 });
        var violation = Assert.Throws<WdfViolationException>(() => interrupt.CompleteNext());
        Assert.Equal("DRV011", violation.Rule);
    }

    [Fact]
    public void SwitchStateReadFromTheCompletionRoutineIsDrv037()
    {
        using var host = StartBuggy(out _, out var interrupt);
        interrupt.RespondWith(STATUS_SUCCESS, information: 0);
        var violation = Assert.Throws<WdfViolationException>(() => interrupt.CompleteNext());
        Assert.Equal("DRV037", violation.Rule);
    }
}
