using System;
using System.Globalization;
using System.IO;
using System.Linq;
using DriverBuffers.Exercising.Generation;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>The report as <c>driverbuffers exercise</c> prints it: short, one block per distinct violation.</summary>
public static class TextReport
{
    public static void Write(ExerciseReport report, TextWriter output)
    {
        if (report.Error is { } error)
        {
            output.WriteLine($"error: {error}");
            return;
        }

        output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0}: {1} ({2}); {3} requests in {4} driver session(s){5}; seed {6}, {7} thread(s)",
            report.Driver, report.Drivers.Count == 1 ? "driver" : $"{report.Drivers.Count} drivers", string.Join(", ", report.Drivers),
            report.RequestsGenerated, report.Sessions,
            report.RequestsSent > report.RequestsGenerated ? $" ({report.RequestsSent - report.RequestsGenerated} sent again after a violation ended their session)" : "",
            report.Seed, report.Threads));
        output.WriteLine();

        if (report.Violations.Count == 0)
        {
            output.WriteLine("No violation.");
        }
        foreach (var violation in report.Violations)
        {
            string where = violation.Location?.ToString() ?? (violation.AtUnload ? "(at unload)" : "(no driver frame)");
            output.WriteLine(report.AnalyzersRan ? $"{violation.Rule}  {where}  {violation.Verdict}" : $"{violation.Rule}  {where}");
            output.WriteLine($"    {StripRule(violation.Message, violation.Rule)}");
            output.WriteLine($"    replay: {ReplayCommand(report, violation)}{ReplayNote(violation)}");
        }

        if (report.NotExercised.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Not exercised (static findings this run did not reach):");
            foreach (var finding in report.NotExercised)
            {
                output.WriteLine($"  {finding.Rule}  {finding.Location}");
            }
        }
        if (report.StaticOnly.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Static only (the verifier cannot see these at run time): "
                + string.Join(", ", report.StaticOnly.Select(f => $"{f.Rule} {Path.GetFileName(f.Location.FilePath)}:{f.Location.Line}")));
        }
        foreach (var note in report.Notes)
        {
            output.WriteLine($"note: {note}");
        }

        output.WriteLine();
        int confirmed = report.Confirmed.Count();
        output.WriteLine(report.Violations.Count == 0
            ? $"Clean: no violation{(report.AnalyzersRan ? $"; {report.NotExercised.Count} static finding(s) not exercised" : "")}."
            : !report.AnalyzersRan ? $"{report.Violations.Count} violation(s) (analyzers not run)."
            : $"{report.Violations.Count} violation(s): {confirmed} confirm a static finding, "
              + $"{report.Violations.Count(v => v.Confirms is null && v.HasAnalyzerRule)} with no static finding"
              + RunTimeOnly(report) + $"; {report.NotExercised.Count} static finding(s) not exercised.");
    }

    private static string RunTimeOnly(ExerciseReport report)
    {
        int count = report.Violations.Count(v => !v.HasAnalyzerRule);
        return count == 0 ? "" : $", {count} of run-time checks without an analyzer rule";
    }

    /// <summary>The command that replays a violation: the same driver and seed, only its requests.</summary>
    public static string ReplayCommand(ExerciseReport report, ViolationReport violation)
    {
        string driver = report.Driver.Contains(' ') ? $"\"{report.Driver}\"" : report.Driver;
        if (violation.Replay.Count == 0)
        {
            return $"driverbuffers exercise {driver} --requests 1 (found while the driver started)";
        }
        string threads = violation.ReplayThreads > 1 ? $" --threads {violation.ReplayThreads}" : "";
        return $"driverbuffers exercise {driver} --seed {report.Seed} --replay {RequestNumbers.Format(violation.Replay)}{threads}";
    }

    private static string ReplayNote(ViolationReport violation)
    {
        string times = violation.Occurrences > 1 ? $"; seen {violation.Occurrences} times" : "";
        string request = violation.Request is { } r && violation.Replay.Count == 1 ? $"  ({r}{times})" : times.Length > 0 ? $"  ({times[2..]})" : "";
        string concurrent = violation.ReplayThreads > 1 ? "  (requests at once: may take several runs)" : "";
        return violation.ReplayVerified || violation.Replay.Count == 0 ? request + concurrent : $"{request}  (not reproduced by a replay here)";
    }

    private static string StripRule(string message, string rule) =>
        message.StartsWith(rule + ": ", StringComparison.Ordinal) ? message[(rule.Length + 2)..] : message;
}
