#pragma warning disable RS1030 // cross-method facts: the trees that mention a name are bound, once per name
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// The calls of the trees whose <see cref="SyntaxTreeIndex"/> mentions a name and one of some DDI names, each with its
/// tree's semantic model: how the execution-level indexes answer a cross-method question per name, binding nothing
/// else (each tree bound is counted in <see cref="EngineTelemetry.TreesBound"/>). The trees that mention one of the DDI
/// names are listed once per compilation, on the first question; a compilation where none does answers every later
/// question without looking at a tree.
/// </summary>
internal sealed class CallsInTreesNaming
{
    private readonly AnalysisSession _session;
    private readonly string[] _ddiNames;
    private readonly object _gate = new();
    private List<SyntaxTree>? _candidates;

    public CallsInTreesNaming(AnalysisSession session, string[] ddiNames)
    {
        _session = session;
        _ddiNames = ddiNames;
    }

    /// <summary>The calls of the trees that mention <paramref name="name"/> and one of the DDI names.</summary>
    public IEnumerable<(InvocationExpressionSyntax Call, SemanticModel Model)> Find(string name, CancellationToken cancellationToken) =>
        FindIn(name, cancellationToken);

    /// <summary>The calls of the trees that mention one of the DDI names.</summary>
    public IEnumerable<(InvocationExpressionSyntax Call, SemanticModel Model)> FindAll(CancellationToken cancellationToken) =>
        FindIn(null, cancellationToken);

    private IEnumerable<(InvocationExpressionSyntax Call, SemanticModel Model)> FindIn(string? name, CancellationToken cancellationToken)
    {
        foreach (var tree in Candidates(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name is not null && !_session.Index(tree, cancellationToken).Mentions(name))
            {
                continue;
            }

            _session.Telemetry.TreeBound();
            var model = _session.Compilation.GetSemanticModel(tree);
            foreach (var call in tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                yield return (call, model);
            }
        }
    }

    /// <summary>True when <paramref name="expression"/> is <paramref name="name"/> or ends with <c>.name</c>.</summary>
    public static bool EndsWithName(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == name,
        _ => false,
    };

    private List<SyntaxTree> Candidates(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _candidates) is { } known)
        {
            return known;
        }

        lock (_gate)
        {
            if (_candidates is { } again)
            {
                return again;
            }

            var candidates = new List<SyntaxTree>();
            foreach (var tree in _session.Compilation.SyntaxTrees)
            {
                var index = _session.Index(tree, cancellationToken);
                if (!Array.TrueForAll(_ddiNames, ddi => !index.Mentions(ddi)))
                {
                    candidates.Add(tree);
                }
            }

            Volatile.Write(ref _candidates, candidates);
            return candidates;
        }
    }
}
