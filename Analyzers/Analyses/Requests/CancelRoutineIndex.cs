using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// DRV005's cross-method questions, answered lazily per name and cached per compilation: which methods are registered as
/// cancel routines (<c>WdfRequestMarkCancelable(Ex)(request, Routine)</c>), and which cancel routines the requests kept in a
/// field or context member were marked with (the method that marks a request stores it in that member). Only the trees
/// whose name index mentions the name and a mark DDI are bound, each once (its marks are kept across IDE edits).
/// </summary>
internal sealed class CancelRoutineIndex
{
    private static readonly string[] MarkNames = { "WdfRequestMarkCancelable", "WdfRequestMarkCancelableEx" };

    private static readonly TreeFacts<List<Mark>> TreeMarks = new();

    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, ImmutableArray<Mark>> _byName = new(StringComparer.Ordinal);

    public CancelRoutineIndex(AnalysisSession session) => _session = session;

    /// <summary>True when <paramref name="method"/> is passed as the cancel routine of a mark somewhere in the compilation.</summary>
    public bool IsCancelRoutine(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (SymbolIds.IdOf(method) is not { } id)
        {
            return false;
        }

        foreach (var mark in MarksMentioning(method.Name, cancellationToken))
        {
            if (mark.RoutineId == id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The cancel routines of the marks whose request the marking method stores in <paramref name="member"/>.</summary>
    public IEnumerable<string> RoutinesOfRequestsStoredIn(ISymbol member, CancellationToken cancellationToken)
    {
        if (SymbolIds.IdOf(member) is not { } id)
        {
            yield break;
        }

        foreach (var mark in MarksMentioning(member.Name, cancellationToken))
        {
            if (mark.RoutineId is { } routine && mark.StoredIn.Contains(id))
            {
                yield return routine;
            }
        }
    }

    /// <summary>The method a routine ID names in this compilation.</summary>
    public IMethodSymbol? Method(string id) =>
        DocumentationCommentId.GetFirstSymbolForDeclarationId(id, _session.Compilation) as IMethodSymbol;

    /// <summary>The marks of the trees that mention <paramref name="name"/> (gathered once per name).</summary>
    private ImmutableArray<Mark> MarksMentioning(string name, CancellationToken cancellationToken)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }

        var marks = ImmutableArray.CreateBuilder<Mark>();
        foreach (var tree in _session.Compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _session.Telemetry.IndexTreeVisited();
            var index = _session.Index(tree, cancellationToken);
            if (index.Mentions(name) && (index.Mentions(MarkNames[0]) || index.Mentions(MarkNames[1])))
            {
                marks.AddRange(TreeMarks.Get(_session, tree, string.Empty, (model, ct) => MarksOf(model, index, ct), cancellationToken));
            }
        }

        return _byName.GetOrAdd(name, marks.ToImmutable());
    }

    /// <summary>One tree's marks (bound once per tree, kept across IDE edits), found from the index's positions of the mark DDIs' names.</summary>
    private List<Mark> MarksOf(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var result = new List<Mark>();
        var tree = model.SyntaxTree;
        var names = NameMentions.Names(tree, index, MarkNames[0], cancellationToken)
            .Concat(NameMentions.Names(tree, index, MarkNames[1], cancellationToken))
            .OrderBy(name => name.SpanStart);
        foreach (var name in names)
        {
            if (name is not IdentifierNameSyntax || NameMentions.Expression(name) is not { Parent: InvocationExpressionSyntax syntax } invoked ||
                syntax.Expression != invoked)
            {
                continue;
            }

            if (model.GetOperation(syntax, cancellationToken) is not IInvocationOperation { Arguments.Length: 2 } mark ||
                !_session.Catalog.Has(mark.TargetMethod, DdiRole.MarksCancelable))
            {
                continue;
            }

            var routine = DdiArguments.RoutineMethod(mark.Arguments[1].Value);
            var stored = new HashSet<string>(StringComparer.Ordinal);
            if (OperationUnwrap.Unwrap(mark.Arguments[0].Value) switch
                {
                    ILocalReferenceOperation local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                } is { } request && TreeRequestFacts.EnclosingMember(syntax) is { } body)
            {
                foreach (var assignment in body.DescendantNodes())
                {
                    if (assignment is AssignmentExpressionSyntax &&
                        model.GetOperation(assignment, cancellationToken) is ISimpleAssignmentOperation store &&
                        OperationUnwrap.Unwrap(store.Value) is { } value &&
                        SymbolEqualityComparer.Default.Equals(value switch
                        {
                            ILocalReferenceOperation local => local.Local,
                            IParameterReferenceOperation parameter => parameter.Parameter,
                            _ => null,
                        }, request) &&
                        TreeRequestFacts.MemberOf(store.Target) is { } member)
                    {
                        stored.Add(member);
                    }
                }
            }

            result.Add(new Mark(routine is null ? null : SymbolIds.IdOf(routine), stored));
        }

        return result;
    }

    private sealed class Mark
    {
        public Mark(string? routineId, HashSet<string> storedIn)
        {
            RoutineId = routineId;
            StoredIn = storedIn;
        }

        /// <summary>The cancel routine when it is a method group of a method.</summary>
        public string? RoutineId { get; }

        /// <summary>The members the marking method stores the marked request in.</summary>
        public HashSet<string> StoredIn { get; }
    }
}
