using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>
/// A code fix test (mirrors Microsoft.CodeAnalysis.Testing's <c>CodeFixTest&lt;TVerifier&gt;</c>). Besides the
/// analyzer check of <see cref="AnalyzerTest.TestState"/> it checks <see cref="FixedState"/>, then applies the
/// fix three ways, each from the original sources: one diagnostic at a time, Fix All in Document and
/// Fix All in Project. Each result must equal the fixed sources exactly.
/// </summary>
public abstract class CodeFixTest : AnalyzerTest
{
    /// <summary>Adds an expected fixed source <c>/0/Test{n}.cs</c> (markup allowed).</summary>
    public string FixedCode
    {
        set => FixedState.Sources.Add(value);
    }

    /// <summary>
    /// The expected result of the fix: its sources and the diagnostics that remain. When it has no source,
    /// the sources of <see cref="AnalyzerTest.TestState"/> are expected unchanged (with their diagnostics).
    /// </summary>
    public SolutionState FixedState { get; } = new();

    /// <summary>Adds an expected Fix All result <c>/0/Test{n}.cs</c>, when it differs from <see cref="FixedCode"/>.</summary>
    public string BatchFixedCode
    {
        set => BatchFixedState.Sources.Add(value);
    }

    /// <summary>The expected result of Fix All; when it has no source, <see cref="FixedState"/> is expected.</summary>
    public SolutionState BatchFixedState { get; } = new();

    /// <summary>Which of the offered code actions to apply (after flattening nested actions); the first by default.</summary>
    public int? CodeActionIndex { get; set; }

    /// <summary>The equivalence key of the code action to apply.</summary>
    public string? CodeActionEquivalenceKey { get; set; }

    /// <summary>
    /// The number of code fixes the iterative phase must apply; negative: at most its absolute value.
    /// By default at most the number of fixable diagnostics in the test state.
    /// </summary>
    public int? NumberOfIncrementalIterations { get; set; }

    /// <summary>The number of Fix All passes for both scopes (negative: at most); by default at most one per scope unit.</summary>
    public int? NumberOfFixAllIterations { get; set; }

    public int? NumberOfFixAllInDocumentIterations { get; set; }

    public int? NumberOfFixAllInProjectIterations { get; set; }

    public CodeFixTestBehaviors CodeFixTestBehaviors { get; set; }

    protected abstract IEnumerable<CodeFixProvider> GetCodeFixProviders();

    public override async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await base.RunAsync(cancellationToken).ConfigureAwait(false);

        var analyzers = GetDiagnosticAnalyzers().ToImmutableArray();
        var testState = Evaluate(TestState, analyzers);
        var fixedState = FixedState.Sources.Count > 0
            ? Evaluate(FixedState, analyzers)
            : Evaluate(TestState.Sources, FixedState.ExpectedDiagnostics.Count > 0 ? FixedState.ExpectedDiagnostics : TestState.ExpectedDiagnostics, analyzers);
        await VerifyDiagnosticsAsync("FixedState", fixedState, analyzers, FixedState, cancellationToken).ConfigureAwait(false);
        var batchFixedState = fixedState;
        if (BatchFixedState.Sources.Count > 0)
        {
            batchFixedState = Evaluate(BatchFixedState, analyzers);
            await VerifyDiagnosticsAsync("BatchFixedState", batchFixedState, analyzers, BatchFixedState, cancellationToken).ConfigureAwait(false);
        }

        var fixer = GetCodeFixProviders().Single();
        var runner = new CodeFixRunner(fixer, analyzers, CodeActionIndex, CodeActionEquivalenceKey);
        var original = CreateProject(testState.Sources, TestState);
        var fixableAtStart = await runner.FixableDiagnosticsAsync(original, cancellationToken).ConfigureAwait(false);

        var fixOne = CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.FixOne);
        var incrementalLimit = fixOne ? 1 : NumberOfIncrementalIterations ?? -fixableAtStart.Length;
        var (iterative, applied) = await runner.FixIterativelyAsync(original, Math.Abs(incrementalLimit), failWhenMoreRemain: !fixOne, cancellationToken).ConfigureAwait(false);
        CheckIterations("Iterative code fix", incrementalLimit, applied);
        await VerifyFixedSourcesAsync("Iterative code fix", iterative, fixedState).ConfigureAwait(false);

        if (!CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllInDocumentCheck))
        {
            var documents = fixableAtStart.Select(d => d.Location.SourceTree).Distinct().Count();
            var limit = NumberOfFixAllInDocumentIterations ?? NumberOfFixAllIterations ?? -documents;
            await VerifyFixAllAsync(runner, FixAllScope.Document, original, limit, batchFixedState, cancellationToken).ConfigureAwait(false);
        }

        if (!CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllInProjectCheck))
        {
            var limit = NumberOfFixAllInProjectIterations ?? NumberOfFixAllIterations ?? -Math.Min(1, fixableAtStart.Length);
            await VerifyFixAllAsync(runner, FixAllScope.Project, original, limit, batchFixedState, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task VerifyFixAllAsync(CodeFixRunner runner, FixAllScope scope, Project original, int limit, EvaluatedState fixedState, CancellationToken cancellationToken)
    {
        var phase = $"Fix All in {scope}";
        var (result, passes) = await runner.FixAllAsync(phase, original, scope, Math.Abs(limit), cancellationToken).ConfigureAwait(false);
        CheckIterations(phase, limit, passes);
        await VerifyFixedSourcesAsync(phase, result, fixedState).ConfigureAwait(false);
    }

    private static void CheckIterations(string phase, int limit, int applied)
    {
        if (limit >= 0 && applied != limit)
        {
            throw new VerifierException($"{phase}: expected {limit} iteration(s), but {applied} were applied.");
        }
    }

    /// <summary>The documents of <paramref name="project"/> must be exactly the fixed sources, text for text.</summary>
    private static async Task VerifyFixedSourcesAsync(string phase, Project project, EvaluatedState fixedState)
    {
        var actual = TestProjectFactory.TestDocuments(project).ToList();
        var expectedPaths = fixedState.Sources.Select(s => s.Path).ToList();
        var actualPaths = actual.Select(d => d.FilePath!).ToList();
        if (!expectedPaths.OrderBy(p => p, StringComparer.Ordinal).SequenceEqual(actualPaths, StringComparer.Ordinal))
        {
            throw new VerifierException(
                $"{phase}: the fixed project has the documents [{string.Join(", ", actualPaths)}], expected [{string.Join(", ", expectedPaths)}].");
        }

        foreach (var expected in fixedState.Sources)
        {
            var document = actual.Single(d => d.FilePath == expected.Path);
            var text = (await document.GetTextAsync().ConfigureAwait(false)).ToString();
            var expectedText = expected.Text.ToString();
            if (text != expectedText)
            {
                throw new VerifierException($"{phase}: {expected.Path} differs from the expected fixed code.\n{TextDiff.Format(expectedText, text)}");
            }
        }
    }
}

/// <summary>A C# code fix test (like <c>CSharpCodeFixTest&lt;TAnalyzer, TCodeFix, DefaultVerifier&gt;</c>).</summary>
public class CSharpCodeFixTest<TAnalyzer, TCodeFix> : CodeFixTest
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new[] { new TAnalyzer() };

    protected override IEnumerable<CodeFixProvider> GetCodeFixProviders() => new[] { new TCodeFix() };
}
