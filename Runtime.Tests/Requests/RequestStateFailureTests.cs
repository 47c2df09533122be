using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

/// <summary>Statuses for requests in the wrong state, and what happens with the verifier off.</summary>
public class RequestStateFailureTests
{
    [Fact]
    public void Unsafe_user_buffer_shorter_than_required_is_STATUS_BUFFER_TOO_SMALL()
    {
        NTSTATUS status = STATUS_SUCCESS;
        using var host = new DriverHost(WdfDeviceIoNeither)
        {
            EvtIoInCallerContext = (device, request) =>
            {
                status = WdfRequestRetrieveUnsafeUserInputBuffer(request, 5, out PVOID buffer, NULL);
                Assert.Equal(NULL, buffer);
                WdfRequestComplete(request, status);
            },
        };
        host.Write(new byte[4]);
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, status);
    }

    [Fact]
    public void Reuse_asking_for_a_new_irp_without_one_is_an_invalid_parameter()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var request);
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_SET_NEW_IRP, STATUS_SUCCESS);
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfRequestReuse(request, reuse));
        });
    }

    [Fact]
    public void A_request_pending_at_a_target_cannot_be_forwarded_to_a_queue()
    {
        NTSTATUS status = STATUS_SUCCESS;
        using var host = new DriverHost();
        var manual = host.AddQueue();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.EvtIoRead = (queue, request, length) =>
        {
            WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS);
            status = WdfRequestForwardToIoQueue(request, manual);
        };

        var result = host.Read(1);
        host.LowerTarget.CompleteAll();

        Assert.Equal(STATUS_INVALID_DEVICE_STATE, status);
        Assert.True(result.IsCompleted);
    }

    [Fact]
    public void With_the_verifier_off_reuse_violations_are_recorded_and_the_driver_carries_on()
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, NULL, NULL, NULL);
            Assert.True(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
            Assert.True(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
            WdfRequestComplete(request, STATUS_SUCCESS);
            WdfObjectDelete(request);
        });

        Assert.Equal(new[] { "DRV011", "DRV013" }, System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(host.Violations, v => v.Rule)));
        Assert.Equal(2, host.LowerTarget.Received.Count);
    }

    [Fact]
    public void With_the_verifier_off_completing_without_reuse_still_completes()
    {
        using var host = new DriverHost(verifierEnabled: false)
        {
            EvtIoRead = (queue, request, length) =>
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue));
                WdfRequestRetrieveOutputMemory(request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var created);
                WdfIoTargetFormatRequestForRead(target, created, memory, NULL, NULL);
                WdfRequestSetCompletionRoutine(created, (r, t, p, c) => WdfRequestComplete((WDFREQUEST)c!, p.IoStatus.Status), request);
                WdfRequestSend(created, target, WDF_NO_SEND_OPTIONS);
            },
        };

        Assert.Equal(STATUS_SUCCESS, host.Read(1).Status);
        Assert.Equal("DRV010", Assert.Single(host.Violations).Rule);
    }
}
