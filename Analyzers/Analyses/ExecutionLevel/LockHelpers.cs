using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>What a lock helper leaves behind: the IRQL raised (a spin lock held) or lowered (a lock released) when it returns.</summary>
internal enum LockEffectKind
{
    /// <summary>Returns with a spin lock it acquired held, or the IRQL it raised still raised (<c>AcquireLock(ctx)</c>).</summary>
    Acquires,

    /// <summary>Releases a spin lock (or lowers the IRQL) it did not acquire (<c>ReleaseLock(ctx)</c>).</summary>
    Releases,
}

/// <summary>
/// A helper's lock summary: whether it returns holding a spin lock it acquired, or releases one its caller holds, and the
/// DDI that does it (<c>WdfSpinLockAcquire</c>) with its line, found in its own body or in a helper it calls
/// (<c>driverbuffers.helper_depth</c> deep).
/// </summary>
internal sealed class LockEffect
{
    public LockEffect(LockEffectKind kind, string ddi, int line)
    {
        Kind = kind;
        Ddi = ddi;
        Line = line;
    }

    public LockEffectKind Kind { get; }

    /// <summary>The raising or lowering DDI at the bottom (<c>WdfSpinLockAcquire</c>, <c>KeReleaseSpinLock</c>).</summary>
    public string Ddi { get; }

    /// <summary>Its line (in the file that calls it).</summary>
    public int Line { get; }
}

/// <summary>
/// The driver's lock helpers (a spin lock acquired in one method and released in another): their summaries, and the
/// names of the methods that may be one, for the body screen. A helper is summarized from its body's own statement list:
/// a raising call (or a call of a helper that acquires) not followed by a lowering one leaves it raised; a lowering call
/// (or a call of a helper that releases) with nothing raised before it releases the caller's lock.
/// </summary>
internal static class LockHelpers
{
    private static readonly string[] RaisingNames = NamesWith(DdiRole.RaisesIrql);
    private static readonly string[] LoweringNames = NamesWith(DdiRole.LowersIrql);
    private static readonly PerTree<string[]> TreeCandidates = new();

    /// <summary>
    /// The summary of a helper whose graph is <paramref name="graph"/>: <paramref name="calls"/> tells the raising and
    /// lowering calls of each of its statements (its own helpers summarized one level less deep).
    /// </summary>
    public static LockEffect? Summarize(
        IOperation body, Func<IOperation, (IrqlCall? Raise, IrqlCall? Lower)> calls, CancellationToken cancellationToken)
    {
        var statements = body switch
        {
            IMethodBodyOperation { BlockBody: { } block } => block.Operations,
            IMethodBodyOperation { ExpressionBody: { } expression } => expression.Operations,
            IBlockOperation block => block.Operations,
            _ => System.Collections.Immutable.ImmutableArray<IOperation>.Empty,
        };

        IrqlCall? held = null;
        IrqlCall? released = null;
        foreach (var statement in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (raise, lower) = calls(statement);
            if (raise is not null && lower is null)
            {
                held = raise;
            }
            else if (lower is not null && raise is null)
            {
                if (held is not null)
                {
                    held = null;
                }
                else
                {
                    released ??= lower;
                }
            }
        }

        return held is not null ? new LockEffect(LockEffectKind.Acquires, held.Ddi, held.DdiLine)
            : released is not null ? new LockEffect(LockEffectKind.Releases, released.Ddi, released.DdiLine)
            : null;
    }

    /// <summary>How many calls deep the names of lock helpers are gathered for the screen (the default <c>helper_depth</c>).</summary>
    private const int NameDepth = 3;

    /// <summary>
    /// The names of the methods and local functions of the compilation that may be lock helpers, for the body screen and
    /// as a pre-filter of summaries: those whose declaration names raising and lowering DDIs a different number of times
    /// (from each tree's name index, kept per tree object; trees that name neither cost a look-up), then, up to
    /// <see cref="NameDepth"/> calls deep, those that name such helpers an odd number of times (<c>LockBoth()</c> calling
    /// <c>AcquireLock()</c>; a method that calls an acquiring and a releasing helper is balanced and left out).
    /// </summary>
    public static HashSet<string> CandidateNames(AnalysisSession session, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var indexes = new List<(SyntaxTree Tree, SyntaxTreeIndex Index)>();
        foreach (var tree in session.Compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = session.Index(tree, cancellationToken);
            indexes.Add((tree, index));
            if (Array.TrueForAll(RaisingNames, name => !index.Mentions(name)) && Array.TrueForAll(LoweringNames, name => !index.Mentions(name)))
            {
                continue;
            }

            names.UnionWith(TreeCandidates.Get(tree, ct => Candidates(tree, index, new[] { (RaisingNames, 1), (LoweringNames, -1) }, ct), cancellationToken));
        }

        var round = names.ToArray();
        for (var depth = 1; depth < NameDepth && round.Length > 0; depth++)
        {
            var next = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tree, index) in indexes)
            {
                if (Array.Exists(round, index.Mentions))
                {
                    next.UnionWith(Candidates(tree, index, new[] { (round, 1) }, cancellationToken));
                }
            }

            next.ExceptWith(names);
            names.UnionWith(next);
            round = next.ToArray();
        }

        return names;
    }

    /// <summary>
    /// The names of the declarations of <paramref name="tree"/> whose weighted mentions of <paramref name="weighted"/>'s
    /// names do not cancel out (for one weight: an odd count), their own names aside.
    /// </summary>
    private static string[] Candidates(SyntaxTree tree, SyntaxTreeIndex index, (string[] Names, int Weight)[] weighted, CancellationToken cancellationToken)
    {
        var root = tree.GetRoot(cancellationToken);
        var balance = new Dictionary<SyntaxNode, int>();
        foreach (var (names, weight) in weighted)
        {
            foreach (var name in names)
            {
                foreach (var position in index.PositionsOf(name))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (root.FindToken(position).Parent?.FirstAncestorOrSelf<SyntaxNode>(node => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax) is { } declaration &&
                        DeclaredName(declaration).SpanStart != position)
                    {
                        balance[declaration] = (balance.TryGetValue(declaration, out var count) ? count : 0) + weight;
                    }
                }
            }
        }

        var single = weighted.Length == 1;
        return balance.Where(pair => single ? pair.Value % 2 != 0 : pair.Value != 0)
            .Select(pair => DeclaredName(pair.Key).ValueText)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    private static SyntaxToken DeclaredName(SyntaxNode declaration) => declaration switch
    {
        MethodDeclarationSyntax method => method.Identifier,
        _ => ((LocalFunctionStatementSyntax)declaration).Identifier,
    };

    private static string[] NamesWith(DdiRole role) =>
        DdiNames.Roles.Where(pair => (pair.Value & role) != 0).Select(pair => pair.Key).ToArray();
}

/// <summary>
/// A call that raises or lowers the IRQL, as the statement walk sees it: a DDI (<c>WdfSpinLockAcquire</c>) or a lock
/// helper; <see cref="Ddi"/> and <see cref="DdiLine"/> are the DDI at the bottom.
/// </summary>
internal sealed class IrqlCall
{
    public IrqlCall(IInvocationOperation call, string ddi, int ddiLine, LockEffect? helper)
    {
        Call = call;
        Ddi = ddi;
        DdiLine = ddiLine;
        Helper = helper;
    }

    public IInvocationOperation Call { get; }

    public string Ddi { get; }

    public int DdiLine { get; }

    /// <summary>The helper's summary when <see cref="Call"/> is a lock helper's call; null for a DDI.</summary>
    public LockEffect? Helper { get; }
}
