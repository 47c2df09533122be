using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// Every mention of a method of the driver in the compilation (a call, a method group given as a callback), by name, once
/// per compilation: the first question about a name reads the trees whose <see cref="SyntaxTreeIndex"/> mentions it,
/// binds each simple name of that spelling once, and groups the mentions by method. Every later question about any method
/// of that name is a lookup (sixty classes with a <c>Step1</c> helper each cost one pass, not sixty). Serves the
/// cross-method questions "who calls this helper" and "who registers this routine". Thread-safe.
/// </summary>
internal sealed class MethodMentions
{
    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<IMethodSymbol, List<(SemanticModel, SimpleNameSyntax)>>>> _byName =
        new(StringComparer.Ordinal);

    private MethodMentions(AnalysisSession session) => _session = session;

    public static MethodMentions For(AnalysisSession session) => session.Feature(s => new MethodMentions(s));

    /// <summary>The names that bind to <paramref name="method"/> (its original definition), each with its tree's model.</summary>
    public IReadOnlyList<(SemanticModel Model, SimpleNameSyntax Name)> Of(IMethodSymbol method, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _byName.GetOrAdd(
                method.Name,
                name => new Lazy<Dictionary<IMethodSymbol, List<(SemanticModel, SimpleNameSyntax)>>>(
                    () => Collect(name, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return lazy.Value.TryGetValue(method.OriginalDefinition, out var mentions)
                    ? mentions
                    : Array.Empty<(SemanticModel, SimpleNameSyntax)>();
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the token of whoever started the collection: not kept; a caller whose own token is not
                // cancelled collects again.
                ((ICollection<KeyValuePair<string, Lazy<Dictionary<IMethodSymbol, List<(SemanticModel, SimpleNameSyntax)>>>>>)_byName)
                    .Remove(new KeyValuePair<string, Lazy<Dictionary<IMethodSymbol, List<(SemanticModel, SimpleNameSyntax)>>>>(method.Name, lazy));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary><paramref name="name"/>, or the member access it ends (<c>Driver.Helper</c>): the expression a call or an argument holds.</summary>
    public static ExpressionSyntax Expression(SimpleNameSyntax name) =>
        name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;

    private Dictionary<IMethodSymbol, List<(SemanticModel, SimpleNameSyntax)>> Collect(string name, CancellationToken cancellationToken)
    {
        var byMethod = new Dictionary<IMethodSymbol, List<(SemanticModel, SimpleNameSyntax)>>(SymbolEqualityComparer.Default);
        var compilation = _session.Compilation;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var index = _session.Index(tree, cancellationToken);
            if (!index.Mentions(name))
            {
                continue;
            }

#pragma warning disable RS1030 // the mentions of a method are in other bodies (and trees) of the same compilation; bound once per name
            var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            _session.Telemetry.TreeBound();
            var root = tree.GetRoot(cancellationToken);
            foreach (var position in index.PositionsOf(name))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (root.FindToken(position).Parent is SimpleNameSyntax mention &&
                    model.GetSymbolInfo(mention, cancellationToken).Symbol?.OriginalDefinition is IMethodSymbol method)
                {
                    if (!byMethod.TryGetValue(method, out var mentions))
                    {
                        byMethod[method] = mentions = new List<(SemanticModel, SimpleNameSyntax)>();
                    }

                    mentions.Add((model, mention));
                }
            }
        }

        return byMethod;
    }
}
