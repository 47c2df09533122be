using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Exercising.Sources;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Engine;

/// <summary>
/// A violation a lower driver's completion raises on another thread is in the verifier's list from the moment it is
/// raised, and the workers stop as soon as they see it, while its stack is still unwinding. The exerciser places it
/// once that stack has reached the target's catch, at the driver's line that raised it: read earlier, it had no driver
/// frame and the same bug was reported twice, once at its line and once at its DDI (a flaky hidden-driver test).
/// </summary>
public class BackgroundViolationTests
{
    [Fact]
    public void A_violation_raised_on_a_completion_thread_is_placed_at_the_drivers_line_once_its_stack_has_unwound()
    {
        var report = TinyDriverHarness.RunWith(new DriverUnderTest("SlowUnwind", () => new SlowUnwindSession()),
            TinyDriverHarness.Options(requests: 4, threads: 2));

        var violation = Assert.Single(report.Violations);
        Assert.Equal("DRV037", violation.Rule);
        var expected = TinyDriverHarness.Expected("MARK" + ": raised on the completion thread", BackgroundViolationSource());
        Assert.True(violation.Location is { } at && at.Line == expected.Line && at.SameFile(expected),
            $"placed at {violation.Location?.ToString() ?? "no driver frame"}, expected line {expected.Line}");
    }

    private static string BackgroundViolationSource([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    /// <summary>
    /// A session whose every request's completion raises DRV037 on another thread and holds it, recorded but not thrown,
    /// until the runner waits for background work (at most five seconds: a runner that never waits sees it unthrown).
    /// </summary>
    private sealed class SlowUnwindSession : IDriverSession
    {
        private readonly List<WdfViolationException> violations = new();
        private readonly List<Exception> failures = new();
        private readonly ManualResetEventSlim release = new();
        private int inFlight;

        public System.Reflection.Assembly DriverAssembly => typeof(SlowUnwindSession).Assembly;

        public IReadOnlyList<WdfViolationException> Violations
        {
            get { lock (violations) { return violations.ToArray(); } }
        }

        public IReadOnlyList<Exception> BackgroundFailures
        {
            get { lock (failures) { return failures.ToArray(); } }
        }

        public string? Start() => null;

        public void Begin(IReadOnlyList<GeneratedRequest> requests)
        {
        }

        public ISubmittedRequest Submit(GeneratedRequest request)
        {
            var raised = new ManualResetEventSlim();
            Interlocked.Increment(ref inFlight);
            new Thread(() =>
            {
                try
                {
                    CompletionRoutine(raised);
                }
                catch (Exception exception)
                {
                    lock (failures) { failures.Add(exception); }
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }).Start();
            raised.Wait();
            return new Submitted(request);
        }

        private void CompletionRoutine(ManualResetEventSlim raised)
        {
            var violation = new WdfViolationException("DRV037", "paged pool read", "pool#1", "at DISPATCH_LEVEL");
            lock (violations) { violations.Add(violation); }
            raised.Set();
            release.Wait(TimeSpan.FromSeconds(5));
            throw violation; // MARK: raised on the completion thread
        }

        public bool WaitForBackgroundWork(TimeSpan limit)
        {
            release.Set();
            return SpinWait.SpinUntil(() => Volatile.Read(ref inFlight) == 0, limit);
        }

        public void CompletePendingWork()
        {
        }

        public IReadOnlyList<WdfViolationException> Stop() => Array.Empty<WdfViolationException>();

        public void Dispose() => WaitForBackgroundWork(TimeSpan.FromSeconds(5));

        private sealed class Submitted(GeneratedRequest request) : ISubmittedRequest
        {
            public GeneratedRequest Request => request;

            public string HandleName => "WDFREQUEST#1";

            public bool IsCompleted => true;

            public bool Cancel() => false;
        }
    }
}
