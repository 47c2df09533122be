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

/// <summary>Applies a code fix provider the way the IDE does: one diagnostic at a time, or Fix All.</summary>
internal sealed class CodeFixRunner
{
    private readonly CodeFixProvider _fixer;
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly int? _codeActionIndex;
    private readonly string? _equivalenceKey;

    public CodeFixRunner(CodeFixProvider fixer, ImmutableArray<DiagnosticAnalyzer> analyzers, int? codeActionIndex, string? equivalenceKey)
    {
        _fixer = fixer;
        _analyzers = analyzers;
        _codeActionIndex = codeActionIndex;
        _equivalenceKey = equivalenceKey;
    }

    /// <summary>Compiler and analyzer diagnostics (hidden ones too) that the fix says it can fix, in document order.</summary>
    public async Task<ImmutableArray<Diagnostic>> FixableDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var (compiler, analyzer) = await DiagnosticRunner.RunAsync(project, _analyzers, cancellationToken).ConfigureAwait(false);
        var fixable = _fixer.FixableDiagnosticIds;
        return DiagnosticRunner.Sort(compiler.Concat(analyzer).Where(d => fixable.Contains(d.Id) && d.Location.IsInSource));
    }

    /// <summary>Fixes the first fixable diagnostic that gets an action, re-analyzes, and again, at most <paramref name="limit"/> times.</summary>
    /// <param name="failWhenMoreRemain">Fail when a fix is still offered after <paramref name="limit"/> fixes (else stop there).</param>
    public async Task<(Project Project, int Applied)> FixIterativelyAsync(Project project, int limit, bool failWhenMoreRemain, CancellationToken cancellationToken)
    {
        const string Phase = "Iterative code fix";
        for (var applied = 0; ; applied++)
        {
            var found = await FirstActionAsync(project, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return (project, applied);
            }

            if (applied == limit && !failWhenMoreRemain)
            {
                return (project, applied);
            }

            if (applied == limit)
            {
                throw new VerifierException(
                    $"{Phase}: did not converge: after {applied} fix(es) there is still a fix for {DiagnosticFormatter.Describe(found.Value.Diagnostic)}. " +
                    "Set NumberOfIncrementalIterations if more iterations are expected.");
            }

            project = await ApplyAsync(Phase, project, found.Value.Action, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies the Fix All provider in <paramref name="scope"/> until nothing is left to fix, at most <paramref name="limit"/> passes.</summary>
    public async Task<(Project Project, int Passes)> FixAllAsync(string phase, Project project, FixAllScope scope, int limit, CancellationToken cancellationToken)
    {
        var provider = _fixer.GetFixAllProvider()
            ?? throw new VerifierException(
                $"{phase}: {_fixer.GetType().Name}.GetFixAllProvider() returned null. Return a Fix All provider (e.g. WellKnownFixAllProviders.BatchFixer) or set CodeFixTestBehaviors.SkipFixAllCheck.");
        if (!provider.GetSupportedFixAllScopes().Contains(scope))
        {
            throw new VerifierException($"{phase}: the Fix All provider of {_fixer.GetType().Name} does not support the scope {scope}; set CodeFixTestBehaviors to skip it.");
        }

        var diagnosticProvider = new TestDiagnosticProvider(_analyzers);
        for (var passes = 0; ; passes++)
        {
            var found = await FirstActionAsync(project, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return (project, passes);
            }

            if (passes == limit)
            {
                throw new VerifierException(
                    $"{phase}: did not converge: after {passes} pass(es) there is still a fix for {DiagnosticFormatter.Describe(found.Value.Diagnostic)}. " +
                    "Set NumberOfFixAllIterations if more passes are expected.");
            }

            var document = project.GetDocument(found.Value.Diagnostic.Location.SourceTree)!;
            var context = scope == FixAllScope.Document
                ? new FixAllContext(document, _fixer, scope, found.Value.Action.EquivalenceKey, _fixer.FixableDiagnosticIds, diagnosticProvider, cancellationToken)
                : new FixAllContext(project, _fixer, scope, found.Value.Action.EquivalenceKey, _fixer.FixableDiagnosticIds, diagnosticProvider, cancellationToken);
            var action = await provider.GetFixAsync(context).ConfigureAwait(false);
            if (action is null)
            {
                return (project, passes);
            }

            var next = await ApplyAsync(phase, project, action, cancellationToken).ConfigureAwait(false);
            if (await SameTextAsync(project, next, cancellationToken).ConfigureAwait(false))
            {
                return (project, passes);
            }

            project = next;
        }
    }

    /// <summary>The first fixable diagnostic (document order) for which the fix offers the selected action.</summary>
    private async Task<(Diagnostic Diagnostic, CodeAction Action)?> FirstActionAsync(Project project, CancellationToken cancellationToken)
    {
        foreach (var diagnostic in await FixableDiagnosticsAsync(project, cancellationToken).ConfigureAwait(false))
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
            {
                continue;
            }

            var actions = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
            await _fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
            var selected = Select(Flatten(actions).ToList());
            if (selected is not null)
            {
                return (diagnostic, selected);
            }
        }

        return null;
    }

    private CodeAction? Select(IReadOnlyList<CodeAction> actions)
    {
        if (_codeActionIndex is { } index)
        {
            if (index >= actions.Count)
            {
                return null;
            }

            var action = actions[index];
            if (_equivalenceKey is not null && action.EquivalenceKey != _equivalenceKey)
            {
                throw new VerifierException(
                    $"The code action at CodeActionIndex {index} (\"{action.Title}\") has the equivalence key \"{action.EquivalenceKey}\", expected \"{_equivalenceKey}\".");
            }

            return action;
        }

        return _equivalenceKey is null ? actions.FirstOrDefault() : actions.FirstOrDefault(a => a.EquivalenceKey == _equivalenceKey);
    }

    private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions)
        => actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : Flatten(a.NestedActions));

    private static async Task<Project> ApplyAsync(string phase, Project project, CodeAction action, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        var changes = operations.OfType<ApplyChangesOperation>().ToList();
        if (changes.Count != 1)
        {
            throw new VerifierException($"{phase}: the code action \"{action.Title}\" produced {changes.Count} ApplyChangesOperation(s); expected one.");
        }

        return changes[0].ChangedSolution.GetProject(project.Id)
            ?? throw new VerifierException($"{phase}: the code action \"{action.Title}\" removed the test project.");
    }

    private static async Task<bool> SameTextAsync(Project before, Project after, CancellationToken cancellationToken)
    {
        var changes = after.GetChanges(before);
        if (changes.GetAddedDocuments().Any() || changes.GetRemovedDocuments().Any())
        {
            return false;
        }

        foreach (var id in changes.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
        {
            var oldText = await before.GetDocument(id)!.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var newText = await after.GetDocument(id)!.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (!oldText.ContentEquals(newText))
            {
                return false;
            }
        }

        return true;
    }
}
