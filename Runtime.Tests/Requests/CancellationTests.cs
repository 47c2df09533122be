using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

/// <summary>
/// Cancellation as KMDF does it, with the application canceling: cancel routines, WdfRequestUnmarkCancelable's
/// STATUS_CANCELLED, and the DRV005 twin (completing a cancelable request, completing one the cancel routine
/// owns, a cancel routine that never completes its request).
/// </summary>
public class CancellationTests
{
    /// <summary>A driver that marks every read cancelable and keeps it; the test completes it or cancels it.</summary>
    private sealed class HoldingDriver
    {
        public readonly List<WDFREQUEST> Held = new();
        public readonly List<WDFREQUEST> Canceled = new();
        public bool CancelRoutineCompletes = true;

        public WholeDriverHost Start() => KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoRead = (queue, request, length) =>
            {
                Held.Add(request);
                var status = WdfRequestMarkCancelableEx(request, EvtRequestCancel);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(request, status);
                }
            }, out _));

        private void EvtRequestCancel(WDFREQUEST Request)
        {
            Canceled.Add(Request);
            if (CancelRoutineCompletes)
            {
                WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
            }
        }
    }

    [Fact]
    public void The_application_cancels_a_cancelable_request_and_the_cancel_routine_completes_it()
    {
        var driver = new HoldingDriver();
        using var host = driver.Start();
        var read = host.Read(4);
        Assert.False(read.IsCompleted);

        Assert.True(read.Cancel());

        Assert.Equal(driver.Held, driver.Canceled);
        Assert.Equal(STATUS_CANCELLED, read.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Unmarking_before_completing_is_clean_and_after_a_cancel_UnmarkCancelable_says_STATUS_CANCELLED()
    {
        var driver = new HoldingDriver();
        using var host = driver.Start();
        var completedNormally = host.Read(1);
        var canceled = host.Read(1);

        host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfRequestUnmarkCancelable(driver.Held[0]));
            Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, WdfRequestUnmarkCancelable(driver.Held[0]));
            WdfRequestComplete(driver.Held[0], STATUS_SUCCESS);
        });
        driver.CancelRoutineCompletes = false;
        canceled.Cancel();
        host.Run(() =>
        {
            Assert.Equal(STATUS_CANCELLED, WdfRequestUnmarkCancelable(driver.Held[1]));
            Assert.True(WdfRequestIsCanceled(driver.Held[1]));
            WdfRequestComplete(driver.Held[1], STATUS_CANCELLED);
        });

        Assert.Equal(STATUS_SUCCESS, completedNormally.Status);
        Assert.Equal(STATUS_CANCELLED, canceled.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Completing_a_request_still_marked_cancelable_is_DRV005()
    {
        var driver = new HoldingDriver();
        using var host = driver.Start();
        host.Read(1);

        var violation = Expect.Violation("DRV005", () => host.Run(() => WdfRequestComplete(driver.Held[0], STATUS_SUCCESS)));

        Assert.Contains("still marked cancelable", violation.Message);
    }

    [Fact]
    public void Completing_a_request_its_cancel_routine_already_completed_is_DRV005_not_just_a_double_completion()
    {
        var driver = new HoldingDriver();
        using var host = driver.Start();
        var read = host.Read(1);
        read.Cancel();

        var violation = Expect.Violation("DRV005", () => host.Run(() => WdfRequestComplete(driver.Held[0], STATUS_SUCCESS)));

        Assert.Contains("cancel routine", violation.Message);
    }

    [Fact]
    public void A_cancel_routine_that_never_completes_its_request_is_DRV005_at_unload()
    {
        var driver = new HoldingDriver { CancelRoutineCompletes = false };
        using var host = driver.Start();
        var read = host.Read(1);
        read.Cancel();

        Assert.False(read.IsCompleted);
        Assert.Equal(new[] { "DRV005" }, host.Unload().Rules);
    }

    [Fact]
    public void Marking_an_already_canceled_request_runs_the_routine_at_once_and_the_Ex_form_returns_STATUS_CANCELLED()
    {
        var routines = new List<string>();
        NTSTATUS ex = STATUS_SUCCESS;
        WDFQUEUE manual = default;
        using var host = KmdfHarness.Start(device =>
        {
            WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchManual);
            var status = WdfIoQueueCreate(device, config, WDF_NO_OBJECT_ATTRIBUTES, out manual);
            return NT_SUCCESS(status) ? WdfDeviceConfigureRequestDispatching(device, manual, WdfRequestTypeRead) : status;
        });
        var first = host.Read(1);
        var second = host.Read(1);
        host.Run(() =>
        {
            WdfIoQueueRetrieveNextRequest(manual, out var r1);
            WdfIoQueueRetrieveNextRequest(manual, out var r2);
            first.Cancel();
            second.Cancel();
            Assert.True(WdfRequestIsCanceled(r1));
            WdfRequestMarkCancelable(r1, r => { routines.Add("routine"); WdfRequestComplete(r, STATUS_CANCELLED); });
            ex = WdfRequestMarkCancelableEx(r2, r => routines.Add("never"));
            WdfRequestComplete(r2, ex);
        });

        Assert.Equal(new[] { "routine" }, routines);
        Assert.Equal(STATUS_CANCELLED, ex);
        Assert.Equal(STATUS_CANCELLED, first.Status);
        Assert.Equal(STATUS_CANCELLED, second.Status);
    }

    [Fact]
    public void A_request_canceled_while_pending_at_the_lower_target_completes_there_with_STATUS_CANCELLED()
    {
        var statuses = new List<NTSTATUS>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoRead = (queue, request, length) =>
            {
                WdfRequestFormatRequestUsingCurrentType(request);
                WdfRequestSetCompletionRoutine(request, (r, target, p, context) =>
                {
                    statuses.Add(p.IoStatus.Status);
                    WdfRequestComplete(r, p.IoStatus.Status);
                }, WDF_NO_CONTEXT);
                WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS);
            }, out _));
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        var read = host.Read(2);
        read.Cancel();

        Assert.Equal(new[] { STATUS_CANCELLED }, statuses);
        Assert.Equal(STATUS_CANCELLED, read.Status);
        Assert.Equal(0, host.LowerTarget.PendingCount);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void WdfRequestCancelSentRequest_cancels_a_driver_created_request_at_its_target()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        var statuses = new List<NTSTATUS>();
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, host.LowerTarget.Handle, out var request);
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 8, out var memory, NULL);
            WdfIoTargetFormatRequestForRead(host.LowerTarget.Handle, request, memory, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => statuses.Add(p.IoStatus.Status), WDF_NO_CONTEXT);
            Assert.False(WdfRequestCancelSentRequest(request));
            WdfRequestSend(request, host.LowerTarget.Handle, WDF_NO_SEND_OPTIONS);

            Assert.True(WdfRequestCancelSentRequest(request));
            Assert.True(WdfRequestIsCanceled(request));
            Assert.False(WdfRequestCancelSentRequest(request));
            WdfObjectDelete(request);
            WdfObjectDelete(memory);
        });

        Assert.Equal(new[] { STATUS_CANCELLED }, statuses);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void WdfRequestReuse_clears_the_canceled_state_so_the_request_can_be_sent_again()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.Responder = r => new TargetIoResponse(STATUS_SUCCESS, null, new byte[] { 7 });
        var statuses = new List<NTSTATUS>();
        WDFREQUEST request = default;
        WDFMEMORY memory = default;
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, host.LowerTarget.Handle, out request);
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 8, out memory, NULL);
            WdfIoTargetFormatRequestForRead(host.LowerTarget.Handle, request, memory, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => statuses.Add(p.IoStatus.Status), WDF_NO_CONTEXT);
            WdfRequestSend(request, host.LowerTarget.Handle, WDF_NO_SEND_OPTIONS);
            Assert.True(WdfRequestCancelSentRequest(request));

            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            Assert.Equal(STATUS_SUCCESS, WdfRequestReuse(request, reuse));
            Assert.False(WdfRequestIsCanceled(request));
            WdfIoTargetFormatRequestForRead(host.LowerTarget.Handle, request, memory, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => statuses.Add(p.IoStatus.Status), WDF_NO_CONTEXT);
            Assert.True(WdfRequestSend(request, host.LowerTarget.Handle, WDF_NO_SEND_OPTIONS));
        });

        Assert.Equal(new[] { STATUS_CANCELLED }, statuses);
        Assert.True(host.LowerTarget.CompleteNext());
        Assert.Equal(new[] { STATUS_CANCELLED, STATUS_SUCCESS }, statuses);
        host.Run(() =>
        {
            WdfObjectDelete(request);
            WdfObjectDelete(memory);
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void EvtIoStop_sees_the_cancelable_flag_and_requeuing_a_cancelable_request_is_DRV005()
    {
        var stops = new List<uint>();
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel, config =>
        {
            config.EvtIoRead = (queue, request, length) => WdfRequestMarkCancelable(request, r => WdfRequestComplete(r, STATUS_CANCELLED));
            config.EvtIoStop = (queue, request, flags) =>
            {
                stops.Add(flags);
                WdfRequestStopAcknowledge(request, TRUE);
            };
        }, out _));
        var read = host.Read(1);

        var violation = Expect.Violation("DRV005", () => host.Remove());

        Assert.Equal(new[] { WdfRequestStopActionPurge | WdfRequestStopRequestCancelable }, stops);
        Assert.Equal("WdfRequestStopAcknowledge", violation.Ddi);
        Assert.False(read.IsCompleted);
    }

    [Fact]
    public void Acknowledging_a_request_that_is_not_being_stopped_is_InvalidRequestState()
    {
        using var host = KmdfHarness.Start(device => KmdfHarness.DefaultQueue(device, WdfIoQueueDispatchParallel,
            config => config.EvtIoRead = (queue, request, length) => WdfRequestStopAcknowledge(request, FALSE), out _));

        Expect.Violation("InvalidRequestState", () => host.Read(1));
    }
}
