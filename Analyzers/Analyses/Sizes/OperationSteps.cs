using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The transfer and replay of a domain that steps one operation at a time in evaluation order (the size and status
/// domains): a root operation's walk is its graph's shared one (<see cref="RootWalks"/>), each step charged to the
/// <see cref="WorkMeter"/>.
/// </summary>
internal sealed class OperationSteps<TState>
{
    private readonly Func<TState, IOperation, TState> _step;
    private readonly Func<TState, bool> _isUnreached;

    public OperationSteps(Func<TState, IOperation, TState> step, Func<TState, bool> isUnreached)
    {
        _step = step;
        _isUnreached = isUnreached;
    }

    /// <summary>The state after every operation of <paramref name="root"/>.</summary>
    public TState Transfer(TState state, IOperation root, CancellationToken cancellationToken)
    {
        if (_isUnreached(state))
        {
            return state;
        }

        var order = RootWalks.Of(root).Order;
        WorkMeter.Steps(order.Length);
        foreach (var operation in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            state = _step(state, operation);
        }

        return state;
    }

    /// <summary>
    /// The solved function replayed at the granularity of operations: <paramref name="visit"/> sees every reached
    /// operation that <paramref name="wanted"/> accepts once, with the state just before it. Each reached block starts from
    /// its solved entry state and is stepped once, only as far as its last wanted operation: a block (or the tail of one)
    /// with nothing a rule asks about costs a scan of its operations, no transfer.
    /// </summary>
    public void Replay(
        DataflowResult<TState> result, Func<IOperation, bool> wanted, Action<IOperation, TState> visit, CancellationToken cancellationToken)
    {
        using var walks = RootWalks.Enter(result.Graph);
        var roots = new List<IOperation>();
        foreach (var block in result.Graph.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!result.IsReached(block))
            {
                continue;
            }

            var last = LastWantedRoot(block, wanted, roots);
            if (last < 0)
            {
                continue;
            }

            WorkMeter.Operations(last + 1);
            var state = result.StateOnEntry(block);
            for (var i = 0; i <= last && !_isUnreached(state); i++)
            {
                var order = RootWalks.Of(roots[i]).Order;
                WorkMeter.Steps(order.Length);
                foreach (var operation in order)
                {
                    if (_isUnreached(state))
                    {
                        break;
                    }

                    if (wanted(operation))
                    {
                        visit(operation, state);
                    }

                    state = _step(state, operation);
                }
            }
        }
    }

    /// <summary>
    /// The block's root operations (statements, then its branch value) into <paramref name="roots"/>, and the index of the
    /// last one that holds a wanted operation; -1 when none does.
    /// </summary>
    private static int LastWantedRoot(
        BasicBlock block, Func<IOperation, bool> wanted, List<IOperation> roots)
    {
        roots.Clear();
        foreach (var operation in block.Operations)
        {
            roots.Add(operation); // not AddRange: it boxes the ImmutableArray for every block
        }

        if (block.BranchValue is { } branchValue)
        {
            roots.Add(branchValue);
        }

        for (var i = roots.Count - 1; i >= 0; i--)
        {
            foreach (var operation in RootWalks.Of(roots[i]).Order)
            {
                if (wanted(operation))
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
