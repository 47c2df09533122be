using System;
using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Deferred;

/// <summary>Framework timers on simulated time: due times, periods, stop, parents, and the IRQL of their callbacks.</summary>
public class TimerTests
{
    private static WDFTIMER CreateTimer(DriverHost host, EVT_WDF_TIMER callback, uint period = 0, WDFOBJECT parent = default)
    {
        return host.Run(() =>
        {
            WDF_TIMER_CONFIG_INIT_PERIODIC(out var config, callback, period);
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = parent == default ? host.Device : parent;
            Assert.Equal(STATUS_SUCCESS, WdfTimerCreate(config, attributes, out var timer));
            return timer;
        });
    }

    [Fact]
    public void A_one_shot_timer_fires_once_when_its_due_time_has_passed_at_DISPATCH_LEVEL()
    {
        using var host = new DriverHost();
        var fired = new List<(TimeSpan At, KIRQL Irql)>();
        var timer = CreateTimer(host, t => fired.Add((host.SystemTime, KeGetCurrentIrql())));
        host.Run(() => Assert.False(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(100))));

        Assert.Equal(0, host.AdvanceTime(TimeSpan.FromMilliseconds(99)));
        Assert.Empty(fired);
        Assert.Equal(1, host.AdvanceTime(TimeSpan.FromMilliseconds(50)));

        Assert.Equal(new[] { (TimeSpan.FromMilliseconds(100), DISPATCH_LEVEL) }, fired);
        Assert.Equal(0, host.AdvanceTime(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(10_149), host.SystemTime);
    }

    [Fact]
    public void A_periodic_timer_fires_every_period_until_stopped()
    {
        using var host = new DriverHost();
        int fired = 0;
        var timer = CreateTimer(host, t => fired++, period: 10);
        host.Run(() => WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(5)));

        host.AdvanceTime(TimeSpan.FromMilliseconds(35));
        Assert.Equal(4, fired);

        host.Run(() =>
        {
            Assert.True(WdfTimerStop(timer, TRUE));
            Assert.False(WdfTimerStop(timer, FALSE));
        });
        host.AdvanceTime(TimeSpan.FromSeconds(1));
        Assert.Equal(4, fired);
    }

    [Fact]
    public void Restarting_a_waiting_timer_moves_its_due_time_and_an_absolute_due_time_is_system_time()
    {
        using var host = new DriverHost();
        var fired = new List<TimeSpan>();
        var timer = CreateTimer(host, t => fired.Add(host.SystemTime));
        host.Run(() =>
        {
            WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(10));
            Assert.True(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(30)));
        });
        host.AdvanceTime(TimeSpan.FromMilliseconds(50));
        host.Run(() =>
        {
            KeQuerySystemTime(out long now);
            WdfTimerStart(timer, now + 20 * 10_000);
        });
        host.AdvanceTime(TimeSpan.FromMilliseconds(50));

        Assert.Equal(new[] { TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(70) }, fired);
    }

    [Fact]
    public void A_timer_needs_a_parent_that_leads_to_a_device_and_stops_with_it()
    {
        using var host = new DriverHost();
        int fired = 0;
        host.Run(() =>
        {
            WDF_TIMER_CONFIG_INIT(out var config, t => fired++);
            Assert.Equal(STATUS_WDF_PARENT_NOT_SPECIFIED, WdfTimerCreate(config, WDF_NO_OBJECT_ATTRIBUTES, out var none));
            Assert.Equal(default, none);
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 8, out var memory, NULL);
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = memory;
            Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, WdfTimerCreate(config, attributes, out _));
            WdfObjectDelete(memory);
            Expect.Violation("RequiredParameterIsNull", () => WdfTimerCreate(null!, attributes, out _));
        });
        var queue = host.AddQueue();
        WDFTIMER timer = CreateTimer(host, t => fired++, parent: queue);
        host.Run(() =>
        {
            Assert.Equal(queue, (WDFQUEUE)WdfTimerGetParentObject(timer));
            WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
        });

        host.Unload();
        Assert.Equal(0, host.AdvanceTime(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, fired);
    }

    [Fact]
    public void Waiting_for_a_timer_from_its_own_callback_at_DISPATCH_LEVEL_is_WrongIrql()
    {
        using var host = new DriverHost();
        var timer = CreateTimer(host, t => WdfTimerStop(t, TRUE));
        host.Run(() => WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1)));

        var violation = Expect.Violation("WrongIrql", () => host.AdvanceTime(TimeSpan.FromMilliseconds(1)));
        Assert.Equal("WdfTimerStop", violation.Ddi);
        Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
    }
}
