using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DriverBuffers.Exercising.Generation;

namespace DriverBuffers.Exercising.Cli;

/// <summary>Parses <c>driverbuffers exercise &lt;driver&gt; [--seed N] [--requests N] [--threads N] [--sarif file] [--replay list]</c>.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Usage: driverbuffers exercise <driver .csproj or .dll> [options]

        Runs the driver from DriverEntry under generated reads, writes and IOCTLs with the run-time verifier on,
        runs the DriverBuffers analyzers on its sources, and reports every distinct violation once: whether it
        confirms a static finding, and how to replay it.

        Options:
          --seed N        seed of the request generator (default 1)
          --requests N    number of generated requests (default 1000)
          --threads N     application threads sending at once (default 4)
          --sarif FILE    also write the report as SARIF 2.1
          --replay LIST   run only these requests (e.g. 17 or 3,17 or 12-17) in one driver session, one at a time
                          unless --threads is given
          --no-analyzers  skip the static analysis
          -c, --configuration NAME   build configuration of a project (default Debug)

        Exit code: 0 clean, 1 violations found, 2 bad usage or a driver that cannot be built or loaded.
        """;

    /// <summary>The options, or an error message for bad usage.</summary>
    public static (ExerciseOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            return (null, "");
        }
        if (args[0] != "exercise")
        {
            return (null, $"Unknown command '{args[0]}'.");
        }

        string? driver = null;
        int seed = 1, requests = ExerciseOptions.DefaultRequests, threads = 0;
        string? sarif = null;
        string configuration = "Debug";
        bool analyzers = true;
        IReadOnlyList<int>? replay = null;
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            string? error = arg switch
            {
                "--seed" => ReadInt(arg, Value(), int.MinValue, out seed),
                "--requests" => ReadInt(arg, Value(), 1, out requests),
                "--threads" => ReadInt(arg, Value(), 1, out threads),
                "--sarif" => (sarif = Value()) is null ? "--sarif needs a file name." : null,
                "--replay" => RequestNumbers.TryParse(Value(), out replay),
                "--no-analyzers" => Set(ref analyzers, false),
                "-c" or "--configuration" => (configuration = Value() ?? "") == "" ? $"{arg} needs a name." : null,
                "-h" or "--help" => "",
                _ when arg.StartsWith('-') => $"Unknown option '{arg}'.",
                _ when driver is null => Set(ref driver, arg),
                _ => $"Unexpected argument '{arg}': give one driver.",
            };
            if (error is not null)
            {
                return (null, error);
            }
        }
        if (driver is null)
        {
            return (null, "Give the driver: a .csproj or a .dll.");
        }
        return (new ExerciseOptions
        {
            Driver = driver,
            Seed = seed,
            Requests = requests,
            // A replay runs its requests one at a time unless told otherwise.
            Threads = threads > 0 ? threads : replay is null ? ExerciseOptions.DefaultThreads : 1,
            SarifPath = sarif,
            Replay = replay,
            RunAnalyzers = analyzers,
            Configuration = configuration,
        }, null);
    }

    private static string? Set<T>(ref T target, T value)
    {
        target = value;
        return null;
    }

    private static string? ReadInt(string option, string? text, int minimum, out int value)
    {
        if (text is null || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < minimum)
        {
            value = 0;
            return $"{option} needs a whole number{(minimum > int.MinValue ? $" of at least {minimum}" : "")}.";
        }
        return null;
    }
}
