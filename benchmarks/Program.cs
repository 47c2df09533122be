using BenchmarkDotNet.Running;
using DriverBuffers.Benchmarks.Formal;
using DriverBuffers.Benchmarks.Modes;

namespace DriverBuffers.Benchmarks;

/// <summary>
/// The cost benchmarks of issue 10 (see docs/performance.md).
/// <list type="bullet">
/// <item><c>-- --budget</c>: the budget table with PASS/FAIL, measured once in this process (options: <see cref="Options"/>).</item>
/// <item><c>-- --smoke</c>: every shape small: compiles, analyses without exception, diagnostics per shape.</item>
/// <item><c>-- --breakdown</c>: the package's time by analyzer for each shape.</item>
/// <item><c>-- --list</c>: the shapes' sizes, lines and statements.</item>
/// <item><c>-- --profile</c>: a set run <c>--repeat N</c> times over each shape, for a sampling profiler (<see cref="ProfileMode"/>).</item>
/// <item>anything else: BenchmarkDotNet (the formal figures), e.g. <c>-- --filter '*ShapeBenchmarks*'</c>;
/// <c>--shapes a,b</c> and <c>--sets a,b</c> narrow the parameters.</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "";
        switch (mode)
        {
            case "--budget":
                return BudgetMode.Run(Options.Parse(args));
            case "--smoke":
                return SmokeMode.Run(Options.Parse(args));
            case "--breakdown":
                return BreakdownMode.Run(Options.Parse(args));
            case "--list":
                return ListMode.Run(Options.Parse(args));
            case "--profile":
                return ProfileMode.Run(Options.Parse(args));
        }

        // The benchmark classes run in process with their own job (Formal/BudgetJobConfig); a job given on the
        // command line (--job short, --inProcess) is measured as well, beside it.
        args = FormalParameters.Take(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
