using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Scenarios;

/// <summary>
/// Reference 000, scenario 3: a driver-created request reuses the original request's memory. The I/O
/// target keeps a reference on that memory until the driver-created request is reused, re-formatted or
/// deleted, so the driver must call WdfRequestReuse before completing the original (DRV010).
/// </summary>
public class Scenario3ReuseExistingMemoryTests
{
    /// <summary>A driver that reads through its own request into the original's memory.</summary>
    private sealed class ReadThroughDriver
    {
        public bool ReuseBeforeCompleting { get; init; } = true;
        public WDFMEMORY_OFFSET? Offsets { get; init; }

        public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
        {
            WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
            NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
            if (!NT_SUCCESS(status))
            {
                goto End;
            }
            status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest);
            if (!NT_SUCCESS(status))
            {
                goto End;
            }
            status = WdfIoTargetFormatRequestForRead(target, newRequest, memory, Offsets, NULL);
            if (NT_SUCCESS(status))
            {
                WdfRequestSetCompletionRoutine(newRequest, Completion, Request);
                if (WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS))
                {
                    return;
                }
                status = WdfRequestGetStatus(newRequest);
            }
            WdfObjectDelete(newRequest);
        End:
            WdfRequestComplete(Request, status);
        }

        private void Completion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
        {
            var original = (WDFREQUEST)Context!;
            if (ReuseBeforeCompleting)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
            }
            WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information);
            WdfObjectDelete(Request);
        }
    }

    [Fact]
    public void Reusing_the_created_request_before_completing_the_original_is_clean()
    {
        var driver = new ReadThroughDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3 });

        var result = host.Read(4);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 1, 2, 3, 0 }, result.UserBuffer);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Completing_the_original_without_reuse_is_DRV010()
    {
        var driver = new ReadThroughDriver { ReuseBeforeCompleting = false };
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };

        var violation = Expect.Violation("DRV010", () => host.Read(4));

        Assert.Equal("WdfRequestCompleteWithInformation", violation.Ddi);
        Assert.Contains("WdfRequestReuse", violation.Message);
    }

    [Fact]
    public void Completing_the_original_without_reuse_is_DRV010_also_when_the_target_completes_later()
    {
        var driver = new ReadThroughDriver { ReuseBeforeCompleting = false };
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        var result = host.Read(4);

        Expect.Violation("DRV010", () => host.LowerTarget.CompleteNext());
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void A_buffer_offset_into_the_reused_memory_is_honoured()
    {
        var driver = new ReadThroughDriver { Offsets = new WDFMEMORY_OFFSET { BufferOffset = 2, BufferLength = 2 } };
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 7, 8, 9 }, 4);

        var result = host.Read(4);

        Assert.Equal((nuint)2, host.LowerTarget.Received[0].OutputLength);
        Assert.Equal(new byte[] { 0xCD, 0xCD, 7, 8 }, result.UserBuffer);
    }

    [Fact]
    public void An_offset_range_outside_the_memory_fails_the_format()
    {
        NTSTATUS status = STATUS_SUCCESS;
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestRetrieveOutputMemory(request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var created);
                status = WdfIoTargetFormatRequestForRead(WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), created, memory,
                    new WDFMEMORY_OFFSET { BufferOffset = 3, BufferLength = 2 }, NULL);
                WdfObjectDelete(created);
                WdfRequestComplete(request, status);
            },
        };

        host.Read(4);

        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, status);
    }
}
