using System;
using System.Threading.Tasks;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.Samples;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Concurrency;

/// <summary>
/// Requests issued from 8 threads while the lower target completes them on thread-pool threads: every application
/// gets its own data back, no spurious violation, no deadlock. The forwarding driver runs 160,000 of them.
/// </summary>
public class StressTests
{
    private const int Threads = 8;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static byte[] Expected(long offset) => BitConverter.GetBytes(offset * 7919);

    private static TargetIoResponse Respond(TargetIoRequest request) =>
        new(STATUS_SUCCESS, null, Expected(request.DeviceOffset));

    [Fact]
    public void Forwarded_reads_completed_on_other_threads_all_return_their_own_data()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestFormatRequestUsingCurrentType(request);
                WdfRequestSetCompletionRoutine(request, ForwardingReadDriver.RequestCompletionRoutine, WDF_NO_CONTEXT);
                WdfRequestSend(request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), WDF_NO_SEND_OPTIONS);
            },
        };
        IssueReadsFromSeveralThreadsAndCheckEveryResult(host, 160_000);
    }

    [Fact]
    public void Driver_created_requests_reusing_the_originals_memory_stay_correct_under_load()
    {
        using var host = new DriverHost(WdfDeviceIoDirect)
        {
            EvtIoRead = (queue, request, length) =>
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue));
                WdfRequestRetrieveOutputMemory(request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var created);
                WDF_REQUEST_PARAMETERS_INIT(out var parameters);
                WdfRequestGetParameters(request, parameters);
                WdfIoTargetFormatRequestForRead(target, created, memory, NULL, parameters.Parameters.Read.DeviceOffset);
                WdfRequestSetCompletionRoutine(created, (r, t, p, c) =>
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(r, reuse);
                    WdfObjectDelete(r);
                    WdfRequestCompleteWithInformation((WDFREQUEST)c!, p.IoStatus.Status, p.IoStatus.Information);
                }, request);
                WdfRequestSend(created, target, WDF_NO_SEND_OPTIONS);
            },
        };
        IssueReadsFromSeveralThreadsAndCheckEveryResult(host, 20_000);
    }

    /// <summary>
    /// Reads <paramref name="requests"/> times from <see cref="Threads"/> threads (each with its own device offset) while the
    /// target completes on the thread pool; every result must carry its own data, and nothing may be reported.
    /// </summary>
    private static void IssueReadsFromSeveralThreadsAndCheckEveryResult(DriverHost host, int requests)
    {
        host.LowerTarget.Mode = TargetCompletionMode.OnAnotherThread;
        host.LowerTarget.Responder = Respond;

        var results = new IoResult[requests];
        Parallel.For(0, requests, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
            results[i] = host.Read(8, deviceOffset: i));

        for (int i = 0; i < requests; i++)
        {
            Assert.True(results[i].Wait(Limit));
            Assert.Equal(STATUS_SUCCESS, results[i].Status);
            Assert.Equal(Expected(i), results[i].UserBuffer);
        }
        Assert.True(System.Threading.SpinWait.SpinUntil(() => host.LowerTarget.InFlightOnOtherThreads == 0, Limit));
        Assert.Empty(host.LowerTarget.BackgroundFailures);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }
}
