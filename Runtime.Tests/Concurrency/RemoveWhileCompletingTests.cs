using System;
using System.Threading;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Concurrency;

/// <summary>
/// A lower driver completing on another thread while the device is removed and the driver unloads. KMDF purges the
/// device's I/O targets on removal and waits until every request sent through them has come back; the host does the
/// same, so a completion routine another thread is still running finishes before the device is deleted and before
/// the unload checks count anything as never completed or leaked.
/// </summary>
public class RemoveWhileCompletingTests
{
    /// <summary>
    /// A filter that answers each device-control request itself and, for each, sends a request of its own to the
    /// lower driver with a pool buffer its completion routine frees. The routine waits for <see cref="Release"/>,
    /// which only the driver's own timer sets: only simulated time that the framework lets run can release it.
    /// </summary>
    private sealed class SelfSendingFilter
    {
        public readonly ManualResetEventSlim InCompletionRoutine = new(false);
        public readonly ManualResetEventSlim Release = new(false);
        public volatile bool CompletionRoutineReturned;
        private WDFTIMER timer;
        private WDFDEVICE device;

        public NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
            return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        }

        private NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
        {
            WdfFdoInitSetFilter(DeviceInit);
            var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out device);
            if (!NT_SUCCESS(status))
            {
                return status;
            }
            WDF_TIMER_CONFIG_INIT(out var timerConfig, EvtTimer);
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = device;
            status = WdfTimerCreate(timerConfig, attributes, out timer);
            if (!NT_SUCCESS(status))
            {
                return status;
            }
            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
            queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
            return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
        }

        private void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
        {
            var target = WdfDeviceGetIoTarget(device);
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = device;
            var status = WdfRequestCreate(attributes, target, out var own);
            var buffer = NT_SUCCESS(status) ? ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x746c6946) : NULL;
            if (NT_SUCCESS(status) && buffer != NULL)
            {
                status = WdfIoTargetFormatRequestForIoctl(target, own, IoControlCode, default, null, default, null);
                if (NT_SUCCESS(status))
                {
                    WdfRequestSetCompletionRoutine(own, OwnRequestCompleted, buffer);
                    if (WdfRequestSend(own, target, WDF_NO_SEND_OPTIONS))
                    {
                        WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(10));
                        WdfRequestComplete(Request, STATUS_SUCCESS);
                        return;
                    }
                    status = WdfRequestGetStatus(own);
                }
            }
            if (buffer != NULL)
            {
                ExFreePoolWithTag(buffer, 0x746c6946);
            }
            if (own != WDF_NO_HANDLE)
            {
                WdfObjectDelete(own);
            }
            WdfRequestComplete(Request, status);
        }

        private void OwnRequestCompleted(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
        {
            InCompletionRoutine.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            ExFreePoolWithTag((PVOID)Context!, 0x746c6946);
            WdfObjectDelete(Request);
            CompletionRoutineReturned = true;
        }

        private void EvtTimer(WDFTIMER Timer) => Release.Set();
    }

    [Fact]
    public void Removal_waits_for_a_completion_routine_running_on_another_thread_before_the_unload_checks()
    {
        var driver = new SelfSendingFilter();
        using var host = new WholeDriverHost(driver.DriverEntry);
        try
        {
            Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
            host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;

            var control = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), null, 0);
            Assert.Equal(STATUS_SUCCESS, control.Status);
            Assert.True(driver.InCompletionRoutine.Wait(TimeSpan.FromSeconds(30)), "the lower driver never completed the filter's own request");

            // The completion routine is now inside the framework's completion on another thread, held until the
            // driver's timer fires: the removal must let simulated time run while it waits for the sent request.
            var report = host.Unload();

            Assert.True(driver.CompletionRoutineReturned, "the unload did not wait for the completion routine");
            Assert.True(report.IsClean, report.ToString());
            Assert.Empty(host.Violations);
            Assert.Empty(host.LowerTarget.BackgroundFailures);
        }
        finally
        {
            driver.Release.Set();
        }
    }

    /// <summary>
    /// The race the exerciser met in the toaster filter port: requests the framework forwards for a filter (here the
    /// application's close, for which the filter has no queue) completed by the lower driver on another thread while
    /// the application closes and the driver unloads. Repeated, since the window is a few instructions wide.
    /// </summary>
    [Fact]
    public void A_filter_unloads_clean_while_the_lower_driver_completes_forwarded_requests_on_another_thread()
    {
        for (int iteration = 0; iteration < 200; iteration++)
        {
            using var host = new WholeDriverHost((driverObject, registryPath) =>
            {
                WDF_DRIVER_CONFIG_INIT(out var config, (driver, init) =>
                {
                    WdfFdoInitSetFilter(init);
                    return WdfDeviceCreate(ref init, WDF_NO_OBJECT_ATTRIBUTES, out _);
                });
                return WdfDriverCreate(driverObject, registryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
            });
            Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
            host.Open();
            host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
            var read = host.Read(8);
            host.Close();

            var report = host.Unload();

            Assert.True(report.IsClean, $"iteration {iteration}: {report}");
            Assert.True(read.IsCompleted, $"iteration {iteration}: the forwarded read never completed");
        }
    }
}
