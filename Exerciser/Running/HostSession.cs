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
    private readonly Action<DriverHostBase> start;
    private readonly TargetScripting scripting;

    public HostSession(Assembly driverAssembly, DriverHostBase host, Action<DriverHostBase> start,
        IReadOnlyList<SimulatedIoTarget> targets)
    {
        DriverAssembly = driverAssembly;
        Host = host;
        this.start = start;
        scripting = new TargetScripting(targets);
    }

    public Assembly DriverAssembly { get; }

    protected DriverHostBase Host { get; }


    public IReadOnlyList<WdfViolationException> Violations => Host.Violations;

    /// <summary>Exceptions thrown by completion work on other threads (violations among them are also in <see cref="Violations"/>).</summary>
    public IReadOnlyList<Exception> BackgroundFailures => scripting.Targets.SelectMany(t => t.BackgroundFailures).ToList();

    public bool WaitForBackgroundWork(TimeSpan limit) => BackgroundWork.WaitFor(scripting.Targets, limit);

    public string? Start()
    {
        start(Host);
        return null;
    }

    public void Begin(IReadOnlyList<GeneratedRequest> requests) => scripting.Begin(requests);

    public ISubmittedRequest Submit(GeneratedRequest request) => SubmittedRequest.Send(Host, request);

    public void CompletePendingWork() => scripting.CompletePending();

    public IReadOnlyList<WdfViolationException> Stop() => Host.Unload().Violations;

    public void Dispose() => Host.Dispose();
}
