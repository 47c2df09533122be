using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The transfer and replay of a domain that steps one operation at a time in evaluation order (the size and status
/// domains): a root operation is walked once into a reused list, each step charged to the <see cref="WorkMeter"/>.
/// </summary>
internal sealed class OperationSteps<TState>
{
    private readonly List<IOperation> _order = new();
    private readonly Stack<(IOperation, bool)> _scratch = new();
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

        OperationOrder.PostOrder(root, _order, _scratch);
        WorkMeter.Steps(_order.Count);
        foreach (var operation in _order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            state = _step(state, operation);
        }

        return state;
    }

    /// <summary>
    /// <see cref="DataflowResult{TState}.Replay"/> at the granularity of operations: <paramref name="visit"/> sees every
    /// reached operation once, with the state just before it.
    /// </summary>
    public void Replay(DataflowResult<TState> result, Action<IOperation, TState> visit, CancellationToken cancellationToken)
    {
        var order = new List<IOperation>();
        var scratch = new Stack<(IOperation, bool)>();
        result.Replay((root, before) =>
        {
            var state = before;
            OperationOrder.PostOrder(root, order, scratch);
            WorkMeter.Steps(order.Count);
            foreach (var operation in order)
            {
                if (_isUnreached(state))
                {
                    return;
                }

                visit(operation, state);
                state = _step(state, operation);
            }
        }, cancellationToken);
    }
}
