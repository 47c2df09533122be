using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Loading;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// A session of a whole driver in the runtime's <see cref="WholeDriverHost"/>: a fresh load of the assembly in its own
/// context (its statics start over), DriverEntry, add and start the device, the application's requests to the top of
/// the device stack, then remove and unload. The lower device and every device the driver may open by name are
/// simulated targets scripted per request.
/// </summary>
internal sealed class WholeDriverSession : IDriverSession
{
    private readonly DriverLoadContext context;
    private readonly WholeDriverHost host;
    private readonly List<SimulatedIoTarget> targets = new();
    private readonly List<IoResult> sent = new();

    public WholeDriverSession(string assemblyPath, string driverTypeName, IReadOnlyList<string> targetNames)
    {
        context = new DriverLoadContext(assemblyPath);
        var type = context.Driver.GetType(driverTypeName, throwOnError: true)!;
        var driverEntry = Loading.DriverAssembly.FindDriverEntry(type)!.CreateDelegate<DRIVER_INITIALIZE>();
        host = new WholeDriverHost(driverEntry);
        targets.Add(host.LowerTarget);
        targets.AddRange(targetNames.Select(host.AddNamedTarget));
        Scripting = new TargetScripting(targets);
    }

    public Assembly DriverAssembly => context.Driver;

    public IReadOnlyList<WdfViolationException> Violations => host.Violations;

    public IReadOnlyList<Exception> BackgroundFailures => targets.SelectMany(t => t.BackgroundFailures).ToList();

    public bool WaitForBackgroundWork(TimeSpan limit) => BackgroundWork.WaitFor(targets, limit);

    private TargetScripting Scripting { get; }

    public string? Start()
    {
        var status = host.LoadAndStart();
        if (!Wdm.NT_SUCCESS(status))
        {
            return $"the driver did not start ({host.State}): {status}";
        }
        host.Open();
        return null;
    }

    public void Begin(IReadOnlyList<GeneratedRequest> requests) => Scripting.Begin(requests);

    public ISubmittedRequest Submit(GeneratedRequest request)
    {
        var submitted = SubmittedRequest.Send(host, request);
        lock (sent)
        {
            sent.Add(submitted.Result);
        }
        return submitted;
    }

    public void CompletePendingWork()
    {
        Scripting.CompletePending();
        host.RunUntil(() =>
        {
            Scripting.CompletePending();
            lock (sent)
            {
                return sent.All(r => r.IsCompleted);
            }
        });

        // What the targets still hold (a request the application canceled may still be pending below) completes too,
        // as lower drivers eventually do, with the deferred work that follows.
        for (int round = 0; round < MaximumRounds && (Scripting.CompletePending() | host.RunDeferredWork() > 0); round++)
        {
        }
    }

    /// <summary>How many rounds of completing what the targets hold, and the deferred work that follows, a session allows.</summary>
    private const int MaximumRounds = 100;

    public IReadOnlyList<WdfViolationException> Stop()
    {
        host.Close();
        return host.Unload().Violations;
    }

    public void Dispose()
    {
        host.Dispose();
        context.Unload();
    }
}
