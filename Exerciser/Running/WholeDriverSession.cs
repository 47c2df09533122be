using System;
using System.Collections.Generic;
using System.Reflection;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Loading;

namespace DriverBuffers.Exercising.Running;

/// <summary>A session of a whole driver, from DriverEntry: a fresh load of the assembly in its own context.</summary>
internal sealed class WholeDriverSession : IDriverSession
{
    private readonly DriverLoadContext context;
    private readonly Type driverType;

    public WholeDriverSession(string assemblyPath, string driverTypeName)
    {
        context = new DriverLoadContext(assemblyPath);
        driverType = context.Driver.GetType(driverTypeName, throwOnError: true)!;
    }

    public Assembly DriverAssembly => context.Driver;


    public IReadOnlyList<WdfViolationException> Violations => Array.Empty<WdfViolationException>();

    public IReadOnlyList<Exception> BackgroundFailures => Array.Empty<Exception>();

    public string? Start() =>
        throw new NotSupportedException($"{driverType.Name}.DriverEntry: hosting from DriverEntry needs the runtime's whole-driver host (work in progress).");

    public void PrepareTargets(GeneratedRequest request)
    {
    }

    public ISubmittedRequest Submit(GeneratedRequest request) => throw new NotSupportedException();

    public void CompletePendingWork()
    {
    }

    public IReadOnlyList<WdfViolationException> Stop() => Array.Empty<WdfViolationException>();

    public void Dispose() => context.Unload();
}
