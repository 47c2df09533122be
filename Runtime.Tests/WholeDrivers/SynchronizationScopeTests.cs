using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>
/// <c>WDF_OBJECT_ATTRIBUTES.SynchronizationScope</c>: device scope serializes the callbacks of every queue of the device,
/// queue scope those of one queue, and cancel routines with them; the default execution level makes the lock a spin
/// lock (callbacks at DISPATCH_LEVEL), <c>WdfExecutionLevelPassive</c> a wait lock (PASSIVE_LEVEL).
/// </summary>
public class SynchronizationScopeTests
{
    private sealed class Observed
    {
        private int inside;
        public int Deepest;
        public readonly ConcurrentBag<KIRQL> Irqls = new();

        public void Callback(WDFREQUEST request, nuint information)
        {
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref Deepest, now);
            Irqls.Add(KeGetCurrentIrql());
            Thread.SpinWait(20_000);
            Interlocked.Decrement(ref inside);
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, information);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    /// <summary>A driver with a parallel default queue (reads) and a parallel write queue, attributes as given.</summary>
    private static WholeDriverHost Start(Observed observed, WDF_SYNCHRONIZATION_SCOPE deviceScope, WDF_EXECUTION_LEVEL deviceLevel,
        WDF_SYNCHRONIZATION_SCOPE queueScope = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeInheritFromParent) =>
        StartWithDevice(deviceScope, deviceLevel, device =>
        {
            WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
            queueAttributes.SynchronizationScope = queueScope;
            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var readConfig, WdfIoQueueDispatchParallel);
            readConfig.EvtIoRead = (queue, request, length) => observed.Callback(request, length);
            var status = WdfIoQueueCreate(device, readConfig, queueAttributes, out _);
            if (!NT_SUCCESS(status))
            {
                return status;
            }
            WDF_IO_QUEUE_CONFIG_INIT(out var writeConfig, WdfIoQueueDispatchParallel);
            writeConfig.EvtIoWrite = (queue, request, length) => observed.Callback(request, length);
            status = WdfIoQueueCreate(device, writeConfig, queueAttributes, out var writeQueue);
            return NT_SUCCESS(status) ? WdfDeviceConfigureRequestDispatching(device, writeQueue, WdfRequestTypeWrite) : status;
        });

    /// <summary>A driver whose device has <paramref name="scope"/> at <paramref name="level"/>; <paramref name="onDevice"/> runs in device-add.</summary>
    private static WholeDriverHost StartWithDevice(WDF_SYNCHRONIZATION_SCOPE scope, WDF_EXECUTION_LEVEL level, System.Func<WDFDEVICE, NTSTATUS> onDevice)
    {
        var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            WDF_DRIVER_CONFIG_INIT(out var config, (driver, init) =>
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                deviceAttributes.SynchronizationScope = scope;
                deviceAttributes.ExecutionLevel = level;
                var status = WdfDeviceCreate(ref init, deviceAttributes, out var device);
                return NT_SUCCESS(status) ? onDevice(device) : status;
            });
            return WdfDriverCreate(driverObject, registryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        });
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        return host;
    }

    /// <summary>Application threads sending 25 requests each, reads (with <paramref name="writesToo"/>, odd threads write); every one must succeed.</summary>
    private static void SendFromThreads(WholeDriverHost host, int threadCount = 4, bool writesToo = true)
    {
        var failures = new ConcurrentBag<NTSTATUS>();
        var threads = Enumerable.Range(0, threadCount).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 25; i++)
            {
                var result = writesToo && t % 2 == 1 ? host.Write(new byte[] { 1, 2, 3, 4 }) : host.Read(4);
                // An application's synchronous read waits: a request queued while another thread's callback holds the
                // device's lock is presented, and completed, on that thread once it lets go (seen as STATUS_PENDING here
                // when the machine is busy).
                result.Wait(System.TimeSpan.FromSeconds(30));
                if (result.Status != STATUS_SUCCESS)
                {
                    failures.Add(result.Status);
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Device_scope_serializes_the_callbacks_of_all_queues_of_the_device_at_DISPATCH_LEVEL()
    {
        var observed = new Observed();
        using var host = Start(observed, WdfSynchronizationScopeDevice, WdfExecutionLevelInheritFromParent);

        SendFromThreads(host);

        Assert.Equal(1, observed.Deepest);
        Assert.Equal(100, observed.Irqls.Count);
        Assert.All(observed.Irqls, irql => Assert.Equal(DISPATCH_LEVEL, irql));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Device_scope_at_the_passive_execution_level_serializes_at_PASSIVE_LEVEL()
    {
        var observed = new Observed();
        using var host = Start(observed, WdfSynchronizationScopeDevice, WdfExecutionLevelPassive);

        SendFromThreads(host);

        Assert.Equal(1, observed.Deepest);
        Assert.All(observed.Irqls, irql => Assert.Equal(PASSIVE_LEVEL, irql));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Queue_scope_on_the_queues_serializes_each_queue_at_DISPATCH_LEVEL()
    {
        var observed = new Observed();
        using var host = Start(observed, WdfSynchronizationScopeInheritFromParent, WdfExecutionLevelInheritFromParent, WdfSynchronizationScopeQueue);

        SendFromThreads(host, threadCount: 2, writesToo: false);

        Assert.Equal(1, observed.Deepest);
        Assert.All(observed.Irqls, irql => Assert.Equal(DISPATCH_LEVEL, irql));
    }

    [Fact]
    public void Without_a_scope_callbacks_run_at_the_senders_IRQL_as_before()
    {
        var observed = new Observed();
        using var host = Start(observed, WdfSynchronizationScopeInheritFromParent, WdfExecutionLevelInheritFromParent);

        SendFromThreads(host);

        Assert.All(observed.Irqls, irql => Assert.Equal(PASSIVE_LEVEL, irql));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_cancel_routine_runs_under_its_queues_callback_lock()
    {
        KIRQL cancelIrql = HIGH_LEVEL;
        using var host = StartWithDevice(WdfSynchronizationScopeDevice, WdfExecutionLevelInheritFromParent, device =>
        {
            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
            queueConfig.EvtIoRead = (queue, request, length) => WdfRequestMarkCancelable(request, canceled =>
            {
                cancelIrql = KeGetCurrentIrql();
                WdfRequestComplete(canceled, STATUS_CANCELLED);
            });
            return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
        });
        var read = host.Read(4);
        Assert.True(read.Cancel());

        Assert.Equal(STATUS_CANCELLED, read.Status);
        Assert.Equal(DISPATCH_LEVEL, cancelIrql);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_timer_with_AutomaticSerialization_parented_to_the_device_waits_for_the_queue_callback_to_return()
    {
        int readInside = 0;
        bool timerSawReadInside = true;
        WDFTIMER timer = default;
        using var host = StartWithDevice(WdfSynchronizationScopeDevice, WdfExecutionLevelInheritFromParent, device =>
        {
            WDF_TIMER_CONFIG_INIT(out var timerConfig, t => timerSawReadInside = Volatile.Read(ref readInside) == 1);
            WDF_OBJECT_ATTRIBUTES_INIT(out var timerAttributes);
            timerAttributes.ParentObject = device;
            var status = WdfTimerCreate(timerConfig, timerAttributes, out timer);
            if (!NT_SUCCESS(status))
            {
                return status;
            }
            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
            queueConfig.EvtIoRead = (queue, request, length) =>
            {
                Volatile.Write(ref readInside, 1);
                SpinWait.SpinUntil(() => false, 200);   // the timer may fire now: it must wait for the lock
                Volatile.Write(ref readInside, 0);
                WdfRequestComplete(request, STATUS_SUCCESS);
            };
            return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
        });

        var reader = new Thread(() => host.Read(4));
        reader.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref readInside) == 1);
        host.Run(() => WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1)));
        host.AdvanceTime(System.TimeSpan.FromMilliseconds(10));
        reader.Join();

        Assert.False(timerSawReadInside);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void AutomaticSerialization_with_a_lock_of_the_other_kind_is_STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL()
    {
        var statuses = new System.Collections.Generic.List<NTSTATUS>();
        using var dispatchLevel = StartWithDevice(WdfSynchronizationScopeDevice, WdfExecutionLevelInheritFromParent, device =>
        {
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = device;
            WDF_WORKITEM_CONFIG_INIT(out var serialized, w => { });
            statuses.Add(WdfWorkItemCreate(serialized, attributes, out _));
            WDF_WORKITEM_CONFIG_INIT(out var unserialized, w => { });
            unserialized.AutomaticSerialization = false;
            statuses.Add(WdfWorkItemCreate(unserialized, attributes, out _));
            return STATUS_SUCCESS;
        });
        using var passiveLevel = StartWithDevice(WdfSynchronizationScopeDevice, WdfExecutionLevelPassive, device =>
        {
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = device;
            WDF_TIMER_CONFIG_INIT(out var timerConfig, t => { });
            statuses.Add(WdfTimerCreate(timerConfig, attributes, out _));
            WDF_DPC_CONFIG_INIT(out var dpcConfig, d => { });
            statuses.Add(WdfDpcCreate(dpcConfig, attributes, out _));
            WDF_WORKITEM_CONFIG_INIT(out var workItemConfig, w => { });
            statuses.Add(WdfWorkItemCreate(workItemConfig, attributes, out _));
            return STATUS_SUCCESS;
        });

        Assert.Equal(new[]
        {
            STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL, STATUS_SUCCESS,
            STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL, STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL, STATUS_SUCCESS,
        }, statuses);
    }
}
