using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Scenarios;

/// <summary>Reference 000, scenario 1: the driver processes a request itself and completes it; its buffers then die.</summary>
public class Scenario1ProcessAndCompleteTests
{
    private static readonly byte[] Greeting = { (byte)'h', (byte)'i', (byte)'!' };

    [Fact]
    public void Read_completed_with_information_delivers_exactly_those_bytes()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                var status = WdfRequestRetrieveOutputBuffer(request, 3, out PVOID buffer, out nuint size);
                Assert.Equal(STATUS_SUCCESS, status);
                Assert.Equal((nuint)8, size);
                buffer.CopyFrom(Greeting, 0);
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 3);
            },
        };
        var user = new byte[] { 7, 7, 7, 7, 7, 7, 7, 7 };

        var result = host.Read(user);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)3, result.Information);
        Assert.Equal(new byte[] { (byte)'h', (byte)'i', (byte)'!', 7, 7, 7, 7, 7 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Buffer_pointer_kept_after_completion_is_DRV001()
    {
        PVOID kept = NULL;
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestRetrieveOutputBuffer(request, 1, out kept, NULL);
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 0);
            },
        };
        host.Read(4);

        var violation = Expect.Violation("DRV001", () => kept.Write<byte>(0, 1));
        Assert.Contains("which was completed by WdfRequestCompleteWithInformation", violation.Message);
    }

    [Fact]
    public void Derived_pointer_and_memory_handle_after_completion_are_DRV001()
    {
        WDFMEMORY memory = default;
        PVOID derived = NULL;
        using var host = new DriverHost
        {
            EvtIoWrite = (queue, request, length) =>
            {
                Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveInputMemory(request, out memory));
                derived = WdfMemoryGetBuffer(memory, NULL) + 2;
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Write(new byte[] { 1, 2, 3, 4 });

        Expect.Violation("DRV001", () => derived.Read<byte>(0));
        var handleUse = Expect.Violation("DRV001", () => WdfMemoryGetBuffer(memory, out _));
        Assert.Equal("WdfMemoryGetBuffer", handleUse.Ddi);
        Assert.Equal(memory.ToString(), handleUse.Handle);
        Assert.StartsWith("DRV001: WdfMemoryGetBuffer on WDFMEMORY#", handleUse.Message);
    }

    [Fact]
    public void Any_request_call_after_completion_is_DRV003_and_completing_again_is_DRV002()
    {
        WDFREQUEST completed = default;
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                completed = request;
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Read(4);

        Expect.Violation("DRV003", () => WdfRequestGetStatus(completed));
        Expect.Violation("DRV003", () => WdfRequestRetrieveOutputMemory(completed, out _));
        Expect.Violation("DRV003", () => WdfRequestSetInformation(completed, 1));
        Expect.Violation("DRV002", () => WdfRequestComplete(completed, STATUS_SUCCESS));
        Expect.Violation("DRV002", () => WdfRequestCompleteWithPriorityBoost(completed, STATUS_SUCCESS, IO_NO_INCREMENT));
    }

    [Fact]
    public void Completing_with_more_information_than_the_buffer_holds_is_DRV023_and_the_user_buffer_is_not_overrun()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) => WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length + 1),
        };
        Expect.Violation("DRV023", () => host.Read(4));

        host.VerifierEnabled = false;
        var user = new byte[] { 5, 5, 5, 5 };
        var result = host.Read(user);
        Assert.Equal((nuint)5, result.Information);
        Assert.Equal(4, result.UserBuffer.Length);
    }

    [Fact]
    public void Request_never_completed_is_DRV004_at_unload()
    {
        using var host = new DriverHost { EvtIoRead = (queue, request, length) => { } };
        var result = host.Read(4);

        var report = host.Unload();

        Assert.False(result.IsCompleted);
        Assert.Equal(new[] { "DRV004" }, report.Rules);
    }

    [Fact]
    public void With_the_verifier_off_stale_reads_return_the_pattern_and_writes_change_nothing()
    {
        PVOID kept = NULL;
        using var host = new DriverHost(verifierEnabled: false)
        {
            EvtIoWrite = (queue, request, length) =>
            {
                WdfRequestRetrieveInputBuffer(request, 1, out kept, NULL);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        var data = new byte[] { 1, 2, 3, 4 };
        host.Write(data);

        Assert.Equal(0xDD, kept.Read<byte>(0));
        kept.Write<byte>(0, 42);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, data);
        Assert.Contains(host.Violations, v => v.Rule == "DRV001");
    }
}
