using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>A test state after markup parsing: plain sources and fully resolved expected diagnostics.</summary>
internal sealed record EvaluatedState(ImmutableArray<TestSource> Sources, ImmutableArray<DiagnosticResult> ExpectedDiagnostics);

/// <summary>
/// An analyzer test (mirrors Microsoft.CodeAnalysis.Testing's <c>AnalyzerTest&lt;TVerifier&gt;</c>): set
/// <see cref="TestCode"/> or <see cref="TestState"/>, the expected diagnostics, and call <see cref="RunAsync"/>.
/// </summary>
public abstract class AnalyzerTest
{
    /// <summary>Adds a source file <c>/0/Test{n}.cs</c> (markup allowed).</summary>
    public string TestCode
    {
        set => TestState.Sources.Add(value);
    }

    public SolutionState TestState { get; } = new();

    /// <summary>The diagnostics expected in <see cref="TestState"/> besides those given by markup.</summary>
    public List<DiagnosticResult> ExpectedDiagnostics => TestState.ExpectedDiagnostics;

    /// <summary>Which compiler diagnostics must be expected; compiler errors by default.</summary>
    public CompilerDiagnostics CompilerDiagnostics { get; set; } = CompilerDiagnostics.Errors;

    /// <summary>Diagnostic IDs turned off in the compilation and ignored in the comparison.</summary>
    public List<string> DisabledDiagnostics { get; } = new();

    /// <summary>
    /// Adds <c>/0/DriverUsings.cs</c> with <c>global using System; global using DriverBuffers;
    /// global using static DriverBuffers.Wdf; global using static DriverBuffers.Wdm;</c> when the runtime
    /// assembly defines <c>Wdf</c> and <c>Wdm</c>. True by default.
    /// </summary>
    public bool IncludeDriverUsings { get; set; } = true;

    /// <summary>Changes applied to the solution after it is built (e.g. other compilation options).</summary>
    public List<Func<Solution, ProjectId, Solution>> SolutionTransforms { get; } = new();

    /// <summary>Runs the test; throws a <see cref="VerifierException"/> when it fails.</summary>
    public virtual async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (TestState.Sources.Count == 0)
        {
            throw new InvalidOperationException("The test has no source: set TestCode or TestState.Sources.");
        }

        var analyzers = GetDiagnosticAnalyzers().ToImmutableArray();
        await VerifyDiagnosticsAsync("TestState", Evaluate(TestState, analyzers), analyzers, TestState, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The analyzers under test.</summary>
    protected abstract IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers();

    /// <summary>Runs the analyzers on <paramref name="state"/> and compares the diagnostics with its expectations.</summary>
    private protected async Task VerifyDiagnosticsAsync(
        string context, EvaluatedState state, ImmutableArray<DiagnosticAnalyzer> analyzers, SolutionState configSource, CancellationToken cancellationToken)
    {
        var project = CreateProject(state.Sources, configSource);
        var (compiler, analyzer) = await DiagnosticRunner.RunAsync(project, analyzers, cancellationToken).ConfigureAwait(false);
        var visible = DiagnosticRunner.Visible(compiler, analyzer, CompilerDiagnostics, DisabledDiagnostics);
        DiagnosticComparer.Verify(context, state.ExpectedDiagnostics, visible);
    }

    private protected Project CreateProject(IEnumerable<TestSource> sources, SolutionState configSource)
    {
        var configs = configSource.AnalyzerConfigFiles.Count > 0 ? configSource.AnalyzerConfigFiles : TestState.AnalyzerConfigFiles;
        var additional = configSource.AdditionalFiles.Count > 0 ? configSource.AdditionalFiles : TestState.AdditionalFiles;
        var references = configSource.AdditionalReferences.Count > 0 ? configSource.AdditionalReferences : TestState.AdditionalReferences;
        var settings = new ProjectSettings(
            configs.Select(f => (TestProjectFactory.NormalizePath(f.filename), f.content)).ToList(),
            additional.Select(f => (TestProjectFactory.NormalizePath(f.filename), f.content)).ToList(),
            references,
            DisabledDiagnostics,
            IncludeDriverUsings,
            SolutionTransforms);
        return TestProjectFactory.CreateProject(sources, settings);
    }

    /// <summary>Parses the markup of <paramref name="state"/> and resolves every expected location.</summary>
    private protected static EvaluatedState Evaluate(SolutionState state, ImmutableArray<DiagnosticAnalyzer> analyzers)
        => Evaluate(state.Sources, state.ExpectedDiagnostics, analyzers);

    private protected static EvaluatedState Evaluate(
        IEnumerable<(string filename, SourceText content)> files, IEnumerable<DiagnosticResult> explicitExpected, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var descriptors = analyzers.SelectMany(a => a.SupportedDiagnostics).GroupBy(d => d.Id).Select(g => g.First()).ToList();
        var sources = ImmutableArray.CreateBuilder<TestSource>();
        var markupLocations = new Dictionary<int, FileLinePositionSpan>();
        var expected = new List<DiagnosticResult>();
        foreach (var (filename, content) in files)
        {
            var path = TestProjectFactory.NormalizePath(filename);
            if (sources.Any(s => s.Path == path))
            {
                throw new InvalidOperationException($"Two sources are named {path}.");
            }

            var (text, spans) = TestMarkup.Parse(content.ToString(), path);
            var sourceText = SourceText.From(text, content.Encoding, content.ChecksumAlgorithm);
            sources.Add(new TestSource(path, sourceText));
            foreach (var marked in spans)
            {
                var lineSpan = new FileLinePositionSpan(path, sourceText.Lines.GetLinePositionSpan(marked.Span));
                if (marked.Key is { } key && key.StartsWith('#'))
                {
                    if (!int.TryParse(key.AsSpan(1), out var number) || !markupLocations.TryAdd(number, lineSpan))
                    {
                        throw new InvalidOperationException($"Markup location {{|{key}:…|}} in {path} is not a number or is used twice.");
                    }

                    continue;
                }

                expected.Add(MarkupDiagnostic(marked.Key, descriptors).WithSpan(lineSpan)
                    .WithMessage(null)
                    .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations | DiagnosticOptions.IgnoreSeverity));
            }
        }

        foreach (var result in explicitExpected)
        {
            var spans = result.Spans.Select(location =>
            {
                if (!location.Options.HasFlag(DiagnosticLocationOptions.InterpretAsMarkupKey))
                {
                    return location;
                }

                var key = location.Span.StartLinePosition.Character;
                if (!markupLocations.TryGetValue(key, out var span))
                {
                    throw new InvalidOperationException($"Diagnostic {result.Id} uses WithLocation({key}), but no source has the markup {{|#{key}:…|}}.");
                }

                return new DiagnosticLocation(span, location.Options & ~DiagnosticLocationOptions.InterpretAsMarkupKey);
            }).ToImmutableArray();
            expected.Add(result.WithSpans(spans).WithDefaultPath(TestProjectFactory.DefaultFilePath));
        }

        return new EvaluatedState(sources.ToImmutable(), expected.ToImmutableArray());
    }

    private static DiagnosticResult MarkupDiagnostic(string? id, IReadOnlyList<DiagnosticDescriptor> descriptors)
    {
        if (id is null)
        {
            if (descriptors.Count != 1)
            {
                throw new InvalidOperationException(
                    $"The markup [|…|] needs an analyzer with exactly one supported diagnostic, but there are {descriptors.Count} ({string.Join(", ", descriptors.Select(d => d.Id))}): write {{|ID:…|}} instead.");
            }

            return new DiagnosticResult(descriptors[0]);
        }

        var descriptor = descriptors.FirstOrDefault(d => d.Id == id);
        return descriptor is null ? DiagnosticResult.CompilerError(id) : new DiagnosticResult(descriptor);
    }
}

/// <summary>A C# analyzer test of <typeparamref name="TAnalyzer"/> (like <c>CSharpAnalyzerTest&lt;TAnalyzer, DefaultVerifier&gt;</c>).</summary>
public class CSharpAnalyzerTest<TAnalyzer> : AnalyzerTest
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new[] { new TAnalyzer() };
}
