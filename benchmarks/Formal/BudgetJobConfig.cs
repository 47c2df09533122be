using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DriverBuffers.Benchmarks.Formal;

/// <summary>
/// A small job for slow, stateful operations: one launch, one warm-up and five measured iterations of one
/// invocation each (every invocation needs a fresh compilation from the iteration set-up), in process, with
/// allocations. Heavy shapes on the pre-engine analyzers take minutes per invocation; narrow with --shapes.
/// </summary>
public sealed class BudgetJobConfig : ManualConfig
{
    public BudgetJobConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Budget"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
