using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A value computed once per syntax tree object and kept with it (across the compilations of IDE edits, in which
/// unchanged trees are the same objects). Concurrent callers wait for one computation; a computation cancelled by its
/// caller leaves nothing behind, and a caller whose own token is not cancelled computes again.
/// </summary>
internal sealed class PerTree<TValue>
    where TValue : class
{
    private readonly ConditionalWeakTable<SyntaxTree, Lazy<TValue>> _values = new();

    public bool TryGet(SyntaxTree tree, out TValue value)
    {
        if (_values.TryGetValue(tree, out var lazy) && lazy.IsValueCreated)
        {
            value = lazy.Value;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>The value of <paramref name="tree"/>, computed by <paramref name="compute"/> the first time.</summary>
    public TValue Get(SyntaxTree tree, Func<CancellationToken, TValue> compute, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _values.GetValue(tree, _ => new Lazy<TValue>(() => compute(cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return lazy.Value;
            }
            catch (OperationCanceledException)
            {
                _values.Remove(tree);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
