using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Targets;

public class CompletionParametersTests
{
    [Fact]
    public void The_completion_routine_gets_status_information_buffer_and_context()
    {
        using var host = new DriverHost();
        host.LowerTarget.RespondWith(STATUS_BUFFER_OVERFLOW, new byte[] { 1, 2, 3, 4, 5 });
        WDF_REQUEST_COMPLETION_PARAMS? seen = null;
        object? context = null;
        WDFMEMORY memory = default;
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 8, out memory, NULL);
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForIoctl(target, request, 0x222004, NULL, NULL, memory, new WDFMEMORY_OFFSET { BufferOffset = 4, BufferLength = 4 });
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => { seen = p; context = c; Assert.Equal(target, t); }, "ctx");
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
        });

        Assert.NotNull(seen);
        Assert.Equal(STATUS_BUFFER_OVERFLOW, seen!.IoStatus.Status);
        Assert.Equal((nuint)4, seen.IoStatus.Information);
        Assert.Equal(WdfRequestTypeDeviceControl, seen.Type);
        Assert.Equal(0x222004u, seen.Parameters.Ioctl.IoControlCode);
        Assert.Equal(memory, seen.Parameters.Ioctl.Output.Buffer);
        Assert.Equal((nuint)4, seen.Parameters.Ioctl.Output.Offset);
        Assert.Equal((nuint)4, seen.Parameters.Ioctl.Output.Length);
        Assert.Equal("ctx", context);
        Assert.Equal(0x04030201u, host.Run(() => WdfMemoryGetBuffer(memory, NULL).Read<uint>(4)));
    }

    [Fact]
    public void A_target_completing_on_another_thread_reports_driver_failures_there()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
        host.EvtIoRead = (queue, request, length) =>
        {
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
            {
                WdfRequestComplete(r, p.IoStatus.Status);
                WdfRequestComplete(r, p.IoStatus.Status);
            }, WDF_NO_CONTEXT);
            WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS);
        };

        var result = host.Read(1);
        Assert.True(result.Wait(System.TimeSpan.FromSeconds(10)));
        SpinWaitFor(() => host.LowerTarget.InFlightOnOtherThreads == 0);

        var failure = Assert.IsType<WdfViolationException>(Assert.Single(host.LowerTarget.BackgroundFailures));
        Assert.Equal("DRV002", failure.Rule);
        Assert.Contains(host.Violations, v => v.Rule == "DRV002");
    }

    private static void SpinWaitFor(System.Func<bool> condition) =>
        Assert.True(System.Threading.SpinWait.SpinUntil(condition, System.TimeSpan.FromSeconds(10)));
}
