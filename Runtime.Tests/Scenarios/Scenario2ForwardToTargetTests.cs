using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.Samples;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Scenarios;

/// <summary>Reference 000, scenario 2: the driver forwards a request to an I/O target and completes it in its completion routine.</summary>
public class Scenario2ForwardToTargetTests
{
    [Fact]
    public void Forwarded_write_hands_the_target_the_applications_data()
    {
        using var host = new DriverHost(WdfDeviceIoDirect)
        {
            EvtIoWrite = (queue, request, length) =>
            {
                WdfRequestRetrieveInputMemory(request, out var memory);
                WdfIoTargetFormatRequestForWrite(WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), request, memory, NULL, 512);
                WdfRequestSetCompletionRoutine(request, ForwardingReadDriver.RequestCompletionRoutine, WDF_NO_CONTEXT);
                Assert.True(WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS));
            },
        };

        var result = host.Write(new byte[] { 4, 5, 6 });

        var received = Assert.Single(host.LowerTarget.Received);
        Assert.Equal(new byte[] { 4, 5, 6 }, received.InputData);
        Assert.Equal(512, received.DeviceOffset);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)3, result.Information);
    }

    [Fact]
    public void Memory_used_in_the_completion_routine_after_completing_is_DRV001()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue));
                WdfRequestRetrieveOutputMemory(request, out var memory);
                WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
                WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
                {
                    WdfRequestComplete(r, p.IoStatus.Status);
                    WdfMemoryCopyToBuffer(p.Parameters.Read.Buffer, 0, ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test), 4);
                }, WDF_NO_CONTEXT);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            },
        };
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        var result = host.Read(4);

        Expect.Violation("DRV001", () => host.LowerTarget.CompleteNext());
        Assert.True(result.IsCompleted);
    }

    [Fact]
    public void Send_and_forget_lets_the_framework_complete_the_request_with_the_targets_result()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestFormatRequestUsingCurrentType(request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
                Assert.True(WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), options));
            },
        };
        host.LowerTarget.RespondWith(STATUS_END_OF_FILE, new byte[] { 1 }, 1);

        var result = host.Read(2);

        Assert.Equal(STATUS_END_OF_FILE, result.Status);
        Assert.Equal((nuint)1, result.Information);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Without_a_completion_routine_the_framework_completes_a_forwarded_request()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
                WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS),
        };
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 8, 9 });

        var result = host.Read(2);

        Assert.Equal(new byte[] { 8, 9 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Completing_a_request_still_pending_at_its_target_is_a_violation()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;

        Expect.Violation("InvalidRequestState", () => host.Read(2));
    }
}
