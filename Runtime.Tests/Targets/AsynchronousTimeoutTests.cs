using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Targets;

/// <summary>Asynchronous sends with WDF_REQUEST_SEND_OPTION_TIMEOUT, in simulated time.</summary>
public class AsynchronousTimeoutTests
{
    [Fact]
    public void Expired_requests_complete_with_STATUS_IO_TIMEOUT_and_others_stay_pending()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.EvtIoRead = (queue, request, length) =>
        {
            WdfRequestFormatRequestUsingCurrentType(request);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => WdfRequestComplete(r, p.IoStatus.Status), WDF_NO_CONTEXT);
            WDF_REQUEST_SEND_OPTIONS_INIT(out var options, 0);
            if (length == 1)
            {
                WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(options, WDF_REL_TIMEOUT_IN_SEC(1));
            }
            WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), options);
        };

        var timed = host.Read(1);
        var untimed = host.Read(2);

        Assert.Equal(1, host.LowerTarget.ExpireTimeouts());
        Assert.Equal(STATUS_IO_TIMEOUT, timed.Status);
        Assert.False(untimed.IsCompleted);
        Assert.Equal(0, host.LowerTarget.ExpireTimeouts());
        Assert.True(host.LowerTarget.CompleteNext());
        Assert.Equal(STATUS_SUCCESS, untimed.Status);
        Assert.True(host.Unload().IsClean);
    }
}
