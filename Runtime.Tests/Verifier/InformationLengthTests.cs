using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Verifier;

/// <summary>
/// DRV023 at run time is KMDF Verifier's check in FxRequest::Vf_VerifyCompleteInternal: a completion with a success
/// status may not report more bytes than the request's buffer holds (reads, writes, and device-control requests from
/// user mode with an output buffer). A failure status reports a required size, not data, and is not checked.
/// </summary>
public class InformationLengthTests
{
    private static readonly uint Ioctl = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);

    [Fact]
    public void A_read_completed_with_success_and_more_information_than_its_buffer_is_DRV023()
    {
        using var host = new DriverHost { EvtIoRead = (queue, request, length) => WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length + 1) };

        var violation = Expect.Violation("DRV023", () => host.Read(4));

        Assert.Equal(nameof(WdfRequestCompleteWithInformation), violation.Ddi);
    }

    [Fact]
    public void A_write_completed_with_success_and_more_information_than_its_buffer_is_DRV023()
    {
        using var host = new DriverHost { EvtIoWrite = (queue, request, length) => WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length + 1) };

        Expect.Violation("DRV023", () => host.Write(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void A_user_ioctl_completed_with_success_and_more_information_than_its_output_buffer_is_DRV023()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, output, input, code) => WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, output + 8),
        };

        Expect.Violation("DRV023", () => host.DeviceIoControl(Ioctl, null, 4));
    }

    [Fact]
    public void An_ioctl_failed_with_STATUS_BUFFER_TOO_SMALL_may_report_the_size_it_needs()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, output, input, code) => WdfRequestCompleteWithInformation(request, STATUS_BUFFER_TOO_SMALL, 64),
        };

        var result = host.DeviceIoControl(Ioctl, null, 4);

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, result.Status);
        Assert.Equal((nuint)64, result.Information);
        Assert.Equal(new byte[4], result.UserBuffer);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_read_failed_with_an_error_status_and_large_information_is_not_a_violation()
    {
        using var host = new DriverHost { EvtIoRead = (queue, request, length) => WdfRequestCompleteWithInformation(request, STATUS_UNSUCCESSFUL, length + 100) };

        var result = host.Read(new byte[] { 9, 9 });

        Assert.Equal(STATUS_UNSUCCESSFUL, result.Status);
        Assert.Equal(new byte[] { 9, 9 }, result.UserBuffer);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void A_warning_status_such_as_STATUS_BUFFER_OVERFLOW_is_not_checked_and_copies_back_no_more_than_the_buffer()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, output, input, code) =>
            {
                WdfRequestRetrieveOutputBuffer(request, 2, out var buffer, out _);
                buffer.Write<ushort>(0, 0x0707);
                WdfRequestCompleteWithInformation(request, STATUS_BUFFER_OVERFLOW, 16);
            },
        };

        var result = host.DeviceIoControl(Ioctl, null, 2);

        Assert.Equal(STATUS_BUFFER_OVERFLOW, result.Status);
        Assert.Equal(new byte[] { 7, 7 }, result.UserBuffer);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void A_user_ioctl_without_an_output_buffer_is_not_checked()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, output, input, code) => WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, input),
        };

        var result = host.DeviceIoControl(Ioctl, new byte[] { 1, 2, 3 }, 0);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void An_internal_ioctl_from_kernel_mode_is_not_checked()
    {
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, config =>
            config.EvtIoInternalDeviceControl = (queue, request, output, input, code) =>
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, output + 4), out _));

        var result = host.InternalDeviceControl(Ioctl, null, 4);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Empty(host.Violations);
    }
}
