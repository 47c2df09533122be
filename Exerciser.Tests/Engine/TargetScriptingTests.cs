using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Exercising.Tests.Engine;

/// <summary>
/// The lower targets answer each generated request as that request says, whatever else is being sent at the same
/// time: a concurrent session's target behaviour is the requests' own, so it replays exactly.
/// </summary>
public class TargetScriptingTests
{
    [Fact]
    public void Requests_sent_from_four_threads_each_get_their_own_target_behaviour()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestFormatRequestUsingCurrentType(request);
                WdfRequestSetCompletionRoutine(request, (r, t, p, c) => WdfRequestComplete(r, p.IoStatus.Status), null);
                if (!WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(request, WdfRequestGetStatus(request));
                }
            },
        };
        var scripting = new TargetScripting([host.LowerTarget]);
        var timings = new[] { TargetTiming.AtOnce, TargetTiming.Later, TargetTiming.OnAnotherThread, TargetTiming.SendFails };
        var outcomes = new[] { TargetOutcome.Success, TargetOutcome.Failure, TargetOutcome.Busy, TargetOutcome.TimedOut, TargetOutcome.Canceled };
        var requests = Enumerable.Range(0, 200)
            .Select(n => new GeneratedRequest(n, RequestKind.Read, 8, 0, 0, 0, (byte)n, timings[n % 4], outcomes[n % 5], CancelIfPending: false))
            .ToList();
        scripting.Begin(requests);
        var sent = new ConcurrentBag<SubmittedRequest>();

        Parallel.ForEach(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, request => sent.Add(SubmittedRequest.Send(host, request)));
        scripting.CompletePending();
        host.RunUntil(() => sent.All(s => s.IsCompleted));

        foreach (var submitted in sent)
        {
            var request = submitted.Request;
            var expected = request.Timing == TargetTiming.SendFails ? STATUS_INVALID_DEVICE_STATE
                : TargetScripting.Script(request).Responder(host.LowerTarget.Received[0]).Status;
            Assert.True(submitted.IsCompleted, request.ToString());
            Assert.Equal(expected, submitted.Result.Status);
        }
        Assert.True(host.Unload().IsClean);
    }
}
