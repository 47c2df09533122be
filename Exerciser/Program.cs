using System;
using System.IO;
using DriverBuffers.Exercising;
using DriverBuffers.Exercising.Cli;
using DriverBuffers.Exercising.Reporting;

// driverbuffers exercise <driver .csproj or .dll> [--seed N] [--requests N] [--threads N] [--sarif file]
var (options, error) = CommandLine.Parse(args);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine($"error: {error}");
        Console.Error.WriteLine();
    }
    Console.Error.WriteLine(CommandLine.Usage);
    return string.IsNullOrEmpty(error) && args.Length > 0 ? 0 : ExerciseReport.UsageExitCode;
}

var report = Exerciser.Run(options with { Progress = Console.Error });
TextReport.Write(report, Console.Out);
if (options.SarifPath is { } sarif && report.Error is null)
{
    using var file = File.Create(sarif);
    SarifReport.Write(report, file);
    Console.Out.WriteLine($"SARIF: {sarif}");
}
return report.ExitCode;
