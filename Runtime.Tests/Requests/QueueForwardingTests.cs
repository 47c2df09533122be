using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

public class QueueForwardingTests
{
    [Fact]
    public void Requests_forwarded_to_a_manual_queue_wait_until_retrieved()
    {
        using var host = new DriverHost();
        var manual = host.AddQueue();
        host.EvtIoRead = (queue, request, length) => Assert.Equal(STATUS_SUCCESS, WdfRequestForwardToIoQueue(request, manual));

        var first = host.Read(1);
        var second = host.Read(1);
        Assert.False(first.IsCompleted || second.IsCompleted);
        Assert.Equal(2, host.OutstandingRequests.Count);

        host.Run(() =>
        {
            while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(manual, out var request)))
            {
                Assert.Equal(manual, WdfRequestGetIoQueue(request));
                WdfRequestComplete(request, STATUS_CANCELLED);
            }
            Assert.Equal(STATUS_NO_MORE_ENTRIES, WdfIoQueueRetrieveNextRequest(manual, out var none));
            Assert.Equal(default, none);
        });

        Assert.Equal(STATUS_CANCELLED, first.Status);
        Assert.Equal(STATUS_CANCELLED, second.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Forwarding_to_a_queue_with_callbacks_dispatches_there()
    {
        using var host = new DriverHost();
        var other = host.AddQueue(evtIoRead: (queue, request, length) => WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 1));
        NTSTATUS again = STATUS_SUCCESS;
        host.EvtIoRead = (queue, request, length) =>
        {
            again = WdfRequestForwardToIoQueue(request, queue);
            WdfRequestForwardToIoQueue(request, other);
        };

        Assert.Equal((nuint)1, host.Read(1).Information);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, again);
    }

    [Fact]
    public void Requests_left_in_a_manual_queue_are_DRV004_at_unload()
    {
        using var host = new DriverHost();
        var manual = host.AddQueue();
        host.EvtIoWrite = (queue, request, length) => WdfRequestForwardToIoQueue(request, manual);
        host.Write(new byte[1]);

        Assert.Equal(new[] { "DRV004" }, host.Unload().Rules);
    }
}
