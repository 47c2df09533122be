using System;
using System.Linq;
using System.Text;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The virtual HID minidriver port, whole from DriverEntry, with HIDClass's internal device controls.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    [Fact]
    public void VHidMini2ParksReadReportsForItsTimerAndRunsClean()
    {
        using var host = new WholeDriverHost(VHidMini2.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var first = host.InternalDeviceControl(VHidMini2.IOCTL_HID_READ_REPORT, null, VHidMini2.HIDMINI_INPUT_REPORT_SIZE);
        var second = host.InternalDeviceControl(VHidMini2.IOCTL_HID_READ_REPORT, null, VHidMini2.HIDMINI_INPUT_REPORT_SIZE);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        Assert.Equal(STATUS_NOT_IMPLEMENTED, host.InternalDeviceControl(VHidMini2.IOCTL_HID_ACTIVATE_DEVICE, null, 0).Status);
        Assert.Equal(STATUS_NOT_IMPLEMENTED, host.InternalDeviceControl(VHidMini2.IOCTL_GET_PHYSICAL_DESCRIPTOR, null, 4).Status);

        // The periodic timer answers one parked read report per tick.
        host.AdvanceTime(TimeSpan.FromMilliseconds(1100));
        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        host.AdvanceTime(TimeSpan.FromSeconds(5));
        Assert.True(second.IsCompleted);

        var parkedAtRemoval = host.InternalDeviceControl(VHidMini2.IOCTL_HID_READ_REPORT, null, VHidMini2.HIDMINI_INPUT_REPORT_SIZE);
        Assert.True(host.Unload().IsClean);
        Assert.Equal(STATUS_CANCELLED, parkedAtRemoval.Status);
    }

    /// <summary>
    /// The HID exchange itself: descriptors, attributes, strings, reports and features. Every HID request is an internal
    /// device control from HIDClass, a kernel-mode sender; KMDF hands out its buffers (METHOD_NEITHER ones as the kernel
    /// pointers they are) and does not check the information of an internal device control. The runtime does the same:
    /// RequestBuffers.Locate/Retrieve (internal device controls, and METHOD_NEITHER from kernel mode), IrpBuilder.UserAddress
    /// (a probe and pageable memory only for a UserMode sender), RequestCompleter.CheckInformationFitsBuffer (no check for
    /// internal device controls); Runtime.Tests/Requests/InternalDeviceControlBufferTests.
    /// </summary>
    [Fact]
    public void VHidMini2AnswersHidClassWithItsDescriptorsReportsAndFeatures()
    {
        using var host = new WholeDriverHost(VHidMini2.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var hidDescriptor = host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_DEVICE_DESCRIPTOR, null, 64);
        Assert.Equal(STATUS_SUCCESS, hidDescriptor.Status);
        Assert.Equal((nuint)VHidMini2.HID_DESCRIPTOR_SIZE, hidDescriptor.Information);
        Assert.Equal(new byte[] { 9, 0x21, 0x00, 0x01, 0, 1, 0x22, (byte)VHidMini2.G_DefaultReportDescriptor.Length, 0 }, hidDescriptor.UserBuffer.Take(9));

        var reportDescriptor = host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_REPORT_DESCRIPTOR, null, 128);
        Assert.Equal(VHidMini2.G_DefaultReportDescriptor, reportDescriptor.UserBuffer.Take(VHidMini2.G_DefaultReportDescriptor.Length));
        Assert.Equal(STATUS_INVALID_BUFFER_SIZE, host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_REPORT_DESCRIPTOR, null, 8).Status);

        var attributes = host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_DEVICE_ATTRIBUTES, null, VHidMini2.HID_DEVICE_ATTRIBUTES_SIZE);
        Assert.Equal(VHidMini2.HIDMINI_VID, BitConverter.ToUInt16(attributes.UserBuffer, 4));
        Assert.Equal(VHidMini2.HIDMINI_PID, BitConverter.ToUInt16(attributes.UserBuffer, 6));

        var product = host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_STRING, BitConverter.GetBytes(VHidMini2.HID_STRING_ID_IPRODUCT | (1033u << 16)), 256);
        Assert.Equal(VHidMini2.VHIDMINI_PRODUCT_STRING + "\0", Encoding.Unicode.GetString(product.UserBuffer, 0, (int)product.Information));
        Assert.Equal(STATUS_INVALID_PARAMETER, host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_INDEXED_STRING, BitConverter.GetBytes(4u), 256).Status);

        // WRITE_REPORT stores the device data; the timer returns it in the next read report.
        var output = new byte[] { VHidMini2.CONTROL_COLLECTION_REPORT_ID, 0x5A, 0, 0, 0, 0, 0, 0 };
        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(VHidMini2.IOCTL_HID_WRITE_REPORT, output, VHidMini2.CONTROL_COLLECTION_REPORT_ID).Status);
        var read = host.InternalDeviceControl(VHidMini2.IOCTL_HID_READ_REPORT, null, VHidMini2.HIDMINI_INPUT_REPORT_SIZE);
        host.AdvanceTime(TimeSpan.FromMilliseconds(1100));
        Assert.Equal(new byte[] { VHidMini2.CONTROL_FEATURE_REPORT_ID, 0x5A }, read.UserBuffer);

        // SET_FEATURE changes the attributes GET_FEATURE reports.
        var setAttributes = new byte[] { VHidMini2.CONTROL_COLLECTION_REPORT_ID, VHidMini2.HIDMINI_CONTROL_CODE_SET_ATTRIBUTES, 0x34, 0x12, 0x78, 0x56, 0x02, 0x00, 0, 0 };
        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(VHidMini2.IOCTL_HID_SET_FEATURE, setAttributes, VHidMini2.CONTROL_COLLECTION_REPORT_ID).Status);
        var feature = host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_FEATURE, new[] { VHidMini2.CONTROL_COLLECTION_REPORT_ID }, 7);
        Assert.Equal(new byte[] { 0x78, 0x56, 0x34, 0x12, 0x02, 0x00 }, feature.UserBuffer.Skip(1));

        Assert.Equal(STATUS_SUCCESS, host.InternalDeviceControl(VHidMini2.IOCTL_HID_SET_OUTPUT_REPORT, new byte[] { 1, 0x77, 0, 0, 0, 0, 0, 0 }, VHidMini2.CONTROL_COLLECTION_REPORT_ID).Status);
        var input = host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_INPUT_REPORT, new[] { VHidMini2.CONTROL_COLLECTION_REPORT_ID }, 2);
        Assert.Equal(new byte[] { VHidMini2.CONTROL_COLLECTION_REPORT_ID, 0x77 }, input.UserBuffer);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.InternalDeviceControl(VHidMini2.IOCTL_HID_GET_INPUT_REPORT, new byte[] { 2 }, 2).Status);

        Assert.True(host.Unload().IsClean);
    }
}

/// <summary>The bugs of the buggy HID minidriver that the runtime sees, each on one of HIDClass's internal device controls
/// (or the timer), raised under the analyzers' rule IDs.</summary>
public sealed class VHidMini2BuggyRuntimeTests
{
    private static WholeDriverHost StartBuggy()
    {
        var host = new WholeDriverHost(VHidMini2Buggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    [Fact]
    public void ReportDescriptorCopiedWithHidClassesBufferLengthIsDrv020()
    {
        using var host = StartBuggy();
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.InternalDeviceControl(VHidMini2Buggy.IOCTL_HID_GET_REPORT_DESCRIPTOR, null, VHidMini2Buggy.G_DefaultReportDescriptor.Length + 16));
        Assert.Equal("DRV020", violation.Rule);
    }

    [Fact]
    public void WriteReportWithoutAReportBufferReadsTheFailedRetrievesNullBufferIsDrv022()
    {
        using var host = StartBuggy();
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.InternalDeviceControl(VHidMini2Buggy.IOCTL_HID_WRITE_REPORT, null, VHidMini2Buggy.CONTROL_COLLECTION_REPORT_ID));
        Assert.Equal("DRV022", violation.Rule);
    }

    [Fact]
    public void InputReportWrittenPastAOneByteBufferIsDrv024()
    {
        using var host = StartBuggy();
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.InternalDeviceControl(VHidMini2Buggy.IOCTL_HID_GET_INPUT_REPORT, new[] { VHidMini2Buggy.CONTROL_COLLECTION_REPORT_ID }, 1));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void PagedPoolAllocatedByTheTimerIsDrv037()
    {
        using var host = new WholeDriverHost(VHidMini2Buggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var violation = Assert.Throws<WdfViolationException>(() => host.AdvanceTime(TimeSpan.FromMilliseconds(1100)));
        Assert.Equal("DRV037", violation.Rule);
    }
}
