using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// A driver session over one of the runtime's hosts: the application side is the host's read, write and IOCTL;
/// the lower targets are the host's simulated targets, scripted per request from the generated behaviour.
/// </summary>
internal class HostSession : IDriverSession
{
    /// <summary>How long pending work on other threads may take before the session stops waiting for it.</summary>
    private static readonly TimeSpan BackgroundWorkLimit = TimeSpan.FromSeconds(10);

    private readonly Action<DriverHostBase> start;
    private readonly Func<IEnumerable<SimulatedIoTarget>> targets;

    public HostSession(Assembly driverAssembly, DriverHostBase host, Action<DriverHostBase> start,
        Func<IEnumerable<SimulatedIoTarget>> targets)
    {
        DriverAssembly = driverAssembly;
        Host = host;
        this.start = start;
        this.targets = targets;
    }

    public Assembly DriverAssembly { get; }

    protected DriverHostBase Host { get; }

    public virtual int DeviceCount => 1;

    public IReadOnlyList<WdfViolationException> Violations => Host.Violations;

    /// <summary>Exceptions thrown by completion work on other threads (violations among them are also in <see cref="Violations"/>).</summary>
    public IReadOnlyList<Exception> BackgroundFailures => targets().SelectMany(t => t.BackgroundFailures).ToList();

    public void Start() => start(Host);

    public void PrepareTargets(GeneratedRequest request)
    {
        foreach (var target in targets())
        {
            target.Mode = request.Timing switch
            {
                TargetTiming.Later => TargetCompletionMode.WhenPumped,
                TargetTiming.OnAnotherThread => TargetCompletionMode.OnAnotherThread,
                TargetTiming.SendFails => TargetCompletionMode.FailSend,
                _ => TargetCompletionMode.Immediately,
            };
            var status = request.Outcome switch
            {
                TargetOutcome.Failure => Wdm.STATUS_UNSUCCESSFUL,
                TargetOutcome.Busy => Wdm.STATUS_DEVICE_BUSY,
                TargetOutcome.TimedOut => Wdm.STATUS_IO_TIMEOUT,
                TargetOutcome.Canceled => Wdm.STATUS_CANCELLED,
                _ => Wdm.STATUS_SUCCESS,
            };
            target.Responder = received => status == Wdm.STATUS_SUCCESS
                ? new TargetIoResponse(status, null, request.InputData((int)Math.Min(received.OutputLength, 1u << 16)))
                : new TargetIoResponse(status, 0);
        }
    }

    public ISubmittedRequest Submit(GeneratedRequest request)
    {
        var result = request.Kind switch
        {
            RequestKind.Read => Host.Read(request.Length),
            RequestKind.Write => Host.Write(request.InputData(request.Length)),
            _ => Host.DeviceIoControl(request.IoControlCode,
                request.InputLength == 0 ? null : request.InputData(request.InputLength), request.OutputLength),
        };
        return new Submitted(request, result);
    }

    public void CompletePendingWork()
    {
        var waited = Stopwatch.StartNew();
        bool progress = true;
        while (progress && waited.Elapsed < BackgroundWorkLimit)
        {
            progress = false;
            foreach (var target in targets())
            {
                progress |= target.ExpireTimeouts() > 0;
                progress |= target.CompleteAll() > 0;
                while (target.InFlightOnOtherThreads > 0 && waited.Elapsed < BackgroundWorkLimit)
                {
                    Thread.Sleep(1);
                    progress = true;
                }
            }
        }
    }

    public IReadOnlyList<WdfViolationException> Stop() => Host.Unload().Violations;

    public void Dispose() => Host.Dispose();

    private sealed class Submitted(GeneratedRequest request, IoResult result) : ISubmittedRequest
    {
        public GeneratedRequest Request => request;

        public string HandleName => result.Request;

        public bool IsCompleted => result.IsCompleted;

        public bool Cancel() => false;
    }
}
