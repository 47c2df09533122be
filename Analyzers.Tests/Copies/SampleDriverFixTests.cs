using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Copies;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using DriverBuffers.CodeFixes.Copies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Copies;

/// <summary>
/// The copy rules on driver code written without them in mind: the repository's samples. The correct driver is
/// silent; the buggy one is flagged exactly on its marked lines; every fix offered there compiles and removes its finding.
/// </summary>
public class SampleDriverFixTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        ImmutableArray.Create<DiagnosticAnalyzer>(new CopyBoundsAnalyzer(), new StatusCheckAnalyzer());

    private static readonly CodeFixProvider[] Fixes = { new UnboundedCopyCodeFix(), new StatusCheckCodeFix() };

    [Fact]
    public async Task TheCorrectDriverIsSilent()
    {
        var (diagnostics, _) = await AnalyzeAsync(CreateProject("CorrectDriver"));
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task TheBuggyDriverIsFlaggedOnItsMarkedLines()
    {
        var project = CreateProject("BuggyDriver");
        var (diagnostics, _) = await AnalyzeAsync(project);
        var marked = new List<(string File, int Line, string Id)>();
        foreach (var document in project.Documents)
        {
            var lines = (await document.GetTextAsync()).Lines;
            foreach (var line in lines)
            {
                var text = line.ToString();
                foreach (var id in new[] { "DRV020", "DRV021", "DRV022", "DRV023" }.Where(id => text.Contains("// BUG " + id, StringComparison.Ordinal)))
                {
                    marked.Add((document.FilePath!, line.LineNumber, id));
                }
            }
        }

        var reported = diagnostics.Select(d => (d.Location.SourceTree!.FilePath, d.Location.GetLineSpan().StartLinePosition.Line, d.Id)).ToList();
        Assert.Equal(4, marked.Count);
        Assert.Equal(marked.OrderBy(m => m).ToList(), reported.OrderBy(r => r).ToList());
    }

    [Fact]
    public async Task EveryFixOfferedOnTheBuggyDriverCompilesAndRemovesItsFinding()
    {
        var project = CreateProject("BuggyDriver");
        var (diagnostics, errors) = await AnalyzeAsync(project);
        Assert.Empty(errors);
        var applied = 0;
        foreach (var diagnostic in diagnostics)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            foreach (var action in await ActionsAsync(document, diagnostic))
            {
                var operations = await action.GetOperationsAsync(CancellationToken.None);
                var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(project.Id)!;
                var (after, afterErrors) = await AnalyzeAsync(changed);
                Assert.Empty(afterErrors);
                Assert.Equal(diagnostics.Count(d => d.Id == diagnostic.Id) - 1, after.Count(d => d.Id == diagnostic.Id));
                Assert.True(after.Length < diagnostics.Length, $"{action.Title} on {diagnostic} added findings: {string.Join("; ", after)}");
                applied++;
            }
        }

        Assert.Equal(3, applied); // DRV020, DRV021, DRV022 (DRV023 has no fix)
    }

    private static async Task<List<CodeAction>> ActionsAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await fix.RegisterCodeFixesAsync(context);
        }

        return actions;
    }

    private static async Task<(ImmutableArray<Diagnostic> Findings, ImmutableArray<Diagnostic> Errors)> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var findings = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(findings, d => d.Id == "AD0001");
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (findings, errors);
    }

    private static Project CreateProject(string sample, [CallerFilePath] string thisFile = "")
    {
        var folder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "samples", sample));
        var sources = Directory.GetFiles(folder, "*.cs")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => ("/" + sample + "/" + Path.GetFileName(f), File.ReadAllText(f)));
        return AnalyzerHarness.CreateProject(sources, includeDriverUsings: false);
    }
}
