using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using DriverBuffers.Runtime.Tests.WholeDrivers;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Concurrency;

/// <summary>
/// The whole-driver surface under load from 8 threads: a KMDF driver that holds requests cancelable under a spin
/// lock and completes them from a periodic timer while the application cancels some of them, and a WDM stack whose
/// completion routines run on other threads. No raw .NET exception, no spurious violation, no lost user byte.
/// </summary>
public class WholeDriverStressTests
{
    private const int Threads = 8;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static byte[] Expected(long offset) => BitConverter.GetBytes(offset * 7919 + 1);

    /// <summary>An echo-like driver: reads wait, cancelable, until a 1 ms periodic timer completes them with their offset's data.</summary>
    private sealed class TimerCompletingDriver
    {
        private readonly List<WDFREQUEST> held = new();
        private WDFSPINLOCK spinLock;

        public NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
            return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        }

        private NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
        {
            var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out var device);
            if (!NT_SUCCESS(status))
            {
                return status;
            }
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = device;
            WdfSpinLockCreate(attributes, out spinLock);
            WDF_TIMER_CONFIG_INIT_PERIODIC(out var timerConfig, EvtTimer, 1);
            status = WdfTimerCreate(timerConfig, attributes, out var timer);
            if (!NT_SUCCESS(status))
            {
                return status;
            }
            WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
            queueConfig.EvtIoRead = EvtIoRead;
            return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
        }

        private void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
        {
            WdfSpinLockAcquire(spinLock);
            var status = WdfRequestMarkCancelableEx(Request, EvtRequestCancel);
            if (NT_SUCCESS(status))
            {
                held.Add(Request);
            }
            WdfSpinLockRelease(spinLock);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(Request, status);
            }
        }

        private void EvtRequestCancel(WDFREQUEST Request)
        {
            WdfSpinLockAcquire(spinLock);
            held.Remove(Request);
            WdfSpinLockRelease(spinLock);
            WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
        }

        private void EvtTimer(WDFTIMER Timer)
        {
            // Unmark under the lock the cancel routine takes before it completes, so a request cannot be completed by its
            // cancel routine between leaving the list and WdfRequestUnmarkCancelable (DRV003); one whose cancel routine
            // runs (STATUS_CANCELLED) stays in the list for the cancel routine to remove.
            var ready = new List<WDFREQUEST>();
            WdfSpinLockAcquire(spinLock);
            foreach (var request in held.ToArray())
            {
                if (WdfRequestUnmarkCancelable(request) != STATUS_CANCELLED)
                {
                    held.Remove(request);
                    ready.Add(request);
                }
            }
            WdfSpinLockRelease(spinLock);
            foreach (var request in ready)
            {
                WDF_REQUEST_PARAMETERS_INIT(out var parameters);
                WdfRequestGetParameters(request, parameters);
                var status = WdfRequestRetrieveOutputBuffer(request, 8, out var buffer, out _);
                if (NT_SUCCESS(status))
                {
                    buffer.CopyFrom(Expected(parameters.Parameters.Read.DeviceOffset), 0);
                }
                WdfRequestCompleteWithInformation(request, status, NT_SUCCESS(status) ? 8u : 0u);
            }
        }
    }

    [Fact]
    public void Requests_completed_by_a_timer_while_the_application_cancels_some_keep_their_data_on_8_threads()
    {
        const int requests = 4000;
        using var host = new WholeDriverHost(new TimerCompletingDriver().DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        var results = new IoResult[requests];
        int issued = 0;
        var time = new Thread(() =>
        {
            while (Volatile.Read(ref issued) < requests || results.Any(r => r is null || !r.IsCompleted))
            {
                host.AdvanceTime(TimeSpan.FromMilliseconds(1));
            }
        });
        time.Start();

        Parallel.For(0, requests, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            var result = host.Read(8, deviceOffset: i);
            results[i] = result;
            Interlocked.Increment(ref issued);
            if (i % 7 == 0)
            {
                result.Cancel();
            }
        });
        Assert.True(time.Join(Limit));

        int canceled = 0;
        for (int i = 0; i < requests; i++)
        {
            Assert.True(results[i].IsCompleted);
            if (results[i].Status == STATUS_CANCELLED)
            {
                Assert.Equal(0, i % 7);
                canceled++;
                continue;
            }
            Assert.Equal(STATUS_SUCCESS, results[i].Status);
            Assert.Equal(Expected(i), results[i].UserBuffer);
        }
        Assert.True(canceled > 0);
        Assert.Empty(host.Violations);
        var report = host.Unload();
        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public void A_wdm_stack_whose_lower_device_completes_on_other_threads_returns_every_readers_own_data_on_8_threads()
    {
        const int requests = 8000;
        var driver = new WdmFilterDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
        host.LowerTarget.Responder = request => new TargetIoResponse(STATUS_SUCCESS, null, Expected(request.DeviceOffset));
        var results = new IoResult[requests];

        Parallel.For(0, requests, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => results[i] = host.Read(8, deviceOffset: i));

        for (int i = 0; i < requests; i++)
        {
            Assert.True(results[i].Wait(Limit));
            Assert.Equal(Expected(i), results[i].UserBuffer);
        }
        Assert.True(SpinWait.SpinUntil(() => host.LowerTarget.InFlightOnOtherThreads == 0, Limit));
        Assert.Empty(host.LowerTarget.BackgroundFailures);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}
