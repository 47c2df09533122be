using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
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

    /// <summary>
    /// A request forwarded to a manual queue belongs to the queue: completing it there (the buggy HID FX2 port's read
    /// path, which breaks out of its switch into the common completion) is what KMDF Verifier stops the system for. The
    /// runtime raises InvalidRequestState and leaves the request in its queue, where the driver retrieves and completes it once.
    /// </summary>
    [Fact]
    public void Completing_a_request_the_driver_forwarded_to_a_manual_queue_is_InvalidRequestState_and_it_stays_queued()
    {
        using var host = new DriverHost();
        var manual = host.AddQueue();
        host.EvtIoRead = (queue, request, length) =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfRequestForwardToIoQueue(request, manual));
            WdfRequestComplete(request, STATUS_NOT_SUPPORTED);
        };

        var violation = Expect.Violation("InvalidRequestState", () => host.Read(1));
        Assert.Equal("WdfRequestComplete", violation.Ddi);
        Assert.Contains("no longer owns it", violation.Message, System.StringComparison.Ordinal);

        var waiting = Assert.Single(host.OutstandingRequests);
        host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfIoQueueRetrieveNextRequest(manual, out var request));
            Assert.Equal(waiting, request);
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 1);
        });
        Assert.Empty(host.OutstandingRequests);
        Assert.Single(host.Violations);
    }

    /// <summary>A forwarded request the driver retrieves again is its own to complete: no violation.</summary>
    [Fact]
    public void A_forwarded_request_retrieved_again_is_completed_without_a_violation()
    {
        using var host = new DriverHost();
        var manual = host.AddQueue();
        host.EvtIoRead = (queue, request, length) =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfRequestForwardToIoQueue(request, manual));
            Assert.Equal(STATUS_SUCCESS, WdfIoQueueRetrieveNextRequest(manual, out var again));
            Assert.Equal(request, again);
            WdfRequestComplete(again, STATUS_SUCCESS);
        };

        Assert.Equal(STATUS_SUCCESS, host.Read(1).Status);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}
