using System.Collections.Generic;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Deferred;

/// <summary>DPCs run at DISPATCH_LEVEL and work items at PASSIVE_LEVEL when simulated time moves; each is queued once until it runs.</summary>
public class DpcAndWorkItemTests
{
    private static WDF_OBJECT_ATTRIBUTES ParentedTo(WDFOBJECT parent)
    {
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ParentObject = parent;
        return attributes;
    }

    [Fact]
    public void A_dpc_queued_twice_runs_once_at_DISPATCH_LEVEL_and_a_canceled_one_not_at_all()
    {
        using var host = new DriverHost();
        var runs = new List<KIRQL>();
        var dpc = host.Run(() =>
        {
            WDF_DPC_CONFIG_INIT(out var config, d => runs.Add(KeGetCurrentIrql()));
            Assert.Equal(STATUS_SUCCESS, WdfDpcCreate(config, ParentedTo(host.Device), out var created));
            Assert.Equal(host.Device, (WDFDEVICE)WdfDpcGetParentObject(created));
            Assert.True(WdfDpcEnqueue(created));
            Assert.False(WdfDpcEnqueue(created));
            return created;
        });

        Assert.Empty(runs);
        Assert.Equal(1, host.RunDeferredWork());
        Assert.Equal(new[] { DISPATCH_LEVEL }, runs);

        host.Run(() =>
        {
            WdfDpcEnqueue(dpc);
            Assert.True(WdfDpcCancel(dpc, FALSE));
        });
        host.RunDeferredWork();
        Assert.Single(runs);
    }

    [Fact]
    public void A_work_item_runs_at_PASSIVE_LEVEL_when_time_moves_or_at_once_when_flushed()
    {
        using var host = new DriverHost();
        var runs = new List<KIRQL>();
        var workItem = host.Run(() =>
        {
            WDF_WORKITEM_CONFIG_INIT(out var config, w => runs.Add(KeGetCurrentIrql()));
            Assert.Equal(STATUS_SUCCESS, WdfWorkItemCreate(config, ParentedTo(host.Queue), out var created));
            Assert.Equal(host.Queue, (WDFQUEUE)WdfWorkItemGetParentObject(created));
            WdfWorkItemEnqueue(created);
            WdfWorkItemEnqueue(created);
            return created;
        });
        host.AdvanceTime(System.TimeSpan.FromMilliseconds(1));
        Assert.Equal(new[] { PASSIVE_LEVEL }, runs);

        host.Run(() =>
        {
            WdfWorkItemEnqueue(workItem);
            WdfWorkItemFlush(workItem);
            Assert.Equal(2, runs.Count);
            WdfWorkItemFlush(workItem);
        });
        Assert.Equal(0, host.RunDeferredWork());
        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public void A_dpc_queues_a_work_item_and_both_run_in_one_step_of_time()
    {
        using var host = new DriverHost();
        var order = new List<string>();
        host.Run(() =>
        {
            WDF_WORKITEM_CONFIG_INIT(out var workConfig, w => order.Add("work item"));
            WdfWorkItemCreate(workConfig, ParentedTo(host.Device), out var workItem);
            WDF_DPC_CONFIG_INIT(out var dpcConfig, d => { order.Add("dpc"); WdfWorkItemEnqueue(workItem); });
            WdfDpcCreate(dpcConfig, ParentedTo(host.Device), out var dpc);
            WdfDpcEnqueue(dpc);
        });

        Assert.Equal(2, host.RunDeferredWork());
        Assert.Equal(new[] { "dpc", "work item" }, order);
    }
}
