using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DriverBuffers.Benchmarks.Corpus;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// The budget table (one row per shape: lines, compile, floor, the package, each family, the peers; times in ms
/// and as % of compile), the IDE path, and the budgets of issue 10 with PASS/FAIL, as Markdown.
/// </summary>
public static class BudgetReport
{
    public const double DriverBudgetPercent = 10;
    public const double OrdinaryBudgetPercent = 1;
    public const double LinearityBudget = 2;
    public const double IdeBudget = 1.5;

    /// <summary>The analyzers' own time (telemetry) per shape, in ms and as % of the compiler's binding time.</summary>
    public static string Table(IReadOnlyList<ShapeMeasurement> shapes)
    {
        var text = new StringBuilder();
        var families = FamilyColumns(shapes);
        var peers = Peers(shapes);
        text.Append("| Shape | Lines | Stmts | Compile ms | Floor | Package | ");
        text.Append(string.Concat(families.Concat(peers).Select(c => c + " | ")));
        text.AppendLine("Diagnostics |");
        text.Append("|---|--:|--:|--:|--:|--:|").Append(string.Concat(Enumerable.Repeat("--:|", families.Count + peers.Count))).AppendLine("--:|");
        foreach (var s in shapes)
        {
            s.Runs.TryGetValue(AnalyzerSets.Package, out var package);
            text.Append($"| {s.Shape.Name} | {s.Shape.Lines:N0} | {s.Shape.Statements:N0} | {Ms(s.Compile)} | ");
            text.Append(Cell(s, AnalyzerSets.Floor)).Append(" | ").Append(Cell(s, AnalyzerSets.Package)).Append(" | ");
            var byFamily = package?.ByFamily() ?? new Dictionary<string, TimeSpan>();
            foreach (var family in families)
            {
                text.Append(package is null ? "-" : package.TimedOut ? "?" : $"{Ms(byFamily.TryGetValue(family, out var t) ? t : TimeSpan.Zero)} ({Percent(t, s.Compile)})").Append(" | ");
            }

            foreach (var peer in peers)
            {
                text.Append(Cell(s, peer)).Append(" | ");
            }

            text.Append(package is null ? "-" : Diagnostics(package)).AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>
    /// The whole runs per shape, wall / processor ms: the compiler alone and each set's run (binding included),
    /// with the package's run beyond the floor's in processor time as % of the compiler's, and its allocations.
    /// </summary>
    public static string Runs(IReadOnlyList<ShapeMeasurement> shapes)
    {
        var text = new StringBuilder();
        var sets = new[] { AnalyzerSets.Floor, AnalyzerSets.Package }.Concat(Peers(shapes))
            .Where(set => shapes.Any(s => s.Runs.ContainsKey(set))).ToList();
        text.Append("| Shape | Compile | ").Append(string.Concat(sets.Select(set => set + " run | ")));
        text.AppendLine("Package - floor, CPU, % of compile CPU | Package allocated MB |");
        text.Append("|---|--:|").Append(string.Concat(Enumerable.Repeat("--:|", sets.Count))).AppendLine("--:|--:|");
        foreach (var s in shapes)
        {
            text.Append($"| {s.Shape.Name} | {Ms(s.CompileRun.Wall)} / {Ms(s.CompileRun.Cpu)} | ");
            foreach (var set in sets)
            {
                text.Append(s.Runs.TryGetValue(set, out var run) ? $"{Ms(run.Wall)} / {Ms(run.Cpu)}{TimedOut(run)}" : "-").Append(" | ");
            }

            var both = s.Runs.ContainsKey(AnalyzerSets.Package) && s.Runs.ContainsKey(AnalyzerSets.Floor);
            text.Append(both ? s.CpuOverFloorPercent(AnalyzerSets.Package).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-").Append(" | ");
            text.Append(s.Runs.TryGetValue(AnalyzerSets.Package, out var package) ? (package.AllocatedBytes / 1e6).ToString("N0", CultureInfo.InvariantCulture) : "-").AppendLine(" |");
        }

        return text.ToString();
    }

    public static string Ide(IdeEditMeasurement ide)
    {
        var text = new StringBuilder();
        text.AppendLine($"IDE path: a {ide.Project.DocumentLines:N0}-line driver document in a {ide.Project.Lines:N0}-line project; one edit, then the document's analyzer diagnostics (median).");
        text.AppendLine();
        text.AppendLine("| Set | ms | x floor | processor ms | x floor (processor) | allocated MB | Diagnostics on the document |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        text.AppendLine($"| compiler (semantic diagnostics of the document) | {Ms(ide.Compiler)} | | | | | |");
        foreach (var (set, time) in ide.Sets)
        {
            var allocated = (ide.SetsAllocated[set] / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
            text.AppendLine($"| {set} | {Ms(time)} | {ide.Ratio(set):0.00} | {Ms(ide.SetsCpu[set])} | {ide.CpuRatio(set):0.00} | {allocated} | {(ide.Diagnostics.TryGetValue(set, out var n) ? n : 0)} |");
        }

        return text.ToString();
    }

    public static IReadOnlyList<BudgetCheck> Checks(IReadOnlyList<ShapeMeasurement> shapes, IdeEditMeasurement? ide)
    {
        var checks = new List<BudgetCheck>();
        var measured = shapes.Where(s => s.Runs.ContainsKey(AnalyzerSets.Package)).ToList();
        foreach (var s in measured)
        {
            var limit = s.Shape.Kind == CodeKind.Driver ? DriverBudgetPercent : OrdinaryBudgetPercent;
            var kind = s.Shape.Kind == CodeKind.Driver ? "driver" : "ordinary";
            var cpu = s.Runs.ContainsKey(AnalyzerSets.Floor) ? s.CpuOverFloorPercent(AnalyzerSets.Package) : (double?)null;
            checks.Add(new BudgetCheck(
                $"{s.Shape.Name}: package <= {limit:0}% of compile ({kind} code)",
                $"{(s.Package.TimedOut ? "> " : "")}{s.Percent(AnalyzerSets.Package):0.0}%{TimedOut(s.Package)}",
                !s.Package.TimedOut && s.Percent(AnalyzerSets.Package) <= limit,
                cpu is { } c ? $"{(s.Package.TimedOut ? "> " : "")}{c:0.0}%" : null,
                cpu is { } d ? !s.Package.TimedOut && d <= limit : null));
        }

        var corpus = measured.Where(s => Shapes.BudgetCorpus.Contains(s.Shape.Name)).ToList();
        if (corpus.Count > 0)
        {
            var package = corpus.Sum(s => s.Package.AnalyzerTime.TotalMilliseconds);
            var compile = corpus.Sum(s => s.Compile.TotalMilliseconds);
            var anyTimeout = corpus.Any(s => s.Package.TimedOut);
            var withFloor = corpus.Where(s => s.Runs.ContainsKey(AnalyzerSets.Floor)).ToList();
            var cpu = withFloor.Count == corpus.Count
                ? 100 * withFloor.Sum(s => (s.Package.Cpu - s.Runs[AnalyzerSets.Floor].Cpu).TotalMilliseconds) / withFloor.Sum(s => s.CompileRun.Cpu.TotalMilliseconds)
                : (double?)null;
            checks.Add(new BudgetCheck(
                $"driver corpus ({corpus.Count} of {Shapes.BudgetCorpus.Count} budget shapes together): package <= {DriverBudgetPercent:0}% of compile",
                $"{(anyTimeout ? "> " : "")}{100 * package / compile:0.0}% ({package:N0} of {compile:N0} ms){(anyTimeout ? ", some runs were cancelled" : "")}",
                !anyTimeout && 100 * package / compile <= DriverBudgetPercent,
                cpu is { } c ? $"{(anyTimeout ? "> " : "")}{c:0.0}%" : null,
                cpu is { } d ? !anyTimeout && d <= DriverBudgetPercent : null));
        }

        Linearity(checks, measured, Shapes.Method100, Shapes.Method2000, "per statement", s => s.Shape.Statements);
        Linearity(checks, measured, Shapes.FieldRequests10k, Shapes.FieldRequests40k, "per line", s => s.Shape.Lines);

        if (ide is not null && ide.Sets.ContainsKey(AnalyzerSets.Package) && ide.Sets.ContainsKey(AnalyzerSets.Floor))
        {
            checks.Add(new BudgetCheck(
                $"IDE path: package <= {IdeBudget}x the floor",
                $"{ide.Ratio(AnalyzerSets.Package):0.00}x ({Ms(ide.Sets[AnalyzerSets.Package])} vs {Ms(ide.Sets[AnalyzerSets.Floor])} ms)",
                ide.Ratio(AnalyzerSets.Package) <= IdeBudget,
                $"{ide.CpuRatio(AnalyzerSets.Package):0.00}x",
                ide.CpuRatio(AnalyzerSets.Package) <= IdeBudget));
        }

        return checks;
    }

    public static string Checklist(IReadOnlyList<BudgetCheck> checks)
    {
        var text = new StringBuilder();
        text.AppendLine("| Budget | Measured (telemetry) | | Cross-check (processor time, separate runs) | |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var check in checks)
        {
            text.AppendLine($"| {check.Budget} | {check.Measured} | {check.Verdict} | {check.CpuMeasured ?? "-"} | {check.CpuVerdict} |");
        }

        return text.ToString();
    }

    private static void Linearity(List<BudgetCheck> checks, List<ShapeMeasurement> measured, string small, string large, string unit, Func<ShapeMeasurement, int> units)
    {
        var a = measured.FirstOrDefault(s => s.Shape.Name == small);
        var b = measured.FirstOrDefault(s => s.Shape.Name == large);
        if (a is null || b is null)
        {
            return;
        }

        var perA = a.Package.AnalyzerTime.TotalMilliseconds / units(a);
        var perB = b.Package.AnalyzerTime.TotalMilliseconds / units(b);
        var ratio = perB / perA;
        double? cpu = a.Runs.ContainsKey(AnalyzerSets.Floor) && b.Runs.ContainsKey(AnalyzerSets.Floor)
            ? (b.Package.Cpu - b.Runs[AnalyzerSets.Floor].Cpu).TotalMilliseconds / units(b) / ((a.Package.Cpu - a.Runs[AnalyzerSets.Floor].Cpu).TotalMilliseconds / units(a))
            : null;
        var anyTimeout = a.Package.TimedOut || b.Package.TimedOut;
        checks.Add(new BudgetCheck(
            $"linear: package time {unit} of {large} <= {LinearityBudget}x that of {small}",
            $"{ratio:0.00}x ({perB * 1000:0.0} vs {perA * 1000:0.0} us {unit}){TimedOut(b.Package)}",
            !anyTimeout && ratio <= LinearityBudget,
            cpu is { } c ? $"{c:0.00}x" : null,
            cpu is { } d ? !anyTimeout && d <= LinearityBudget : null));
    }

    private static List<string> Peers(IReadOnlyList<ShapeMeasurement> shapes) =>
        new[] { AnalyzerSets.GraphFloor, AnalyzerSets.NetAnalyzers, AnalyzerSets.IDisposableAnalyzers }.Where(p => shapes.Any(s => s.Runs.ContainsKey(p))).ToList();

    private static List<string> FamilyColumns(IReadOnlyList<ShapeMeasurement> shapes) =>
        AnalyzerFamily.Names
            .Concat(shapes.Where(s => s.Runs.ContainsKey(AnalyzerSets.Package)).SelectMany(s => s.Package.ByFamily().Keys))
            .Distinct()
            .ToList();

    private static string Cell(ShapeMeasurement s, string set) =>
        !s.Runs.TryGetValue(set, out var run) ? "-"
        : run.TimedOut ? $"> {Ms(run.AnalyzerTime)} (> {Percent(run.AnalyzerTime, s.Compile)}){TimedOut(run)}"
        : $"{Ms(run.AnalyzerTime)} ({Percent(run.AnalyzerTime, s.Compile)})";

    private static string TimedOut(AnalyzerRun run) => run.TimedOut ? $" **cancelled at {run.TimedOutAfter!.Value.TotalSeconds:0} s**" : "";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString(time.TotalMilliseconds < 10 ? "0.0" : "N0", CultureInfo.InvariantCulture);

    private static string Percent(TimeSpan time, TimeSpan compile) =>
        (100 * time.TotalMilliseconds / compile.TotalMilliseconds).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Diagnostics(AnalyzerRun run)
    {
        var exceptions = run.AnalyzerExceptions;
        var count = run.Diagnostics.Length - exceptions;
        return exceptions == 0 ? count.ToString(CultureInfo.InvariantCulture) : $"{count} + **{exceptions} AD0001**";
    }
}
