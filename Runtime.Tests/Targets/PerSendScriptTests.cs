using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Targets;

/// <summary>
/// <see cref="SimulatedIoTarget.ScriptEachSend"/>: a target scripted per send, each send naming the application request
/// it serves (<see cref="TargetIoRequest.Origin"/>, with the tag the application attached), so that concurrent
/// requests keep their own lower-target behaviour.
/// </summary>
public class PerSendScriptTests
{
    /// <summary>Reads are passed down with a completion routine that completes them with the lower driver's status.</summary>
    private static DriverHost ForwardingHost()
    {
        var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestFormatRequestUsingCurrentType(request);
                WdfRequestSetCompletionRoutine(request, (r, t, p, c) => WdfRequestCompleteWithInformation(r, p.IoStatus.Status, p.IoStatus.Information), null);
                if (!WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(request, WdfRequestGetStatus(request));
                }
            },
        };
        return host;
    }

    [Fact]
    public void Each_send_gets_the_script_of_the_request_it_serves_even_from_eight_threads_at_once()
    {
        using var host = ForwardingHost();
        var statuses = new[] { STATUS_SUCCESS, STATUS_UNSUCCESSFUL, STATUS_DEVICE_BUSY, STATUS_IO_TIMEOUT };
        var modes = new[] { TargetCompletionMode.Immediately, TargetCompletionMode.OnAnotherThread, TargetCompletionMode.FailSend };
        host.LowerTarget.ScriptEachSend = send =>
        {
            int n = (int)send.Origin!.Tag!;
            return new TargetSendScript(modes[n % 3], _ => new TargetIoResponse(statuses[n % 4], 0)) { SendFailureStatus = STATUS_INSUFFICIENT_RESOURCES };
        };
        var results = new ConcurrentDictionary<int, IoResult>();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            host.ApplicationTag = n;
            results[n] = host.Read(4);
            host.ApplicationTag = null;
        });

        Assert.True(host.RunUntil(() => results.Values.All(r => r.IsCompleted)));
        foreach (var (n, result) in results)
        {
            Assert.Equal(n, result.Tag);
            Assert.Equal(modes[n % 3] == TargetCompletionMode.FailSend ? STATUS_INSUFFICIENT_RESOURCES : statuses[n % 4], result.Status);
        }
        Assert.Equal(Enumerable.Range(0, 400).Count(n => modes[n % 3] != TargetCompletionMode.FailSend), host.LowerTarget.Received.Count);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_request_the_driver_creates_in_a_callback_names_the_application_request_as_its_origin()
    {
        TargetIoRequest? seen = null;
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, output, input, code) =>
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue));
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var own);
                WdfIoTargetFormatRequestForIoctl(target, own, code, default, null, default, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfRequestSend(own, target, options);
                var status = WdfRequestGetStatus(own);
                WdfObjectDelete(own);
                WdfRequestComplete(request, status);
            },
        };
        host.LowerTarget.ScriptEachSend = send =>
        {
            seen = send;
            return new TargetSendScript(TargetCompletionMode.Immediately, _ => new TargetIoResponse(STATUS_DEVICE_BUSY, 0));
        };
        host.ApplicationTag = "mine";

        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS), null, 0);

        Assert.Equal(STATUS_DEVICE_BUSY, result.Status);
        Assert.Same(result, seen!.Origin);
        Assert.Equal("mine", seen.Origin!.Tag);
    }

    [Fact]
    public void A_send_from_a_timer_serves_no_application_request_and_without_a_script_the_target_settings_apply()
    {
        TargetIoRequest? seen = null;
        using var host = KmdfHarness.Start(device =>
        {
            WDF_TIMER_CONFIG_INIT(out var config, timer =>
            {
                var target = WdfDeviceGetIoTarget(device);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var own);
                WdfIoTargetFormatRequestForIoctl(target, own, 0x222000, default, null, default, null);
                WdfRequestSetCompletionRoutine(own, (r, t, p, c) => WdfObjectDelete(r), null);
                if (!WdfRequestSend(own, target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(own);
                }
            });
            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
            attributes.ParentObject = device;
            WdfTimerCreate(config, attributes, out var created);
            WdfTimerStart(created, WDF_REL_TIMEOUT_IN_MS(5));
            return STATUS_SUCCESS;
        });
        host.LowerTarget.ScriptEachSend = send => { seen = send; return null; };
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;

        host.AdvanceTime(System.TimeSpan.FromMilliseconds(10));

        Assert.NotNull(seen);
        Assert.Null(seen!.Origin);
        Assert.Empty(host.LowerTarget.Received);
        Assert.True(host.Unload().IsClean);
    }
}
