using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Concurrency;

public class DoubleCompletionRaceTests
{
    [Fact]
    public async Task Two_threads_completing_the_same_request_give_exactly_one_completion_and_one_DRV002()
    {
        const int Rounds = 100;
        var requests = new List<WDFREQUEST>();
        using var host = new DriverHost { EvtIoRead = (queue, request, length) => requests.Add(request) };
        var results = Enumerable.Range(0, Rounds).Select(_ => host.Read(1)).ToArray();

        for (int round = 0; round < Rounds; round++)
        {
            var request = requests[round];
            using var start = new Barrier(2);
            var outcomes = new Task<string>[2];
            for (int t = 0; t < 2; t++)
            {
                var status = t == 0 ? STATUS_SUCCESS : STATUS_CANCELLED;
                outcomes[t] = Task.Run(() =>
                {
                    start.SignalAndWait();
                    try
                    {
                        host.Run(() => WdfRequestComplete(request, status));
                        return "completed";
                    }
                    catch (WdfViolationException violation)
                    {
                        return violation.Rule;
                    }
                });
            }
            var rules = (await Task.WhenAll(outcomes)).OrderBy(r => r, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "DRV002", "completed" }, rules);
            Assert.True(results[round].IsCompleted);
        }
        Assert.Equal(Rounds, host.Violations.Count(v => v.Rule == "DRV002"));
        Assert.True(host.Unload().IsClean);
    }
}
