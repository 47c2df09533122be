using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// How the execution-level indexes answer a cross-method question per name: from the trees whose
/// <see cref="SyntaxTreeIndex"/> mentions the name and one of some DDI names, each tree answering from the places that
/// name it (found from its index, not by walking it) once
/// (bound and kept with the tree across IDE edits: <see cref="TreeFacts{TAnswer}"/>), nothing else bound. The trees
/// that mention one of the DDI names are listed once per compilation, on the first question; a compilation where none
/// does answers every later question without looking at a tree.
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

    /// <summary>
    /// The answers of the trees that mention <paramref name="name"/> (or, null, any tree) and one of the DDI names, each
    /// computed by <paramref name="answer"/> from the tree's model and name index the first time. The answer is kept
    /// under <paramref name="question"/> (by default the name): an answer that does not depend on the name is asked
    /// under one question whichever name found the tree, and each tree is bound once.
    /// </summary>
    public IEnumerable<(SyntaxTree Tree, TAnswer Answer)> Answers<TAnswer>(
        TreeFacts<TAnswer> facts, string? name, Func<SemanticModel, SyntaxTreeIndex, CancellationToken, TAnswer> answer,
        CancellationToken cancellationToken, string? question = null)
        where TAnswer : class
    {
        foreach (var tree in Candidates(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = _session.Index(tree, cancellationToken);
            if (name is not null && !index.Mentions(name))
            {
                continue;
            }

            yield return (tree, facts.Get(_session, tree, question ?? name ?? string.Empty, (model, ct) => answer(model, index, ct), cancellationToken));
        }
    }

    /// <summary>Every call of <paramref name="tree"/> (for a question about no name).</summary>
    public static IEnumerable<InvocationExpressionSyntax> AllCalls(SyntaxTree tree, CancellationToken cancellationToken) =>
        tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>();

    /// <summary>
    /// Each mention of <paramref name="name"/> as an identifier of the tree, from its index (no walk of the tree): the
    /// expression it ends (<c>name</c> or <c>x.name</c>), in source order.
    /// </summary>
    public static IEnumerable<ExpressionSyntax> Mentions(SyntaxTree tree, SyntaxTreeIndex index, string name, CancellationToken cancellationToken) =>
        NameMentions.Names(tree, index, name, cancellationToken).OfType<IdentifierNameSyntax>().Select(NameMentions.Expression);

    /// <summary>The call <paramref name="expression"/> is an argument of, with the argument's position; null when it is none.</summary>
    public static (InvocationExpressionSyntax Call, int Ordinal)? ArgumentOf(ExpressionSyntax expression) =>
        expression.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } list } argument
            ? (call, list.Arguments.IndexOf(argument))
            : null;

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
