using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The fixed point of a <see cref="ForwardDataflow"/> analysis: the state on entry to and on exit from every
/// basic block. Rules report in a final <see cref="Replay"/> pass over the solved states, never while the
/// solver iterates, so every finding is reported once.
/// </summary>
internal sealed class DataflowResult<TState>
{
    private readonly IDataflowDomain<TState> _domain;
    private readonly TState[] _inStates;
    private readonly TState[] _outStates;

    internal DataflowResult(
        ControlFlowGraph cfg, IDataflowDomain<TState> domain, TState[] inStates, TState[] outStates, bool converged)
    {
        Graph = cfg;
        _domain = domain;
        _inStates = inStates;
        _outStates = outStates;
        Converged = converged;
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>False when the solver gave up (a domain without a finite lattice); rules then report nothing.</summary>
    public bool Converged { get; }

    public TState StateOnEntry(BasicBlock block) => _inStates[block.Ordinal];

    public TState StateOnExit(BasicBlock block) => _outStates[block.Ordinal];

    /// <summary>The state on entry to the exit block: the join of every path that leaves the method normally.</summary>
    public TState StateAtExit => _inStates[Graph.Blocks.Length - 1];

    /// <summary>True when some path reaches the block.</summary>
    public bool IsReached(BasicBlock block) =>
        !ReferenceEquals(_inStates[block.Ordinal], _domain.Unreached) && !_domain.AreEqual(_inStates[block.Ordinal], _domain.Unreached);

    /// <summary>
    /// <see cref="Replay"/> for a visitor that transfers as it looks: <paramref name="step"/> returns the state after
    /// the operation (what <see cref="IDataflowDomain{TState}.Transfer"/> returns), so the replay does not transfer every
    /// operation a second time. The branch value is stepped too, and its result dropped (as <see cref="Replay"/> visits it).
    /// </summary>
    public void ReplaySteps(Func<IOperation, TState, TState> step, CancellationToken cancellationToken) =>
        Walk(step, (branchValue, state) => step(branchValue, state), cancellationToken);

    /// <summary>
    /// Walks every reached block once more, calling <paramref name="visit"/> with each root operation (statements
    /// and branch values, in order) and the state just before it.
    /// </summary>
    public void Replay(Action<IOperation, TState> visit, CancellationToken cancellationToken) =>
        Walk(
            (operation, state) =>
            {
                visit(operation, state);
                return _domain.Transfer(state, operation, cancellationToken);
            },
            visit,
            cancellationToken);

    /// <summary>Every reached block from its solved entry state: each operation stepped, then the branch value visited.</summary>
    private void Walk(Func<IOperation, TState, TState> step, Action<IOperation, TState> visitBranchValue, CancellationToken cancellationToken)
    {
        using var walks = RootWalks.Enter(Graph);
        foreach (var block in Graph.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsReached(block))
            {
                continue;
            }

            WorkMeter.Operations(block.Operations.Length + (block.BranchValue is null ? 0 : 1));
            var state = _inStates[block.Ordinal];
            foreach (var operation in block.Operations)
            {
                state = step(operation, state);
            }

            if (block.BranchValue is { } branchValue)
            {
                visitBranchValue(branchValue, state);
            }
        }
    }
}
