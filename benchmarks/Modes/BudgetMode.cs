using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>
/// <c>--budget</c>: every shape measured once in this process (compile, floor, package with its families, peers),
/// the IDE path, then the table and the budgets of issue 10 with PASS/FAIL. Exit code 0 when all pass.
/// </summary>
public static class BudgetMode
{
    public static int Run(Options options)
    {
        var started = DateTime.UtcNow;
        var loadBefore = MachineDescription.LoadAverage();
        Console.Error.WriteLine($"Machine: {MachineDescription.Describe()}; load average {loadBefore}");
        WarmUp.Run(options.Shapes, options.Sets, options.Timeout);

        var shapes = new List<ShapeMeasurement>();
        if (options.ShapesToo)
        {
            foreach (var shape in options.Shapes)
            {
                shapes.Add(ShapeMeasurement.Measure(shape, options.Sets, options.Timeout, Console.Error.WriteLine));
            }
        }

        IdeEditMeasurement? ide = null;
        if (options.Ide)
        {
            var project = IdeProject.Create();
            Console.Error.WriteLine($"IDE project: {project.Lines:N0} lines, document {project.DocumentLines:N0} lines");
            var ideSets = options.Sets.Contains(AnalyzerSets.Floor) ? options.Sets : new[] { AnalyzerSets.Floor }.Concat(options.Sets).ToList();
            ide = IdeEditMeasurement.Measure(project, ideSets, options.Repeat, options.Timeout, Console.Error.WriteLine);
        }

        var checks = BudgetReport.Checks(shapes, ide);
        var report = new StringBuilder();
        report.AppendLine($"Machine: {MachineDescription.Describe()}");
        report.AppendLine($"Load average (1/5/15 min): {loadBefore} at the start, {MachineDescription.LoadAverage()} at the end; {started:yyyy-MM-dd HH:mm} UTC, {(DateTime.UtcNow - started).TotalMinutes:0} min.");
        report.AppendLine($"Analyzer time: Roslyn telemetry, one thread; ms (% of compile). Runs cancelled at {options.Timeout.TotalSeconds:0} s.");
        report.AppendLine();
        if (shapes.Count > 0)
        {
            report.AppendLine(BudgetReport.Table(shapes));
            report.AppendLine("Whole runs, wall / processor ms (binding included; processor time counts every thread of the process):");
            report.AppendLine();
            report.AppendLine(BudgetReport.Runs(shapes));
        }

        if (ide is not null)
        {
            report.AppendLine(BudgetReport.Ide(ide));
        }

        report.AppendLine(BudgetReport.Checklist(checks));
        Console.WriteLine(report);
        if (options.Out is { } path)
        {
            File.WriteAllText(path, report.ToString());
        }

        return checks.All(c => c.Pass) ? 0 : 1;
    }
}
