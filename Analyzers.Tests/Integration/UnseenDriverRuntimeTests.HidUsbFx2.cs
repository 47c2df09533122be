using System;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The HID minidriver port for the OSR USB FX2 (hid/hidusbfx2), whole from DriverEntry, under a simulated HIDClass
/// (internal IOCTLs) and over the board (the lower target answers the vendor control transfers): the descriptors and
/// attributes are copied out, a read report waits in the manual queue until the interrupt endpoint reports a switch and
/// the debounce timer completes it.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    internal static WholeDriverHost StartHidUsbFx2(DRIVER_INITIALIZE driverEntry)
    {
        var host = new WholeDriverHost(driverEntry);
        host.LowerTarget.Responder = request => new TargetIoResponse(STATUS_SUCCESS, request.OutputLength, new byte[request.OutputLength]);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    /// <summary>The interrupt endpoint's continuous reader completing with one byte of switch state.</summary>
    internal static void InterruptEndpointReports(WholeDriverHost host, Action<WDFMEMORY, nuint> readComplete, byte switches) => host.Run(() =>
    {
        Assert.Equal(STATUS_SUCCESS, WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, HidUsbFx2.POOL_TAG, 1, out var memory, out var buffer));
        buffer.Write<byte>(0, switches);
        readComplete(memory, 1);
        WdfObjectDelete(memory);
    });

    [Fact]
    public void HidUsbFx2AnswersItsDescriptorsAndCompletesAReadWhenASwitchToggles()
    {
        using var host = StartHidUsbFx2(HidUsbFx2.DriverEntry);
        var context = HidUsbFx2.GetDeviceContext(host.Device);

        var hidDescriptor = host.InternalDeviceControl(HidUsbFx2.IOCTL_HID_GET_DEVICE_DESCRIPTOR, null, 9);
        Assert.Equal(STATUS_SUCCESS, hidDescriptor.Status);
        Assert.Equal((nuint)9, hidDescriptor.Information);
        Assert.Equal(0x21, hidDescriptor.UserBuffer[1]);

        var reportDescriptor = host.InternalDeviceControl(HidUsbFx2.IOCTL_HID_GET_REPORT_DESCRIPTOR, null, HidUsbFx2.DefaultReportDescriptorBytes.Length);
        Assert.Equal(HidUsbFx2.DefaultReportDescriptorBytes, reportDescriptor.UserBuffer);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.InternalDeviceControl(HidUsbFx2.IOCTL_HID_GET_REPORT_DESCRIPTOR, null, 8).Status);

        var attributes = host.InternalDeviceControl(HidUsbFx2.IOCTL_HID_GET_DEVICE_ATTRIBUTES, null, (int)HidUsbFx2.SIZEOF_HID_DEVICE_ATTRIBUTES);
        Assert.Equal(STATUS_SUCCESS, attributes.Status);
        Assert.Equal(0x0547, BitConverter.ToUInt16(attributes.UserBuffer, 4));

        var read = host.InternalDeviceControl(HidUsbFx2.IOCTL_HID_READ_REPORT, null, (int)HidUsbFx2.SIZEOF_HIDFX2_INPUT_REPORT);
        Assert.False(read.IsCompleted);
        Action<WDFMEMORY, nuint> readComplete = (memory, bytes) => HidUsbFx2.HidFx2EvtUsbInterruptPipeReadComplete(memory, bytes, context);
        InterruptEndpointReports(host, readComplete, 0x00); // the power-up state, ignored
        InterruptEndpointReports(host, readComplete, 0x04);
        host.AdvanceTime(TimeSpan.FromMilliseconds(HidUsbFx2.SWICTHPACK_DEBOUNCE_TIME_IN_MS));
        Assert.Equal(STATUS_SUCCESS, read.Status);
        Assert.Equal(new byte[] { HidUsbFx2.CONSUMER_CONTROL_REPORT_ID, 0x04 }, read.UserBuffer);

        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>
/// The bugs of the buggy HID FX2 minidriver that the runtime sees, raised under the analyzers' rule IDs. The two-byte report
/// written into a one-byte read (DRV024) cannot be reached: the same variant's DRV002 bug completes every forwarded read at
/// once, so the manual queue is empty when the debounce timer runs.
/// </summary>
public sealed class HidUsbFx2BuggyRuntimeTests
{
    [Fact]
    public void ReportDescriptorCopiedIntoAShortBufferIsDrv020()
    {
        using var host = UnseenDriverRuntimeTests.StartHidUsbFx2(HidUsbFx2Buggy.DriverEntry);
        var violation = Assert.Throws<WdfViolationException>(() => host.InternalDeviceControl(HidUsbFx2Buggy.IOCTL_HID_GET_REPORT_DESCRIPTOR, null, 8));
        Assert.Equal("DRV020", violation.Rule);
    }
}
