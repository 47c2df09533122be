using System;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Pool;

/// <summary>DRV037's run-time twin: paged pool allocated or touched above APC_LEVEL (a timer, a completion routine, under a spin lock).</summary>
public class PagedPoolIrqlTests
{
    [Fact]
    public void Paged_pool_is_fine_at_PASSIVE_LEVEL_and_DRV037_when_allocated_or_touched_at_DISPATCH_LEVEL()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var paged = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tags.Test);
            var oldStyle = ExAllocatePoolWithTag(PagedPool, 8, Tags.Test);
            var nonPaged = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tags.Test);
            paged.Write<long>(0, 1);
            KeRaiseIrql(DISPATCH_LEVEL, out var old);

            nonPaged.Write<long>(0, 2);
            Assert.Equal("PVOID.Read", Expect.Violation("DRV037", () => paged.Read<long>(0)).Ddi);
            Assert.Equal("RtlCopyMemory", Expect.Violation("DRV037", () => RtlCopyMemory(nonPaged, oldStyle, 8)).Ddi);
            Assert.Equal("ExAllocatePool2", Expect.Violation("DRV037", () => ExAllocatePool2(POOL_FLAG_PAGED, 8, Tags.Test)).Ddi);
            Expect.Violation("DRV037", () => ExAllocatePoolZero(PagedPool, 8, Tags.Test));

            KeLowerIrql(old);
            ExFreePool(paged);
            ExFreePool(oldStyle);
            ExFreePool(nonPaged);
        });
    }

    [Fact]
    public void A_timer_callback_touching_paged_pool_is_DRV037()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var table = ExAllocatePool2(POOL_FLAG_PAGED, 4, Tags.Test);
            WDF_TIMER_CONFIG_INIT(out var config, timer => table.Write<int>(0, 1));
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = host.Device;
            WdfTimerCreate(config, attributes, out var created);
            WdfTimerStart(created, WDF_REL_TIMEOUT_IN_MS(1));
        });

        var violation = Expect.Violation("DRV037", () => host.AdvanceTime(TimeSpan.FromMilliseconds(1)));
        Assert.Contains("DISPATCH_LEVEL", violation.Message);
    }

    [Fact]
    public void A_completion_routine_run_by_a_target_on_another_thread_touching_paged_memory_is_DRV037()
    {
        using var host = new DriverHost();
        var buffer = host.Run(() => ExAllocatePool2(POOL_FLAG_PAGED, 4, Tags.Test));
        host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
        host.EvtIoRead = (queue, request, length) =>
        {
            WdfRequestFormatRequestUsingCurrentType(request);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
            {
                try
                {
                    buffer.Write<int>(0, 7);
                }
                finally
                {
                    WdfRequestComplete(r, p.IoStatus.Status);
                }
            }, WDF_NO_CONTEXT);
            WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS);
        };

        var read = host.Read(1);

        Assert.True(read.Wait(TimeSpan.FromSeconds(30)));
        Assert.True(System.Threading.SpinWait.SpinUntil(() => host.LowerTarget.InFlightOnOtherThreads == 0, TimeSpan.FromSeconds(30)));
        Assert.Equal("DRV037", Assert.Single(host.Violations).Rule);
        Assert.IsType<WdfViolationException>(Assert.Single(host.LowerTarget.BackgroundFailures));
    }

    [Fact]
    public void Paged_pool_cannot_be_described_as_nonpaged_by_an_mdl()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var paged = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tags.Test);
            var mdl = IoAllocateMdl(paged, 16, FALSE, FALSE, NULL);
            Expect.Violation("InvalidMdl", () => MmBuildMdlForNonPagedPool(mdl));
            IoFreeMdl(mdl);
            ExFreePool(paged);
        });
    }
}
