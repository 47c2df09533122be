using System;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Hosting;

public class HostTests
{
    [Fact]
    public void A_pending_result_has_no_status_information_or_bytes_yet()
    {
        using var host = new DriverHost { EvtIoRead = (queue, request, length) => { } };

        var result = host.Read(new byte[] { 1, 2 });

        Assert.False(result.IsCompleted);
        Assert.Equal(STATUS_PENDING, result.Status);
        Assert.Equal((nuint)0, result.Information);
        Assert.Empty(result.UserBuffer);
        Assert.False(result.Wait(TimeSpan.Zero));
        Assert.StartsWith("WDFREQUEST#", result.Request);
        Assert.EndsWith("pending", result.ToString());
        Assert.Single(host.OutstandingRequests);
    }

    [Fact]
    public void Unload_reports_once_and_the_host_takes_no_more_requests()
    {
        var host = new DriverHost { EvtIoRead = (queue, request, length) => { } };
        host.Read(1);

        Assert.Equal(new[] { "DRV004" }, host.Unload().Rules);
        Assert.True(host.Unload().IsClean);
        Assert.Throws<InvalidOperationException>(() => host.Read(1));
        host.Dispose();
    }

    [Fact]
    public void Pool_used_outside_a_request_is_attributed_to_the_host_that_ran_the_code()
    {
        using var first = new DriverHost();
        using var second = new DriverHost();
        first.Run(() => ExAllocatePool2(POOL_FLAG_PAGED, 10, Tags.Test));

        Assert.Equal(1, first.Pool.OutstandingAllocations);
        Assert.Equal(10, first.Pool.OutstandingBytes);
        Assert.Equal(0, second.Pool.OutstandingAllocations);
        Assert.Equal(new[] { "PoolLeak" }, first.Unload().Rules);
        Assert.True(second.Unload().IsClean);
    }

    [Fact]
    public void Violations_are_recorded_even_when_thrown()
    {
        using var host = new DriverHost();
        Assert.Throws<WdfViolationException>(() => host.Run(() => WdfObjectDelete(NULL)));
        Assert.Equal("DRV022", Assert.Single(host.Violations).Rule);
    }

    [Fact]
    public void Additional_targets_are_independent()
    {
        using var host = new DriverHost();
        var other = host.AddIoTarget("second");
        other.RespondWith(STATUS_SUCCESS, new byte[] { 3 });
        host.EvtIoRead = (queue, request, length) =>
        {
            WdfRequestFormatRequestUsingCurrentType(request);
            WdfRequestSend(request, other.Handle, WDF_NO_SEND_OPTIONS);
        };

        Assert.Equal(new byte[] { 3 }, host.Read(1).UserBuffer);
        Assert.Single(other.Received);
        Assert.Empty(host.LowerTarget.Received);
        Assert.Equal("second", other.Name);
    }
}
