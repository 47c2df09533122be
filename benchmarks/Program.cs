using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace DriverBuffers.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project benchmarks/Benchmarks.csproj -- --filter '*' --job short</c>;
    /// <c>-- --smoke</c> runs each case once without BenchmarkDotNet (a quick check that the corpus analyses).
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--breakdown")
        {
            Breakdown.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "--smoke")
        {
            Smoke.Run();
            return;
        }

        // The project is Benchmarks.csproj but the assembly DriverBuffers.Benchmarks: BenchmarkDotNet's default
        // toolchain cannot find a project by that name, so the benchmarks run in process.
        if (Array.IndexOf(args, "--inProcess") < 0)
        {
            args = args.Concat(new[] { "--inProcess" }).ToArray();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
