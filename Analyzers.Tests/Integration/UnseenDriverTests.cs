using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// Driver code the rule authors did not see (<c>UnseenDrivers/*.cs</c>, compiled into this assembly too): every
/// analyzer of the package runs on each file, and the findings must be exactly the <c>// BUG DRVnnn</c> markers.
/// Every fix offered for a finding must compile and remove that finding.
/// </summary>
public sealed class UnseenDriverTests
{
    private static readonly Regex Marker = new(@"//\s*BUG((?:\s+DRV\d{3})+)", RegexOptions.Compiled);

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(DriverBuffers.Analyzers.Allocation.DeprecatedPoolAllocationAnalyzer).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static readonly ImmutableArray<CodeFixProvider> Fixers = typeof(DriverBuffers.CodeFixes.Allocation.DeprecatedPoolAllocationCodeFix).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>
    /// Real bugs (the marker stays) that an analyzer does not find yet, or findings that are known to be wrong: left
    /// out of <see cref="FindingsAreExactlyTheMarkers"/> and each checked by its own skipped test below.
    /// </summary>
    private static readonly (string File, string Id, string Line)[] KnownIssues =
    {
        ("NonPnpIoctl.cs", "DRV023", "WdfRequestCompleteWithInformation(Request, status, information); // BUG DRV023"),
        ("PreallocatedConfigBlock.cs", "DRV023", "WdfRequestComplete(Request, Params.IoStatus.Status); // BUG DRV023"),
        ("PreallocatedConfigBlock.cs", "DRV040", "if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS)) // BUG DRV040"),
    };

    [Fact(Skip = "known false negative: DRV023 judges a symbolic information value only when it is a buffer length; here it is a field (the device string's length) assigned on one switch case")]
    public Task KnownFalseNegative_Drv023_InformationFromAField() => AssertKnownIssueAsync(0);

    [Fact(Skip = "known false negative: an IOCTL forwarded as a write and completed with WdfRequestComplete keeps the lower driver's byte count as its information (the runtime twin raises DRV023); the analyzer does not judge information it did not see written")]
    public Task KnownFalseNegative_Drv023_LowerDriverInformationKeptByWdfRequestComplete() => AssertKnownIssueAsync(1);

    [Fact(Skip = "known false negative: DRV040 needs the preallocated buffer freed in the sending method; a device-lifetime block (memory in a field, buffer freed by the cleanup callback while a push may be pending) is not seen")]
    public Task KnownFalseNegative_Drv040_DeviceLifetimePreallocatedBufferSentAsynchronously() => AssertKnownIssueAsync(2);

    private static async Task AssertKnownIssueAsync(int index)
    {
        var (file, id, lineText) = KnownIssues[index];
        var text = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory(), file));
        var line = Array.FindIndex(text.Split('\n'), l => l.Contains(lineText, StringComparison.Ordinal)) + 1;
        var expected = Markers(text, out _).Contains((line, id));
        var (_, findings) = await AnalyzeAsync(text, CancellationToken.None);
        var reported = findings.Any(d => d.Id == id && d.Location.GetLineSpan().StartLinePosition.Line + 1 == line);
        Assert.Equal(expected, reported);
    }

    private static HashSet<(int Line, string Id)> KnownIssueSpots(string fileName, string text)
    {
        var lines = text.Split('\n');
        return KnownIssues.Where(k => k.File == fileName)
            .Select(k => (Array.FindIndex(lines, l => l.Contains(k.Line, StringComparison.Ordinal)) + 1, k.Id))
            .ToHashSet();
    }

    private static readonly ImmutableHashSet<string> SupportedIds =
        Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(CorpusDirectory(), "*.cs").OrderBy(p => p, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void CorpusIsThere()
    {
        Assert.True(Directory.GetFiles(CorpusDirectory(), "*.cs").Length >= 8, "at least 8 unseen driver files");
        Assert.NotEmpty(Analyzers);
        Assert.NotEmpty(Fixers);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task FindingsAreExactlyTheMarkers(string fileName)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory(), fileName));
        var expected = Markers(text, out var pending);
        var (_, findings) = await AnalyzeAsync(text, CancellationToken.None);
        var actual = findings.Select(d => (Line: d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id)).ToHashSet();
        var known = KnownIssueSpots(fileName, text);
        expected.ExceptWith(known);
        actual.ExceptWith(known);

        var missing = expected.Except(actual).OrderBy(x => x).ToList();
        var unexpected = actual.Except(expected).OrderBy(x => x).ToList();
        if (missing.Count == 0 && unexpected.Count == 0)
        {
            return;
        }

        var lines = text.Split('\n');
        var report = new StringBuilder($"{fileName}: findings differ from the // BUG markers\n");
        foreach (var (line, id) in missing)
        {
            report.Append($"  MISSED      {id} at line {line}: {lines[line - 1].Trim()}\n");
        }

        foreach (var (line, id) in unexpected)
        {
            var message = findings.First(d => d.Id == id && d.Location.GetLineSpan().StartLinePosition.Line + 1 == line).GetMessage();
            report.Append($"  UNEXPECTED  {id} at line {line}: {lines[line - 1].Trim()}\n              \"{message}\"\n");
        }

        if (pending.Count > 0)
        {
            report.Append($"  (markers for rules without an analyzer yet, not compared: {string.Join(", ", pending.Distinct())})\n");
        }

        Assert.Fail(report.ToString());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EveryOfferedFixCompilesAndRemovesItsFinding(string fileName)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory(), fileName));
        var project = CreateProject(text);
        var (compiler, findings) = await AnalyzerHarness.RunOnProjectAsync(project, Analyzers, CancellationToken.None);
        var errorsBefore = compiler.Count(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(0, errorsBefore);
        var document = project.Documents.Single();
        var failures = new List<string>();
        var applied = 0;

        foreach (var finding in findings.Where(d => d.Severity != DiagnosticSeverity.Hidden))
        {
            var line = finding.Location.GetLineSpan().StartLinePosition.Line + 1;
            foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(finding.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, finding, (action, _) => actions.Add(action), CancellationToken.None);
                await fixer.RegisterCodeFixesAsync(context);
                foreach (var action in actions)
                {
                    applied++;
                    var where = $"{finding.Id} at line {line}, fix \"{action.Title}\" ({fixer.GetType().Name})";
                    var operations = await action.GetOperationsAsync(CancellationToken.None);
                    var apply = operations.OfType<ApplyChangesOperation>().SingleOrDefault();
                    if (apply is null)
                    {
                        failures.Add($"{where}: no ApplyChangesOperation");
                        continue;
                    }

                    var fixedProject = apply.ChangedSolution.GetProject(project.Id)!;
                    var fixedText = (await fixedProject.Documents.Single().GetTextAsync()).ToString();
                    var (fixedCompiler, fixedFindings) = await AnalyzerHarness.RunOnProjectAsync(fixedProject, Analyzers, CancellationToken.None);
                    var errors = fixedCompiler.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                    if (errors.Count > 0)
                    {
                        failures.Add($"{where}: the fixed code does not compile:\n    " + string.Join("\n    ", errors.Select(e => $"{e.Id} line {e.Location.GetLineSpan().StartLinePosition.Line + 1}: {e.GetMessage()} | {FixedLine(fixedText, e)}")));
                        continue;
                    }

                    var before = findings.Count(d => d.Id == finding.Id);
                    var after = fixedFindings.Count(d => d.Id == finding.Id);
                    if (after >= before)
                    {
                        failures.Add($"{where}: the finding is still there ({before} {finding.Id} before the fix, {after} after)");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{fileName}: {applied} fixes applied, {failures.Count} bad:\n" + string.Join("\n", failures));
    }

    /// <summary>Code being typed: every line prefix (every third line) of a corpus file analyzes without AD0001.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public async Task NoAnalyzerExceptionOnLinePrefixes(string fileName)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory(), fileName));
        var lineStarts = SourceText.From(text).Lines.Select(l => l.Start).ToList();
        for (var i = 1; i < lineStarts.Count; i += 3)
        {
            var prefix = text.Substring(0, lineStarts[i]);
            // RunOnProjectAsync fails on AD0001 and on unsupported IDs.
            await AnalyzerHarness.RunOnProjectAsync(CreateProject(prefix), Analyzers, CancellationToken.None);
        }
    }

    /// <summary>Nothing is reported in generated code: the same buggy file, marked auto-generated, is silent.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public async Task NothingInGeneratedCode(string fileName)
    {
        var text = "// <auto-generated/>\n#nullable enable\n" + await File.ReadAllTextAsync(Path.Combine(CorpusDirectory(), fileName));
        var (_, findings) = await AnalyzeAsync(text, CancellationToken.None);
        Assert.Empty(findings);
    }

    /// <summary>One defect, one diagnostic: no two findings of the same ID on one line.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public async Task NoDuplicateFindings(string fileName)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory(), fileName));
        var (_, findings) = await AnalyzeAsync(text, CancellationToken.None);
        var duplicates = findings
            .GroupBy(d => (d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Id} x{g.Count()} at line {g.Key.Item1}")
            .ToList();
        Assert.True(duplicates.Count == 0, string.Join("\n", duplicates));
    }

    internal static async Task<(ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Findings)> AnalyzeAsync(string text, CancellationToken cancellationToken)
    {
        var (compiler, analyzer) = await AnalyzerHarness.RunOnProjectAsync(CreateProject(text), Analyzers, cancellationToken);
        var errors = compiler.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the corpus file does not compile on its own:\n" + string.Join("\n", errors));
        return (compiler, analyzer.Where(d => d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray());
    }

    internal static Project CreateProject(string text) =>
        AnalyzerHarness.CreateProject(new[] { ("/0/Driver.cs", text) }, includeDriverUsings: false);

    /// <summary>The (line, ID) pairs of the <c>// BUG</c> markers whose rule has an analyzer; the others in <paramref name="pending"/>.</summary>
    private static HashSet<(int Line, string Id)> Markers(string text, out List<string> pending)
    {
        var result = new HashSet<(int, string)>();
        pending = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Marker.Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            foreach (var id in match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (SupportedIds.Contains(id))
                {
                    result.Add((i + 1, id));
                }
                else
                {
                    pending.Add(id);
                }
            }
        }

        return result;
    }

    private static string FixedLine(string text, Diagnostic error)
    {
        var line = error.Location.GetLineSpan().StartLinePosition.Line;
        var lines = text.Split('\n');
        return line < lines.Length ? lines[line].Trim() : string.Empty;
    }

    private static string CorpusDirectory([CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(thisFile)!, "UnseenDrivers");
}
