using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>How a helper frees one of its parameters: with which constant tag (null: <c>ExFreePool</c> or not one constant).</summary>
internal readonly struct HelperFree
{
    public HelperFree(uint? tag, string? tagText)
    {
        Tag = tag;
        TagText = tagText;
    }

    public uint? Tag { get; }

    public string? TagText { get; }
}

/// <summary>
/// DRV034's method summaries: which <c>PVOID</c> parameters a method of the same compilation frees on every path
/// that returns (directly, or on its non-NULL side: <c>if (p != NULL) ExFreePool(p);</c>), so that a call of
/// such a helper counts as a free at the call site. A summary is a pure function of the method and a budget of
/// helper levels (<see cref="MaxDepth"/> at a call site, one less for each helper followed), so recursion ends
/// and results do not depend on which thread computed what first. One instance per compilation; thread-safe.
/// </summary>
internal sealed class PoolFreeSummaries
{
    /// <summary>How many helper levels a call site follows.</summary>
    public const int MaxDepth = 3;

    private static readonly IReadOnlyDictionary<int, HelperFree> None = new Dictionary<int, HelperFree>();

    private readonly DriverApi _api;
    private readonly CancellationToken _cancellationToken;
    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyDictionary<int, HelperFree>>[] _cache;

    public PoolFreeSummaries(DriverApi api, CancellationToken cancellationToken)
    {
        _api = api;
        _cancellationToken = cancellationToken;
        _cache = new ConcurrentDictionary<IMethodSymbol, IReadOnlyDictionary<int, HelperFree>>[MaxDepth + 1];
        for (var i = 0; i <= MaxDepth; i++)
        {
            _cache[i] = new ConcurrentDictionary<IMethodSymbol, IReadOnlyDictionary<int, HelperFree>>(SymbolEqualityComparer.Default);
        }
    }

    /// <summary>True when <paramref name="method"/> may be a helper worth summarising: source, with a <c>PVOID</c> parameter.</summary>
    public bool IsCandidate(IMethodSymbol method) =>
        !_api.IsDdi(method) &&
        method.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, _api.Pvoid) && p.RefKind == RefKind.None) &&
        method.DeclaringSyntaxReferences.Length == 1;

    /// <summary>
    /// The parameters <paramref name="method"/> frees on every path, by ordinal, following helpers it calls
    /// <paramref name="budget"/> - 1 levels deep; empty when none, or when the budget is spent.
    /// </summary>
    public IReadOnlyDictionary<int, HelperFree> FreedParameters(IMethodSymbol method, int budget)
    {
        method = method.OriginalDefinition;
        if (budget <= 0 || budget > MaxDepth || !IsCandidate(method))
        {
            return None;
        }

        return _cache[budget].GetOrAdd(method, m => Compute(m, budget));
    }

    private IReadOnlyDictionary<int, HelperFree> Compute(IMethodSymbol method, int budget)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
        if (syntax is not BaseMethodDeclarationSyntax)
        {
            return None; // Local functions and lambdas are not summarised.
        }

#pragma warning disable RS1030 // A helper's summary needs its body; bounded depth, cached per compilation.
        var model = _api.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(syntax, _cancellationToken) is not IMethodBodyOperation body)
        {
            return None;
        }

        var cfg = ControlFlowGraph.Create(body, _cancellationToken);
        // A parameter the helper assigns no longer holds the caller's pointer when it is freed.
        var assigned = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in OperationOrder.PostOrder(body))
        {
            if (operation is IAssignmentOperation { Target: IParameterReferenceOperation target })
            {
                assigned.Add(target.Parameter);
            }
        }

        var entry = PoolFreeState.Empty;
        var tracked = new List<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, _api.Pvoid) && parameter.RefKind == RefKind.None &&
                !assigned.Contains(parameter))
            {
                entry = entry.Set(new PoolKey(parameter), PoolFact.IncomingValue);
                tracked.Add(parameter);
            }
        }

        var domain = new PoolFreeDomain(_api, this, budget - 1, entry);
        var result = ForwardDataflow.Solve(cfg, domain, _cancellationToken);
        if (!result.Converged)
        {
            return None;
        }

        // The tags each parameter is freed with.
        var tags = new Dictionary<PoolKey, List<(uint? Tag, string? Text)>>();
        result.Replay(
            (operation, state) => domain.Apply(state, operation, free =>
            {
                if (!tags.TryGetValue(free.Pointer, out var list))
                {
                    tags[free.Pointer] = list = new List<(uint?, string?)>();
                }

                list.Add((free.Tag, free.TagText));
            }, _cancellationToken),
            _cancellationToken);

        var exit = result.StateAtExit;
        var freed = new Dictionary<int, HelperFree>();
        foreach (var parameter in tracked)
        {
            var facts = exit.Get(new PoolKey(parameter));
            if (exit.Facts is null || facts.Contains(PoolFact.IncomingValue) ||
                !facts.Any(f => f.Kind == PoolFactKind.Freed) ||
                facts.Any(f => f.Kind == PoolFactKind.Allocated))
            {
                continue;
            }

            var frees = tags.TryGetValue(new PoolKey(parameter), out var list) ? list : new List<(uint? Tag, string? Text)>();
            var oneTag = frees.Count > 0 && frees.All(t => t.Tag is not null && t.Tag == frees[0].Tag);
            freed[parameter.Ordinal] = oneTag ? new HelperFree(frees[0].Tag, frees[0].Text) : new HelperFree(null, null);
        }

        return freed.Count == 0 ? None : freed;
    }
}
