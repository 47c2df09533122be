using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>Queues of a KMDF device: sequential, parallel and manual dispatch, request-type routing, stop, start and purge.</summary>
public class QueueDispatchTests
{
    [Fact]
    public void A_sequential_queue_presents_the_next_request_only_when_the_driver_completed_the_current_one()
    {
        var presented = new List<WDFREQUEST>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchSequential,
            config => config.EvtIoRead = (queue, request, length) => presented.Add(request), out _));

        var first = host.Read(1);
        var second = host.Read(1);
        Assert.Single(presented);

        host.Run(() => WdfRequestComplete(presented[0], STATUS_SUCCESS));
        Assert.True(first.IsCompleted);
        Assert.Equal(2, presented.Count);
        Assert.False(second.IsCompleted);

        host.Run(() => WdfRequestComplete(presented[1], STATUS_SUCCESS));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_sequential_queue_whose_driver_completes_inline_presents_every_request_without_recursing()
    {
        int depth = 0;
        int deepest = 0;
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchSequential,
            config => config.EvtIoWrite = (queue, request, length) =>
            {
                deepest = System.Math.Max(deepest, ++depth);
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length);
                depth--;
            }, out _));

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(STATUS_SUCCESS, host.Write(new byte[] { (byte)i }).Status);
        }
        Assert.Equal(1, deepest);
    }

    [Fact]
    public void A_parallel_queue_presents_requests_while_earlier_ones_are_still_owned_by_the_driver_up_to_its_limit()
    {
        var presented = new List<WDFREQUEST>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, config =>
        {
            config.EvtIoRead = (queue, request, length) => presented.Add(request);
            config.Settings.Parallel.NumberOfPresentedRequests = 2;
        }, out _));

        host.Read(1);
        host.Read(1);
        host.Read(1);
        Assert.Equal(2, presented.Count);

        host.Run(() => WdfRequestComplete(presented[0], STATUS_SUCCESS));
        Assert.Equal(3, presented.Count);
        host.Run(() =>
        {
            WdfRequestComplete(presented[1], STATUS_SUCCESS);
            WdfRequestComplete(presented[2], STATUS_SUCCESS);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Requests_configured_for_a_manual_queue_wait_there_until_the_driver_retrieves_them()
    {
        WDFQUEUE manual = default;
        int defaultQueueReads = 0;
        using var host = KmdfHarness.Start(device =>
        {
            KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, config => config.EvtIoRead = (q, r, l) => defaultQueueReads++, out _);
            WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchManual);
            var status = WdfIoQueueCreate(device, config, WDF_NO_OBJECT_ATTRIBUTES, out manual);
            return NT_SUCCESS(status) ? WdfDeviceConfigureRequestDispatching(device, manual, WdfRequestTypeRead) : status;
        });

        var read = host.Read(1);
        Assert.False(read.IsCompleted);
        Assert.Equal(0, defaultQueueReads);
        host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfIoQueueRetrieveNextRequest(manual, out var request));
            Assert.Equal(manual, WdfRequestGetIoQueue(request));
            WdfRequestComplete(request, STATUS_SUCCESS);
            Assert.Equal(STATUS_NO_MORE_ENTRIES, WdfIoQueueRetrieveNextRequest(manual, out _));
        });
        Assert.Equal(STATUS_SUCCESS, read.Status);
    }

    [Fact]
    public void Queue_creation_and_dispatching_fail_with_KMDFs_statuses()
    {
        var statuses = new List<NTSTATUS>();
        using var host = KmdfHarness.Start(device =>
        {
            WDF_IO_QUEUE_CONFIG_INIT(out var noCallback, WdfIoQueueDispatchParallel);
            statuses.Add(WdfIoQueueCreate(device, noCallback, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE));
            WDF_IO_QUEUE_CONFIG_INIT(out var invalid, (WDF_IO_QUEUE_DISPATCH_TYPE)42);
            statuses.Add(WdfIoQueueCreate(device, invalid, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE));
            KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, c => c.EvtIoDefault = (q, r) => { }, out var first);
            statuses.Add(KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, c => c.EvtIoDefault = (q, r) => { }, out _));
            WDF_IO_QUEUE_CONFIG_INIT(out var manualConfig, WdfIoQueueDispatchManual);
            WdfIoQueueCreate(device, manualConfig, WDF_NO_OBJECT_ATTRIBUTES, out var manual);
            statuses.Add(WdfDeviceConfigureRequestDispatching(device, manual, WdfRequestTypeClose));
            statuses.Add(WdfDeviceConfigureRequestDispatching(device, manual, WdfRequestTypeWrite));
            statuses.Add(WdfDeviceConfigureRequestDispatching(device, first, WdfRequestTypeWrite));
            return STATUS_SUCCESS;
        });

        Assert.Equal(new[] { STATUS_WDF_NO_CALLBACK, STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_STATE,
            STATUS_INVALID_PARAMETER, STATUS_SUCCESS, STATUS_WDF_BUSY }, statuses);
    }

    [Fact]
    public void A_stopped_queue_keeps_requests_until_it_is_started_and_a_purge_cancels_those_waiting()
    {
        WDFQUEUE queue = default;
        var presented = new List<WDFREQUEST>();
        bool stopped = false;
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoRead = (q, r, l) => { presented.Add(r); WdfRequestComplete(r, STATUS_SUCCESS); }, out queue));

        host.Run(() => WdfIoQueueStop(queue, (q, context) => stopped = (string?)context == "done", "done"));
        Assert.True(stopped);
        var held = host.Read(1);
        Assert.Empty(presented);
        host.Run(() => WdfIoQueueStart(queue));
        Assert.Equal(STATUS_SUCCESS, held.Status);

        host.Run(() => WdfIoQueueStop(queue, NULL, NULL));
        var waiting = host.Read(1);
        host.Run(() => WdfIoQueuePurgeSynchronously(queue));
        Assert.Equal(STATUS_CANCELLED, waiting.Status);
        Assert.Equal(STATUS_CANCELLED, host.Read(1).Status);
        Assert.Single(presented);
    }

    [Fact]
    public void A_request_canceled_while_it_waits_goes_to_EvtIoCanceledOnQueue()
    {
        WDFQUEUE queue = default;
        var canceled = new List<WDFREQUEST>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchManual, config =>
            config.EvtIoCanceledOnQueue = (q, request) =>
            {
                canceled.Add(request);
                WdfRequestCompleteWithInformation(request, STATUS_CANCELLED, 0);
            }, out queue));

        var read = host.Read(4);
        Assert.True(read.Cancel());

        Assert.Single(canceled);
        Assert.Equal(STATUS_CANCELLED, read.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Removing_the_device_calls_EvtIoStop_for_requests_the_driver_owns()
    {
        var stops = new List<uint>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, config =>
        {
            config.EvtIoRead = (q, r, l) => { };
            config.EvtIoStop = (q, request, flags) =>
            {
                stops.Add(flags);
                WdfRequestComplete(request, STATUS_CANCELLED);
            };
        }, out _));
        var read = host.Read(1);

        Assert.Equal(STATUS_SUCCESS, host.Remove());

        Assert.Equal(new[] { WdfRequestStopActionPurge }, stops);
        Assert.Equal(STATUS_CANCELLED, read.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_filter_passes_request_types_it_has_no_queue_for_to_its_lower_device()
    {
        using var host = KmdfHarness.Start(device => STATUS_SUCCESS, WdfFdoInitSetFilter);
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 4, 2 });

        var read = host.Read(2);

        Assert.Equal(new byte[] { 4, 2 }, read.UserBuffer);
        Assert.Single(host.LowerTarget.Received);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_request_forwarded_to_another_queue_of_the_device_is_presented_there()
    {
        WDFQUEUE second = default;
        var seenBy = new List<string>();
        using var host = KmdfHarness.Start(device =>
        {
            WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchSequential);
            config.EvtIoRead = (q, r, l) => { seenBy.Add("second"); WdfRequestComplete(r, STATUS_SUCCESS); };
            WdfIoQueueCreate(device, config, WDF_NO_OBJECT_ATTRIBUTES, out second);
            return KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchSequential, c => c.EvtIoRead = (q, r, l) =>
            {
                seenBy.Add("default");
                WdfRequestForwardToIoQueue(r, second);
            }, out _);
        });

        Assert.Equal(STATUS_SUCCESS, host.Read(1).Status);
        Assert.Equal(STATUS_SUCCESS, host.Read(1).Status);
        Assert.Equal(new[] { "default", "second", "default", "second" }, seenBy);
    }
}
