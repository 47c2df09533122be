using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

public class ForwardingReadDriverTests
{
    [Theory]
    [InlineData(WDF_DEVICE_IO_TYPE.WdfDeviceIoBuffered)]
    [InlineData(WDF_DEVICE_IO_TYPE.WdfDeviceIoDirect)]
    public void Forwarded_read_returns_the_lower_drivers_data_to_the_application(WDF_DEVICE_IO_TYPE ioType)
    {
        using var host = new DriverHost(ioType) { EvtIoRead = ForwardingReadDriver.EvtIoRead };
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3, 4 });

        var result = host.Read(8);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)4, result.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 0, 0, 0, 0 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Failed_send_completes_the_request_with_the_send_status()
    {
        using var host = new DriverHost { EvtIoRead = ForwardingReadDriver.EvtIoRead };
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;
        host.LowerTarget.SendFailureStatus = STATUS_DEVICE_NOT_READY;

        var result = host.Read(8);

        Assert.Equal(STATUS_DEVICE_NOT_READY, result.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Pended_read_completes_when_the_target_does()
    {
        using var host = new DriverHost { EvtIoRead = ForwardingReadDriver.EvtIoRead };
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 9, 9 });

        var result = host.Read(2);
        Assert.False(result.IsCompleted);
        Assert.Equal(STATUS_PENDING, result.Status);

        Assert.True(host.LowerTarget.CompleteNext());
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 9, 9 }, result.UserBuffer);
    }

    [Fact]
    public void A_pended_read_completes_as_the_responder_set_before_the_pump_says()
    {
        using var host = new DriverHost { EvtIoRead = ForwardingReadDriver.EvtIoRead };
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        var result = host.Read(2);
        Assert.Equal(STATUS_PENDING, result.Status);
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 7, 7 });

        Assert.True(host.LowerTarget.CompleteNext());
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)2, result.Information);
        Assert.Equal(new byte[] { 7, 7 }, result.UserBuffer);
    }
}
