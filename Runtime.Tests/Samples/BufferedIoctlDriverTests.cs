using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

public class BufferedIoctlDriverTests
{
    [Fact]
    public void Echo_returns_the_input_in_the_output_buffer()
    {
        using var host = new DriverHost { EvtIoDeviceControl = BufferedIoctlDriver.EvtIoDeviceControl };

        var result = host.DeviceIoControl(BufferedIoctlDriver.IOCTL_ECHO, new byte[] { 1, 2, 3 }, 5);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)3, result.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Output_buffer_too_small_fails_with_STATUS_BUFFER_TOO_SMALL_and_returns_nothing()
    {
        using var host = new DriverHost { EvtIoDeviceControl = BufferedIoctlDriver.EvtIoDeviceControl };

        var result = host.DeviceIoControl(BufferedIoctlDriver.IOCTL_ECHO, new byte[] { 1, 2, 3 }, 2);

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, result.Status);
        Assert.Equal((nuint)0, result.Information);
        Assert.Equal(new byte[] { 0, 0 }, result.UserBuffer);
    }

    [Fact]
    public void Missing_input_fails_with_STATUS_BUFFER_TOO_SMALL()
    {
        using var host = new DriverHost { EvtIoDeviceControl = BufferedIoctlDriver.EvtIoDeviceControl };

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.DeviceIoControl(BufferedIoctlDriver.IOCTL_ECHO, null, 4).Status);
    }

    [Fact]
    public void Unknown_code_is_rejected()
    {
        using var host = new DriverHost { EvtIoDeviceControl = BufferedIoctlDriver.EvtIoDeviceControl };

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS), new byte[1], 1).Status);
    }
}
