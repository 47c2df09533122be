using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// A must-dataflow domain over <see cref="FactMap{TFact}"/> that a rule defines one operation at a time:
/// <see cref="Step"/> sees every operation of a root operation in evaluation order
/// (<see cref="OperationOrder.PostOrder"/>), and <see cref="Replay"/> gives the rule each operation with the
/// state just before it, so a finding inside a larger statement sees what the statement did before it.
/// </summary>
internal abstract class FactFlowDomain<TFact> : IDataflowDomain<FactMap<TFact>>
    where TFact : class, IEquatable<TFact>
{
    private readonly Dictionary<IOperation, BasicBlock> _blockOfRoot = new();

    protected FactFlowDomain(ControlFlowGraph graph)
    {
        Graph = graph;
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                _blockOfRoot[operation] = block;
            }

            if (block.BranchValue is { } branchValue)
            {
                _blockOfRoot[branchValue] = block;
            }
        }
    }

    public ControlFlowGraph Graph { get; }

    public FactMap<TFact> Entry => FactMap<TFact>.Empty;

    public FactMap<TFact> Unreached => FactMap<TFact>.Unreached;

    public FactMap<TFact> Join(FactMap<TFact> left, FactMap<TFact> right) => left.Join(right, JoinFacts, HoldsOnSomePath);

    public bool AreEqual(FactMap<TFact> left, FactMap<TFact> right) => left.IsSameAs(right);

    public FactMap<TFact> Transfer(FactMap<TFact> state, IOperation operation, CancellationToken cancellationToken)
    {
        var block = BlockOf(operation);
        foreach (var op in OperationOrder.PostOrder(operation))
        {
            cancellationToken.ThrowIfCancellationRequested();
            state = Step(state, op, block);
        }

        return state;
    }

    public virtual FactMap<TFact> AssumeCondition(FactMap<TFact> state, IOperation condition, bool whenTrue) => state;

    /// <summary>The state after <paramref name="operation"/>, one operation of a root operation in <paramref name="block"/>.</summary>
    protected abstract FactMap<TFact> Step(FactMap<TFact> state, IOperation operation, BasicBlock? block);

    /// <summary>The fact for a key whose two paths disagree; null (the default) forgets the key.</summary>
    protected virtual TFact? JoinFacts(TFact left, TFact right) => null;

    /// <summary>True for a may-fact: kept where only one of two joining paths has it. Default: none.</summary>
    protected virtual bool HoldsOnSomePath(TFact fact) => false;

    protected BasicBlock? BlockOf(IOperation root) => _blockOfRoot.TryGetValue(root, out var block) ? block : null;

    /// <summary>
    /// Solves the domain and calls <paramref name="visit"/> with every operation reached (evaluation order within
    /// each root operation), the state just before it, and its block. Nothing is visited when the solver did not
    /// converge.
    /// </summary>
    public void Replay(Action<IOperation, FactMap<TFact>, BasicBlock?> visit, CancellationToken cancellationToken)
    {
        var result = ForwardDataflow.Solve(Graph, this, cancellationToken);
        if (!result.Converged)
        {
            return;
        }

        result.Replay(
            (root, stateBefore) =>
            {
                var block = BlockOf(root);
                var state = stateBefore;
                foreach (var op in OperationOrder.PostOrder(root))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    visit(op, state, block);
                    state = Step(state, op, block);
                }
            },
            cancellationToken);
    }
}
